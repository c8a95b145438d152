"""A project's files cannot reach outside the project: direct references are sources, named paths stay inside.

Direct references are served by a local HTTP server on 127.0.0.1 that records every request, so a refusal is
proven by an empty request log, and an allowance by a real download and install.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import url2pathname

import pytest

from helpers import bin_path, installed, need_tool, offline, virtualenv_cmd
from safety_helpers import grep_tree, record_of
from virtualenv_ready.errors import ReadyError
from wheels import make_wheel, simple_index, write_project

KAPPA = "kappa-1.0-py3-none-any.whl"
SERVER_LIFETIME = 300.0  # seconds; the server stops by itself even if a test never ends


@dataclass
class Served:
    """A local package host: its base URL and every request it received."""

    url: str
    root: Path
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """Serve a wheel (and a git repository, over git's plain HTTP protocol) from 127.0.0.1, recording requests."""
    root = tmp_path / "served"
    root.mkdir()
    make_wheel(root, "kappa", "1.0")
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def parse_request(self) -> bool:
            ok = super().parse_request()
            requests.append(f"{self.command} {self.path}")
            return ok

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    timer = threading.Timer(SERVER_LIFETIME, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}", root, requests)
    finally:
        timer.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def git_repo(served: Served) -> str:
    """A bare git repository of the kappa project under the server, readable over git's plain HTTP protocol."""
    git = need_tool("git")
    work = served.root.parent / "kappa-src"
    write_project(work, "kappa", "1.0")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], [*ident, "commit", "-q", "-m", "kappa"]):
        subprocess.run([git, *args], cwd=work, env=env, check=True, capture_output=True)
    bare = served.root / "kappa.git"
    subprocess.run([git, "clone", "-q", "--bare", str(work), str(bare)], env=env, check=True, capture_output=True)
    subprocess.run([git, "update-server-info"], cwd=bare, env=env, check=True, capture_output=True)
    return f"git+{served.url}/kappa.git@main"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Each form writes the project files naming kappa on the server; returns where the refusal must point.
Form = Callable[[Path, Served], str]


def requirement_line(project: Path, served: Served) -> str:
    (project / "requirements.txt").write_text(f"alpha\nkappa @ {served.url}/{KAPPA}\n")
    return "requirements.txt:2: "


def bare_url(project: Path, served: Served) -> str:
    (project / "requirements.txt").write_text(f"{served.url}/{KAPPA}\n")
    return "requirements.txt:1: "


def included_file(project: Path, served: Served) -> str:
    (project / "reqs").mkdir()
    (project / "reqs" / "more.txt").write_text(f"# more\nkappa@{served.url}/{KAPPA}\n")
    (project / "requirements.txt").write_text("-r reqs/more.txt\n")
    return "more.txt:2: "


def remote_include(project: Path, served: Served) -> str:
    (served.root / "remote.txt").write_text(f"kappa @ {served.url}/{KAPPA}\n")
    (project / "requirements.txt").write_text(f"alpha\n-r {served.url}/remote.txt\n")
    return "requirements.txt:2: "


def project_dependency(project: Path, served: Served) -> str:
    write_project(project, "app", dependencies=[f"kappa @ {served.url}/{KAPPA}"])
    return "pyproject.toml:9: [project] dependencies"


def dependency_group(project: Path, served: Served) -> str:
    write_project(project, "app", groups={"dev": [f"kappa @ {served.url}/{KAPPA}"]})
    return "pyproject.toml:12: [dependency-groups]"


def build_requirement(project: Path, served: Served) -> str:
    write_project(project, "app")
    text = (project / "pyproject.toml").read_text()
    (project / "pyproject.toml").write_text(
        text.replace("requires = []", f'requires = ["kappa @ {served.url}/{KAPPA}"]')
    )
    return "pyproject.toml:2: [build-system] requires"


def vcs_url(project: Path, served: Served) -> str:
    (project / "requirements.txt").write_text(f"kappa @ {git_repo(served)}\n")
    return "requirements.txt:1: "


