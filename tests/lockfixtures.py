"""The wheels behind the committed poetry.lock and pdm.lock fixtures, built byte for byte the same on every run.

The fixtures were locked by the real tools against a local index of exactly these wheels, so the hashes in the
committed locks match what this module builds (stored, not compressed; fixed timestamps). To regenerate one: serve
the index with ``serve_index(folder)``, put its URL in the fixture's ``[[tool.poetry.source]]`` (priority primary) or
``[[tool.pdm.source]]`` (name pypi), run ``poetry lock`` / ``pdm lock`` (with the options the lock's first comment
names), then the tool's install into a fresh env, and write what it installed into ``installed.txt``.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

# name, version, dependencies: the suite's other wheels are named differently, so a find-links of both never mixes
WHEELS: list[tuple[str, str, list[str]]] = [
    ("lk-alpha", "1.0", []),
    ("lk-alpha", "2.0", []),
    ("lk-beta", "1.0", ["lk-alpha"]),
    ("lk-delta", "1.0", []),
    ("lk-epsilon", "1.0", ["lk-delta"]),
    ("lk-zeta", "1.0", []),
    ("lk-eta", "1.0", []),
    ("lk-iota", "1.0", ['lk-kappa; sys_platform == "win32"']),
    ("lk-kappa", "1.0", []),
    ("lk-theta", "1.0", []),
]
_EPOCH = (2020, 1, 1, 0, 0, 0)


def stable_wheel(dest: Path, name: str, version: str, dependencies: list[str]) -> Path:
    """A pure-Python wheel whose bytes depend on its name, version and dependencies only."""
    norm = name.replace("-", "_")
    info = f"{norm}-{version}.dist-info"
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Requires-Dist: {dep}" for dep in dependencies]
    files = {
        f"{norm}/__init__.py": f"VERSION = {version!r}\n".encode(),
        f"{info}/METADATA": ("\n".join(meta) + "\n").encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    wheel = dest / f"{norm}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        for path, data in files.items():
            item = zipfile.ZipInfo(path, _EPOCH)
            item.external_attr = 0o644 << 16
            archive.writestr(item, data)
    return wheel


def build_wheels(dest: Path) -> list[Path]:
    """Every fixture wheel, into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    return [stable_wheel(dest, name, version, deps) for name, version, deps in WHEELS]


def serve_index(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A PEP 503 index of the fixture wheels over HTTP (the tools lock only against an HTTP index)."""
    import socket

    wheels = build_wheels(root / "files")
    by_name: dict[str, list[Path]] = {}
    for wheel in wheels:
        by_name.setdefault(wheel.name.split("-")[0].replace("_", "-"), []).append(wheel)
    for name, files in by_name.items():
        folder = root / "simple" / name
        folder.mkdir(parents=True, exist_ok=True)
        links = "".join(
            f'<a href="../../files/{f.name}#sha256={hashlib.sha256(f.read_bytes()).hexdigest()}">{f.name}</a>\n'
            for f in files
        )
        (folder / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import time

    time.sleep(1)
    return server, f"http://127.0.0.1:{port}/simple/"


__all__ = ["FIXTURES", "WHEELS", "build_wheels", "serve_index", "stable_wheel"]
