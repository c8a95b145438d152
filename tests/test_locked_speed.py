"""Locked installs from the installer's cache: no index asked while the cache holds the lock, same guarantees."""

from __future__ import annotations

import hashlib
import http.server
import shutil
import threading
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

import pytest

from helpers import installed, trust, virtualenv_cmd
from wheels import write_project

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

LOCKED = (("alpha", "1.0"), ("beta", "1.0"), ("delta", "1.0"))


def _wheel(wheelhouse: Path, name: str, version: str) -> Path:
    return wheelhouse / f"{name}-{version}-py3-none-any.whl"


def _index(root: Path, wheelhouse: Path) -> Path:
    """A PEP 503 index served over HTTP below ``root``: pages under simple/, files under files/."""
    (root / "files").mkdir(parents=True)
    for name, version in LOCKED:
        wheel = _wheel(wheelhouse, name, version)
        shutil.copy2(wheel, root / "files")
        digest = hashlib.sha256(_wheel(wheelhouse, name, version).read_bytes()).hexdigest()
        page = root / "simple" / name
        page.mkdir(parents=True)
        link = f'<a href="../../files/{wheel.name}#sha256={digest}">{wheel.name}</a>'
        (page / "index.html").write_text(f"<html><body>{link}</body></html>\n", encoding="utf-8")
    return root


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Pages an installer must ask again for each time (as an index's pages go stale); no log lines."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=0, must-revalidate")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """The index on a local port for the duration; after it, nothing answers there (an unreachable index)."""
    handler = partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()


def _lock(project: Path, wheelhouse: Path, url: str, *, tamper: str = "") -> None:
    """A pylock.toml naming the index's files by URL, with their sha256 (``tamper``: that package's is wrong)."""
    lines = ['lock-version = "1.0"', 'created-by = "tests"', ""]
    for name, version in LOCKED:
        wheel = _wheel(wheelhouse, name, version)
        digest = "0" * 64 if name == tamper else hashlib.sha256(wheel.read_bytes()).hexdigest()
        files = url.replace("/simple/", "/files/")
        lines += ["[[packages]]", f'name = "{name}"', f'version = "{version}"']
        lines += [f'wheels = [{{ url = "{files}{wheel.name}", hashes = {{ sha256 = "{digest}" }} }}]', ""]
    (project / "pylock.toml").write_text("\n".join(lines), encoding="utf-8")


def _create(project: Path, dest: str, url: str, env: dict[str, str]) -> tuple[int, str]:
    out = virtualenv_cmd(
        "--seeder", "ready", "--ready-index-url", url, "--ready-installer", "uv", dest, cwd=project, env=env
    )
    return out.returncode, out.stdout + out.stderr


@pytest.fixture
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """uv's cache of this test alone: cold at the start, warm after the first creation."""
    import os

    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "own-uv-cache"))
    return dict(os.environ)


def test_locked_install_needs_no_index_once_the_cache_holds_it(
    project: Path, wheelhouse: Path, tmp_path: Path, cache_env: dict[str, str]
) -> None:
    root = _index(tmp_path / "index", wheelhouse)
    with serving(root) as url:
        _lock(project, wheelhouse, url)
        code, out = _create(project, "first", url, cache_env)
        assert code == 0, out
    # the index is gone: the lock installs from uv's cache alone, exactly as locked
    code, out = _create(project, "second", url, cache_env)
    assert code == 0, out
    found = installed(project / "second")
    assert {name: found.get(name) for name, _ in LOCKED} == dict(LOCKED)


def test_a_cold_cache_still_fetches_and_a_missing_index_still_fails(
    project: Path, wheelhouse: Path, tmp_path: Path, cache_env: dict[str, str]
) -> None:
    root = _index(tmp_path / "index", wheelhouse)
    with serving(root) as url:
        _lock(project, wheelhouse, url)
    # nothing cached and nothing answering: the offline try fails, the online run fails and says so
    code, out = _create(project, "none", url, cache_env)
    assert code != 0
    assert "failed" in out
    with serving(root) as again:
        _lock(project, wheelhouse, again)
        code, out = _create(project, "fetched", again, cache_env)
    assert code == 0, out
    assert installed(project / "fetched")["beta"] == "1.0"


def test_a_tampered_hash_fails_even_with_the_file_cached(
    project: Path, wheelhouse: Path, tmp_path: Path, cache_env: dict[str, str]
) -> None:
    root = _index(tmp_path / "index", wheelhouse)
    with serving(root) as url:
        _lock(project, wheelhouse, url)
        code, out = _create(project, "good", url, cache_env)
        assert code == 0, out
        _lock(project, wheelhouse, url, tamper="beta")
        code, out = _create(project, "bad", url, cache_env)
    assert code != 0
    assert "hash" in out.lower()
    assert "beta" not in installed(project / "bad")


_COUNTING = """
_counted_build_editable = build_editable

def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "builds.log"), "a") as log:
        log.write("editable\\n")
    return _counted_build_editable(wheel_directory, config_settings, metadata_directory)
"""


def _builds(project: Path) -> int:
    log = project / "builds.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_the_editable_build_is_reused_while_the_project_is_unchanged(
    project: Path, wheelhouse: Path, tmp_path: Path, cache_env: dict[str, str]
) -> None:
    write_project(project, "app", dependencies=["alpha"])
    with (project / "backend.py").open("a", encoding="utf-8") as backend:
        backend.write(_COUNTING)
    trust(project, cache_env)
    root = _index(tmp_path / "index", wheelhouse)
    with serving(root) as url:
        _lock(project, wheelhouse, url)
        assert _create(project, "one", url, cache_env)[0] == 0
        first = _builds(project)
        assert first >= 1
        code, out = _create(project, "two", url, cache_env)
        assert code == 0, out
        assert _builds(project) == first  # uv's cached editable build, as `uv sync` reuses it
        assert installed(project / "two")["app"] == "1.0"
        # a changed build input (pyproject.toml) builds again
        text = (project / "pyproject.toml").read_text(encoding="utf-8")
        (project / "pyproject.toml").write_text(text.replace('version = "1.0"', 'version = "1.1"'), encoding="utf-8")
        (project / "meta.json").write_text((project / "meta.json").read_text().replace('"1.0"', '"1.1"'))
        trust(project, cache_env)
        code, out = _create(project, "three", url, cache_env)
    assert code == 0, out
    assert _builds(project) > first
    assert installed(project / "three")["app"] == "1.1"