def lock_archive(project: Path, served: Served) -> str:
    digest = sha(served.root / KAPPA)
    (project / "pylock.toml").write_text(
        'lock-version = "1.0"\ncreated-by = "tests"\n\n[[packages]]\nname = "kappa"\nversion = "1.0"\n'
        f'archive = {{ url = "{served.url}/{KAPPA}", hashes = {{ sha256 = "{digest}" }} }}\n'
    )
    return "pylock.toml:5: package kappa"


def uv_source(project: Path, served: Served) -> str:
    extra = f'\n[tool.uv.sources]\nkappa = {{ url = "{served.url}/{KAPPA}" }}\n'
    write_project(project, "app", dependencies=["kappa"], extra_toml=extra)
    return "pyproject.toml:12: [tool.uv.sources] kappa"


FORMS: dict[str, Form] = {
    "name-at-url": requirement_line,
    "bare-url": bare_url,
    "included-file": included_file,
    "remote-include": remote_include,
    "project-dependency": project_dependency,
    "dependency-group": dependency_group,
    "build-requirement": build_requirement,
    "vcs-url": vcs_url,
    "lock-archive": lock_archive,
    "uv-sources": uv_source,
}
POLICIES = {
    "no-policy": None,
    "policy-allowing": 'allowed-index-hosts = ["127.0.0.1"]\n',
    "policy-refusing": 'allowed-index-hosts = ["pkgs.acme.invalid"]\n',
}


def _cases() -> Iterator[tuple[str, str, str]]:
    for form in FORMS:
        for policy in POLICIES:
            for installer in ("uv", "pip"):
                # pip never reads [tool.uv.sources]: an allowed uv source means nothing to it (refusals still apply)
                if not (form == "uv-sources" and installer == "pip" and policy == "policy-allowing"):
                    yield form, policy, installer


