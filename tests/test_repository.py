"""The repository itself: every URL names an example host, and no text points at a tracker its readers cannot see."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, need_tool

# A host allowed by purpose, with the reason; keep this empty: docs, tests and scripts use example hosts.
ALLOWED_HOSTS: dict[str, str] = {
    "www.w3.org": "the SVG and XLink namespace names docs/benchmark.svg must carry: identifiers, never fetched",
    "codeload.github.com": "the opt-in network tests fetch the public projects they reproduce at a pinned commit",
}
# names reserved for tests and examples (RFC 2606 and RFC 6761), and the private-use .internal
EXAMPLE_SUFFIXES = (".example", ".internal", ".invalid", ".test")
EXAMPLE_HOSTS = {"localhost", "127.0.0.1", "example", "internal", "invalid"}
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://(?:[^/\s@\"'`<>]*@)?(?P<host>\[[^\]]*\]|[^/:?#\s\"'`<>)\]\\,;*]*)", re.I)
TRACKER = re.compile(r"\bissues? #?\d+\b", re.I)
# not the project's own text: what a build or a tool run leaves behind when the tree is not a git checkout
SKIP_DIRS = {".git", ".tox", ".venv", "build", "dist", "__pycache__", ".cache", ".mypy_cache", ".ruff_cache", "results"}


def tracked_files() -> list[Path]:
    """Every file git tracks; an unpacked sdist (no .git) has only tracked files, minus what builds leave."""
    if (ROOT / ".git").exists():
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True, encoding="utf-8"
        )
        return [ROOT / name for name in out.stdout.split("\0") if name and (ROOT / name).is_file()]
    return [
        p
        for p in ROOT.rglob("*")
        if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(ROOT).parts[:-1]) and p.suffix != ".pyc"
    ]


def texts() -> list[tuple[str, str]]:
    found = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (UnicodeDecodeError, OSError):
            continue  # binary
        found.append((path.relative_to(ROOT).as_posix(), text))
    return found


def is_example(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in EXAMPLE_HOSTS or host.endswith(EXAMPLE_SUFFIXES) or host in ALLOWED_HOSTS


def url_hosts(text: str) -> list[str]:
    """The host of every URL in the text; an empty host (``file:///``) or a placeholder (``{host}``) is not one."""
    hosts = []
    for match in URL.finditer(text):
        host = match["host"]
        if host and not any(c in host for c in "{}$%"):
            hosts.append(host)
    return hosts


def test_the_walk_sees_the_tree() -> None:
    names = {name for name, _ in texts()}
    assert {"pyproject.toml", "README.md", "src/virtualenv_ready/policy.py", "tests/test_repository.py"} <= names


@pytest.mark.parametrize(
    ("text", "hosts"),
    [
        ("see https://index.example/simple and http://u:p@127.0.0.1:9/x", ["index.example", "127.0.0.1"]),
        ("`deb http://" + "mirror.org/debian stable main`", ["mirror.org"]),  # split: this file is walked too
        ("file:///srv/wheels and f'http://{DEAD}/simple'", []),
    ],
)
def test_url_hosts_are_found(text: str, hosts: list[str]) -> None:
    assert url_hosts(text) == hosts
    assert [is_example(h) for h in hosts] == [h != "mirror.org" for h in hosts]


def test_every_url_host_is_an_example_one() -> None:
    bad = [f"{name}: {host}" for name, text in texts() for host in url_hosts(text) if not is_example(host)]
    assert not bad, "use an example host (index.example, *.internal, *.invalid, localhost):\n" + "\n".join(bad)


def test_no_tracker_numbers() -> None:
    bad = [
        f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m[0]}"
        for name, text in texts()
        for m in TRACKER.finditer(text)
    ]
    assert not bad, "name the capability, not a tracker number its readers cannot see:\n" + "\n".join(bad)


DEB822 = """\
Types: deb
# a comment inside the stanza
URIs: http://mirror.internal/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.internal/debian-security
Suites: bookworm-security
Components: main
"""


@pytest.mark.parametrize(
    ("name", "text", "written", "expected"),
    [
        (
            "sources.list.d/debian.sources",
            DEB822,
            "sources.list.d/bookworm-backports.sources",
            "Types: deb\nURIs: http://mirror.internal/debian\nSuites: bookworm-backports\nComponents: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
        ),
        (
            "sources.list",
            "deb http://mirror.internal/debian-security bookworm-security main\n"
            "deb [signed-by=/k.gpg arch=amd64] http://mirror.internal/debian bookworm main contrib\n",
            "sources.list.d/bookworm-backports.list",
            "deb [signed-by=/k.gpg arch=amd64] http://mirror.internal/debian bookworm-backports main contrib\n",
        ),
    ],
)
@pytest.mark.skipif(sys.platform == "win32", reason="apt sources are a Debian and Ubuntu thing")
def test_install_shells_takes_backports_from_the_machines_mirror(
    tmp_path: Path, name: str, text: str, written: str, expected: str
) -> None:
    bash = need_tool("bash")
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / name).write_text(text, encoding="utf-8")
    script = str(ROOT / ".ci" / "install-shells")
    run = subprocess.run(
        [bash, script, "--add-backports", str(tmp_path), "bookworm"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / written).read_text(encoding="utf-8") == expected
    other = subprocess.run(
        [bash, script, "--add-backports", str(tmp_path), "trixie"], capture_output=True, text=True, check=False
    )
    assert other.returncode == 1
    assert "no apt source lists suite trixie" in other.stderr


WORKFLOWS = ROOT / ".github" / "workflows"
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>\S+)(?P<comment>.*)$", re.M)


def test_every_action_is_pinned_by_commit() -> None:
    found = [
        (path.name, m["action"], m["comment"].strip())
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for m in USES.finditer(path.read_text(encoding="utf-8"))
    ]
    assert len({name for name, _, _ in found}) >= 4  # linux, macos, windows, release
    bad = [
        f"{name}: {action}"
        for name, action, comment in found
        if not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action) or not comment.startswith("# v")
    ]
    assert not bad, "pin every action by its full commit, with the version as a comment:\n" + "\n".join(bad)


def test_the_release_builds_once_and_publishes_with_trusted_publishing() -> None:
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    assert re.search(r"^on:\n  push:\n    tags:\n      - \"v\*\"\n", text, re.M)
    assert re.search(r"^permissions: \{\}$", text, re.M), "no permission by default; each job names its own"
    build, _, publish = text.partition("\n  publish:\n")
    assert publish, "publishing is a job of its own"
    assert build.count("python -m build") == 1
    assert "twine check --strict dist/*" in build
    assert "id-token" not in build, "the job that runs the build never holds the publishing token"
    assert "upload-artifact@" in build
    assert "download-artifact@" in publish
    assert "needs: build" in publish
    assert "environment:\n      name: release\n" in publish
    assert re.search(r"permissions:\n      id-token: write  #[^\n]*\n    steps:", publish), "id-token: write only"
    assert "pypa/gh-action-pypi-publish@" in publish
    assert "attestations: true" in publish
    for word in ("password", "repository-url", "secrets.", "run:"):
        assert word not in publish, f"the publish job has {word!r}: it only downloads and publishes"