def write_policy(tmp_path: Path, text: str, wheelhouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(f'{text}find-links = ["{wheelhouse.as_posix()}"]\n')
    monkeypatch.setenv("VIRTUALENV_READY_POLICY", str(path))
    return path


@pytest.mark.parametrize(("form", "policy", "installer"), list(_cases()))
def test_direct_references_are_sources(  # type: ignore[no-untyped-def]
    project: Path,
    ready,
    served: Served,
    wheelhouse: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
    policy: str,
    installer: str,
) -> None:
    where = FORMS[form](project, served)
    if POLICIES[policy] is not None:
        write_policy(tmp_path, POLICIES[policy] or "", wheelhouse, monkeypatch)
    if policy == "policy-allowing" and form == "remote-include":
        # allowed as a source, but a file we cannot read before installing is never handed to an installer
        with pytest.raises(ReadyError, match=r"requirements.txt:2: --requirement http://\S+: an include by URL"):
            ready(installer=installer)
        assert served.requests == []
        return
    if policy == "policy-allowing":
        venv = ready(installer=installer)
        # a build requirement goes into the build's own environment, not the env
        assert ("app" if form == "build-requirement" else "kappa") in installed(venv)
        assert served.requests, "the allowed reference was fetched from the local server"
        return
    with pytest.raises(ReadyError) as info:
        ready(installer=installer)
    text = str(info.value)
    assert where in text, text
    assert text.startswith(str(project)), text
    if policy == "no-policy":
        assert "chooses where packages come from" in text, text
        assert "--ready-allow-project-sources" in text, text
    else:
        assert "is refused by the org policy" in text, text
        assert "(allowed-index-hosts): its host is not one of pkgs.acme.invalid" in text, text
    assert served.requests == [], "nothing may be fetched from a refused source"
    assert "kappa" not in installed(tmp_path / "venv")
    assert record_of(tmp_path / "venv")["status"] == "incomplete"


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_the_user_can_allow_direct_references(project: Path, ready, served: Served, installer: str) -> None:  # type: ignore[no-untyped-def]
    requirement_line(project, served)
    venv = ready("--ready-allow-project-sources", installer=installer)
    assert installed(venv).get("kappa") == "1.0"
    assert any(KAPPA in r for r in served.requests), served.requests


def test_a_policy_url_check_covers_the_users_own_files(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, wheelhouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine.txt"
    mine.write_text(f"kappa @ {served.url}/{KAPPA}\n")
    write_policy(tmp_path, POLICIES["policy-refusing"] or "", wheelhouse, monkeypatch)
    with pytest.raises(ReadyError, match=r"mine.txt:1: direct reference http://127.0.0.1:\d+/kappa"):
        ready("--ready-requirement", str(mine))
    assert served.requests == []


@pytest.mark.parametrize(
    ("line", "package", "allowed"),
    [
        ("./wheels/alpha-1.0-py3-none-any.whl", "alpha", True),
        ("alpha @ {project_uri}/wheels/alpha-1.0-py3-none-any.whl", "alpha", True),
        ("-e ./lib", "lib", True),
        ("{wheelhouse}/alpha-1.0-py3-none-any.whl", "alpha", False),
        ("../outside/alpha-1.0-py3-none-any.whl", "alpha", False),
        ("alpha @ {wheelhouse_uri}/alpha-1.0-py3-none-any.whl", "alpha", False),
        ("-e ../lib", "lib", False),
    ],
)
def test_path_references_must_stay_inside(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, tmp_path: Path, line: str, package: str, allowed: bool
) -> None:
    for folder in (project / "wheels", tmp_path / "outside"):
        folder.mkdir()
        (folder / "alpha-1.0-py3-none-any.whl").write_bytes((wheelhouse / "alpha-1.0-py3-none-any.whl").read_bytes())
    write_project(project / "lib", "lib")
    write_project(tmp_path / "lib", "lib")
    text = line.format(
        project_uri=project.as_uri(), wheelhouse=wheelhouse.as_posix(), wheelhouse_uri=wheelhouse.as_uri()
    )
    (project / "requirements.txt").write_text(f"{text}\n")
    if allowed:
        assert package in installed(ready())
        return
    with pytest.raises(ReadyError, match=r"requirements.txt:1: .* is outside the project \(") as info:
        ready()
    assert "--ready-allow-project-sources" in str(info.value)
    assert package in installed(ready("--ready-allow-project-sources", dest=tmp_path / "allowed"))


def test_a_policy_lists_local_folders(  # type: ignore[no-untyped-def]
    project: Path, ready, wheelhouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "requirements.txt").write_text(f"{wheelhouse.as_posix()}/alpha-1.0-py3-none-any.whl\n")
    write_policy(tmp_path, 'allowed-index-hosts = ["pkgs.acme.invalid"]\n', wheelhouse, monkeypatch)
    assert "alpha" in installed(ready())
    other = tmp_path / "other"
    other.mkdir()
    (other / "alpha-1.0-py3-none-any.whl").write_bytes((wheelhouse / "alpha-1.0-py3-none-any.whl").read_bytes())
    (project / "requirements.txt").write_text(f"{other.as_posix()}/alpha-1.0-py3-none-any.whl\n")
    with pytest.raises(ReadyError, match=r"not under a folder the org policy .* \(find-links\) lists"):
        ready(dest=tmp_path / "v2")


# ---- paths the project names for reading -------------------------------------------------------------------------


CANARY_LINE = "machine pkgs.example.invalid login deploy password {canary}"


def escape_pyproject(project: Path, secret: Path) -> str:
    write_project(project, "app", extra_toml='\n[tool.virtualenv-ready]\nrequirements = ["../secret-netrc"]\n')
    return "pyproject.toml:12: [tool.virtualenv-ready] requirements"


def escape_constraints(project: Path, secret: Path) -> str:
    write_project(project, "app", extra_toml='\n[tool.virtualenv-ready]\nconstraints = ["../secret-netrc"]\n')
    return "pyproject.toml:12: [tool.virtualenv-ready] constraints"


def escape_dotdot(project: Path, secret: Path) -> str:
    (project / "requirements.txt").write_text("alpha\n-r ../secret-netrc\n")
    return "requirements.txt:2: --requirement ../secret-netrc is outside the project"


def escape_glued_constraint(project: Path, secret: Path) -> str:
    (project / "requirements.txt").write_text("alpha\n--constraint \\\n  ../secret-netrc\n")
    return "requirements.txt:2: --constraint ../secret-netrc is outside the project"


def escape_absolute(project: Path, secret: Path) -> str:
    (project / "requirements.txt").write_text(f"alpha\n-r{secret}\n")
    return f"requirements.txt:2: --requirement {secret} is outside the project"


def escape_symlink(project: Path, secret: Path) -> str:
    (project / "reqs").mkdir()
    (project / "reqs" / "base.txt").symlink_to(secret)
    (project / "requirements.txt").write_text("-r reqs/base.txt\nalpha\n")
    return f"requirements.txt:1: --requirement reqs/base.txt (resolves to {secret.resolve()}) is outside the project"


def escape_default_symlink(project: Path, secret: Path) -> str:
    (project / "requirements.txt").symlink_to(secret)
    return f"requirements.txt (the project's default requirements file) (resolves to {secret.resolve()}) is outside"


def escape_third_hop(project: Path, secret: Path) -> str:
    for folder in ("a", "b"):
        (project / folder).mkdir()
    (project / "requirements.txt").write_text("alpha\n-r a/one.txt\n")
    (project / "a" / "one.txt").write_text("-r ../b/two.txt\n")
    (project / "b" / "two.txt").write_text("# the third hop leaves\n-r ../../secret-netrc\n")
    return "two.txt:2: --requirement ../../secret-netrc is outside the project"


ESCAPES = {
    "pyproject-requirements": escape_pyproject,
    "pyproject-constraints": escape_constraints,
    "dotdot": escape_dotdot,
    "continued-constraint": escape_glued_constraint,
    "absolute": escape_absolute,
    "symlink-inside": escape_symlink,
    "default-file-symlink": escape_default_symlink,
    "third-hop": escape_third_hop,
}


def run_env(tmp_path: Path, project: Path, wheelhouse: Path, installer: str, *extra: str):  # type: ignore[no-untyped-def]
    """The real `virtualenv -vvv` with a HOME of its own, so every file the run writes can be searched."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "VIRTUALENV_APP_DATA": str(tmp_path.parent / "boundary-app-data"),
    }
    args = ["-vvv", "--seeder", "ready", ".venv", "--ready-installer", installer, *offline(wheelhouse), *extra]
    return virtualenv_cmd(*args, cwd=project, env=env)


@pytest.mark.parametrize("installer", ["uv", "pip"])
@pytest.mark.parametrize("escape", list(ESCAPES))
def test_paths_cannot_leave_the_project(
    tmp_path: Path, project: Path, wheelhouse: Path, escape: str, installer: str
) -> None:
    canary = f"Zq{os.urandom(6).hex()}"
    secret = tmp_path / "secret-netrc"
    secret.write_text(CANARY_LINE.format(canary=canary) + "\n")
    where = ESCAPES[escape](project, secret)
    out = run_env(tmp_path, project, wheelhouse, installer)
    text = out.stdout + out.stderr
    assert out.returncode != 0, text[-3000:]
    assert where in text, text[-3000:]
    assert canary not in text, "the refused file's content reached the output"
    assert "pkgs.example.invalid" not in text
    assert record_of(project / ".venv")["status"] == "incomplete"
    hits = grep_tree([project, tmp_path / "home"], [canary])
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_the_canary_check_can_fail(tmp_path: Path, project: Path, wheelhouse: Path, installer: str) -> None:
    """The same file named by the user (their own choice) is read by the installer, which quotes it: so the
    searches above would see a leak."""
    canary = f"Zq{os.urandom(6).hex()}"
    secret = tmp_path / "secret-netrc"
    secret.write_text(CANARY_LINE.format(canary=canary) + "\n")
    out = run_env(tmp_path, project, wheelhouse, installer, "--ready-requirement", str(secret))
    assert out.returncode != 0
    assert canary in out.stdout + out.stderr


def test_a_monorepo_sibling_is_inside(tmp_path: Path, ready, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "shared").mkdir()
    (checkout / "shared" / "base.txt").write_text("alpha\n")
    project = checkout / "services" / "api"
    project.mkdir(parents=True)
    (project / "requirements.txt").write_text("-r ../../shared/base.txt\nbeta\n")
    monkeypatch.chdir(project)
    venv = ready()
    assert {"alpha", "beta"} <= set(installed(venv))
    record = json.loads((venv / "virtualenv-ready.json").read_text())
    assert any(Path(k).resolve() == (checkout / "shared" / "base.txt").resolve() for k in record["inputs"])


def test_without_a_checkout_the_project_folder_is_the_root(
    tmp_path: Path, ready, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "base.txt").write_text("alpha\n")
    project = tmp_path / "plain"
    project.mkdir()
    (project / "requirements.txt").write_text("-r ../shared/base.txt\n")
    monkeypatch.chdir(project)
    with pytest.raises(ReadyError, match=r"requirements.txt:1: --requirement ../shared/base.txt is outside"):
        ready()


@pytest.mark.parametrize("verbosity", [0, 3])
@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_installer_quotes_of_outside_files_show_only_file_and_line(
    tmp_path: Path, project: Path, wheelhouse: Path, capsys: pytest.CaptureFixture[str], installer: str, verbosity: int
) -> None:
    """Behind the checks: were an installer handed a project file that reaches outside (the checks are bypassed
    here, as a link swapped after them would), its error shows the outside file as file:line, never its lines."""
    from virtualenv import cli_run

    from virtualenv_ready.boundary import project_root
    from virtualenv_ready.errors import ReadyError as Failed
    from virtualenv_ready.installers.base import run_installer
    from virtualenv_ready.installers.screen import QuoteScreen
    from virtualenv_ready.installers.uv import find_uv

    canary = f"Zq{os.urandom(6).hex()}"
    secret = tmp_path / "secret-netrc"
    secret.write_text(CANARY_LINE.format(canary=canary) + "\n")
    (project / "requirements.txt").write_text("alpha\n-r ../secret-netrc\n")
    venv = tmp_path / "venv"
    cli_run([str(venv), "--activators", "", "--no-setuptools"], setup_logging=False)
    python = bin_path(venv, "python")
    if installer == "pip":
        argv = [str(python), "-m", "pip", "install", "--no-index", "-r", "requirements.txt"]
    else:
        uv = find_uv()
        assert uv is not None
        argv = [uv.argv[0], "pip", "install", "--python", str(python), "--no-index", "-r", "requirements.txt"]
    screen = QuoteScreen(project_root(project), project, [project / "requirements.txt"])
    with pytest.raises(Failed):
        run_installer(argv, cwd=project, env=dict(os.environ), verbosity=verbosity, what="test", screen=screen)
    shown = capsys.readouterr().err
    assert canary not in shown, shown
    assert f"<{secret.resolve()}:1>" in shown, shown
    # without the screen the same run quotes the line: the check above can fail
    with pytest.raises(Failed):
        run_installer(argv, cwd=project, env=dict(os.environ), verbosity=verbosity, what="test")
    assert canary in capsys.readouterr().err


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_transitive_direct_references_follow_the_installers_rules(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str], installer: str
) -> None:
    """A dependency whose metadata names a URL (what docs/security.md says each installer does): pip fetches and
    installs it, even with --no-index; uv refuses unless the top-level requirements name that URL themselves."""
    links = tmp_path / "links"
    links.mkdir()
    make_wheel(links, "lam", "1.0", [f"kappa @ {served.url}/{KAPPA}"])
    (project / "requirements.txt").write_text("lam\n")
    if installer == "pip":
        venv = ready("--ready-find-links", str(links), installer="pip")
        assert installed(venv).get("kappa") == "1.0"
        assert served.requests == [f"GET /{KAPPA}"]
        return
    with pytest.raises(ReadyError, match="failed"):
        ready("--ready-find-links", str(links), installer="uv")
    assert "URL dependencies must be expressed as direct requirements" in " ".join(capsys.readouterr().err.split())
    assert served.requests == []


def test_an_include_through_an_env_var_is_refused_even_when_sources_are_allowed(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n-r ${HOME}/.netrc\n")
    with pytest.raises(ReadyError, match=r"requirements.txt:2: --requirement \$\{HOME\}/.netrc: an environment"):
        ready("--ready-allow-project-sources")


UV_INDEX = '[[tool.uv.index]]\nname = "internal"\nurl = "https://pkgs.example.invalid/simple"\n'
LOCKED = 'lock-version = "1.0"\ncreated-by = "tests"\n\n[[packages]]\nname = "kappa"\nversion = "1.0"\n'


@pytest.mark.parametrize(
    ("file", "text", "refusal"),
    [
        (
            "uv",
            '{ git = "https://git.example.invalid/kappa.git" }',
            "kappa @ git+https://git.example.invalid/kappa.git in a",
        ),
        ("uv", '{ path = "../kappa" }', "is outside the project"),
        ("uv", '{ index = "internal" }', "kappa @ https://pkgs.example.invalid/simple in a"),
        (
            "lock",
            'vcs = { type = "git", url = "https://git.example.invalid/k.git", commit-id = "abc" }',
            "git+https://",
        ),
        ("lock", 'directory = { path = "../elsewhere" }', "is outside the project"),
        ("lock", 'archive = { path = "/opt/k.whl", hashes = { sha256 = "00" } }', "is outside the project"),
    ],
)
def test_uv_sources_and_lock_entries(project: Path, ready, file: str, text: str, refusal: str) -> None:  # type: ignore[no-untyped-def]
    """[tool.uv.sources] git, path and index entries; pylock.toml checkouts, folders and archives off the index."""
    if file == "uv":
        write_project(project, "app", dependencies=["kappa"], extra_toml=f"\n[tool.uv.sources]\nkappa = {text}\n")
        (project / "pyproject.toml").write_text((project / "pyproject.toml").read_text() + UV_INDEX)
        where = "[tool.uv.sources] kappa"
    else:
        (project / "pylock.toml").write_text(f"{LOCKED}{text}\n")
        where = "pylock.toml:5: package kappa"
    with pytest.raises(ReadyError) as info:
        ready()
    assert where in str(info.value)
    assert refusal in str(info.value)


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ("alpha>=1 ; python_version > '3'", None),
        ("alpha[x]==1", None),
        ("beta @ https://h.invalid/b.whl ; python_version > '3'", ("url", "https://h.invalid/b.whl")),
        ("beta[x]@https://h.invalid/b.whl", ("url", "https://h.invalid/b.whl")),
        ("git+ssh://git@h.invalid/b.git#egg=beta", ("url", "git+ssh://git@h.invalid/b.git#egg=beta")),
        ("hg+https://h.invalid/b", ("url", "hg+https://h.invalid/b")),
        ("beta @ file:///srv/b.whl", ("path", url2pathname("/srv/b.whl"))),
        ("git+file:///srv/repo", ("path", url2pathname("/srv/repo"))),
        ("./lib[test]", ("path", "./lib")),
        ("../b-1.0.tar.gz", ("path", "../b-1.0.tar.gz")),
        ("b-1.0-py3-none-any.whl", ("path", "b-1.0-py3-none-any.whl")),
        ("~/src/b", ("path", "~/src/b")),
    ],
)
def test_what_counts_as_a_direct_reference(requirement: str, expected: tuple[str, str] | None) -> None:
    from virtualenv_ready.boundary import direct_reference

    assert direct_reference(requirement) == expected


@pytest.mark.parametrize(
    "text",
    ["-r ../x.txt", "-r../x.txt", "--requirement=../x.txt", "--requirem ../x.txt", "-r \\\n  ../x.txt", "-c ../x.txt"],
)
def test_every_include_spelling_is_checked(project: Path, ready, text: str) -> None:  # type: ignore[no-untyped-def]
    (project.parent / "x.txt").write_text("alpha\n")
    (project / "requirements.txt").write_text(f"{text}\n")
    with pytest.raises(ReadyError, match=r"requirements.txt:1: --(requirement|constraint) ../x.txt is outside"):
        ready()


def test_an_extra_that_pulls_in_another_extra_is_followed(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", optional={"test": ["app[remote]"], "remote": ["kappa @ https://h.invalid/k.whl"]})
    with pytest.raises(ReadyError, match=r"pyproject.toml:\d+: \[project.optional-dependencies\] remote: kappa @ "):
        ready("--ready-extras", "test")


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_a_uv_lock_entry_from_a_url_is_a_source(  # type: ignore[no-untyped-def]
    project: Path, ready, served: Served, wheelhouse: Path, tmp_path: Path, installer: str
) -> None:
    """A uv.lock entry whose source is a URL, not the index, is refused where the lock names it; nothing is fetched."""
    from virtualenv_ready.installers.uv import find_uv

    uv = find_uv()
    assert uv is not None, "the test extra installs uv"
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "app"\nversion = "1.0"\ndependencies = []\n\n[dependency-groups]\n'
        f'dev = ["alpha", "kappa @ {served.url}/{KAPPA}"]\n'
    )
    index = simple_index(tmp_path / "simple", sorted(wheelhouse.glob("*.whl")))
    locked = subprocess.run(
        [uv.argv[0], "lock", "--index-url", index.as_uri(), "--python", sys.executable],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert locked.returncode == 0, locked.stderr
    served.requests.clear()  # locking fetched it to record its hash
    number = next(
        n for n, line in enumerate((project / "uv.lock").read_text().splitlines(), 1) if 'name = "kappa"' in line
    )
    with pytest.raises(ReadyError, match=rf"uv.lock:{number}: package kappa: kappa @ http://127.0.0.1:\d+/{KAPPA}"):
        ready(installer=installer)
    assert served.requests == []
    venv = ready("--ready-allow-project-sources", installer=installer, dest=tmp_path / "allowed")
    assert installed(venv).get("kappa") == "1.0"


def test_a_uv_workspace_member_outside_the_project_is_refused(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", extra_toml='\n[tool.uv.workspace]\nmembers = ["../*"]\n')
    with pytest.raises(
        ReadyError, match=r"pyproject.toml:\d+: \[tool.uv.workspace\] members: .* is outside the project"
    ):
        ready()


@pytest.mark.parametrize(
    ("entry", "refusal"),
    [
        ('{ url = "https://h.invalid/kappa-1.0-py3-none-any.whl" }', "kappa @ https://h.invalid/kappa-1.0"),
        ('{ git = "https://h.invalid/kappa.git" }', "kappa @ git+https://h.invalid/kappa.git in a project file"),
        ('{ path = "../kappa" }', "is outside the project"),
    ],
)
def test_poetry_dependencies_its_backend_turns_into_direct_references(  # type: ignore[no-untyped-def]
    project: Path, ready, entry: str, refusal: str
) -> None:
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n\n'
        '[tool.poetry]\nname = "app"\nversion = "1.0"\ndescription = ""\nauthors = []\n\n'
        f'[tool.poetry.dependencies]\npython = ">=3.8"\nkappa = {entry}\n'
    )
    with pytest.raises(ReadyError) as info:
        ready()
    assert "pyproject.toml:13: [tool.poetry.dependencies] kappa" in str(info.value)
    assert refusal in str(info.value)
