"""Build the test wheelhouse offline: hand-made wheels, sdists with an in-tree backend, repacked installed dists."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

# A PEP 517/660 backend with no build requirements, so isolated builds work with --no-index.
BACKEND = r"""
import base64, hashlib, io, json, os, zipfile

def _meta():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "meta.json"), encoding="utf-8") as f:
        return json.load(f)

def _metadata(meta):
    if meta.get("fail"):
        raise RuntimeError("this package fails to build on purpose")
    lines = ["Metadata-Version: 2.1", "Name: " + meta["name"], "Version: " + meta["version"]]
    lines += ["Requires-Dist: " + d for d in meta.get("dependencies", [])]
    for extra, deps in meta.get("optional-dependencies", {}).items():
        lines.append("Provides-Extra: " + extra)
        lines += ["Requires-Dist: %s; extra == %r" % (d, extra) for d in deps]
    return "\n".join(lines) + "\n"

def _wheel(directory, files):
    meta = _meta()
    norm = meta["name"].replace("-", "_")
    info = "%s-%s.dist-info" % (norm, meta["version"])
    files = dict(files)
    files[info + "/METADATA"] = _metadata(meta)
    files[info + "/WHEEL"] = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = []
    name = "%s-%s-py3-none-any.whl" % (norm, meta["version"])
    with zipfile.ZipFile(os.path.join(directory, name), "w") as z:
        for path, text in files.items():
            data = text.encode()
            z.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
        record.append(info + "/RECORD,,")
        z.writestr(info + "/RECORD", "\n".join(record) + "\n")
    return name

def _package_files():
    root = os.path.dirname(os.path.abspath(__file__))
    out = {}
    src = os.path.join(root, "src")
    for base, _, names in os.walk(src):
        for n in names:
            if n.endswith(".py"):
                full = os.path.join(base, n)
                with open(full, encoding="utf-8") as f:
                    out[os.path.relpath(full, src).replace(os.sep, "/")] = f.read()
    return out

def get_requires_for_build_wheel(config_settings=None):
    return []

get_requires_for_build_editable = get_requires_for_build_sdist = get_requires_for_build_wheel

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    meta = _meta()
    if meta.get("sleep"):
        import time
        with open(meta["pidfile"], "w") as f:
            f.write(str(os.getpid()))
        time.sleep(meta["sleep"])
    return _wheel(wheel_directory, _package_files())

def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    meta = _meta()
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")
    return _wheel(wheel_directory, {"_%s_editable.pth" % meta["name"].replace("-", "_"): src + "\n"})

def build_sdist(sdist_directory, config_settings=None):
    raise RuntimeError("not needed by the tests")
"""


def write_project(
    root: Path,
    name: str,
    version: str = "1.0",
    dependencies: list[str] | None = None,
    optional: dict[str, list[str]] | None = None,
    groups: dict[str, list[object]] | None = None,
    fail: bool = False,
    extra_toml: str = "",
    meta_extra: dict[str, object] | None = None,
) -> Path:
    """A real project folder with an in-tree backend; importable as `name` once installed."""
    root.mkdir(parents=True, exist_ok=True)
    meta = {
        "name": name,
        "version": version,
        "dependencies": dependencies or [],
        "optional-dependencies": optional or {},
    }
    if fail:
        meta["fail"] = True
    meta.update(meta_extra or {})
    (root / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (root / "backend.py").write_text(BACKEND, encoding="utf-8")
    module = name.replace("-", "_")
    pkg = root / "src" / module
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text(f"VERSION = {version!r}\n", encoding="utf-8")
    toml = [
        "[build-system]",
        "requires = []",
        'build-backend = "backend"',
        'backend-path = ["."]',
        "",
        "[project]",
        f'name = "{name}"',
        f'version = "{version}"',
        f"dependencies = {json.dumps(dependencies or [])}",
    ]
    if optional:
        toml += ["", "[project.optional-dependencies]"]
        toml += [f"{extra} = {json.dumps(deps)}" for extra, deps in optional.items()]
    if groups:
        toml += ["", "[dependency-groups]"]
        for group, items in groups.items():
            rendered = ", ".join(
                json.dumps(i) if isinstance(i, str) else "{include-group = %s}" % json.dumps(i["include-group"])
                for i in items
            )  # type: ignore[index]
            toml.append(f"{group} = [{rendered}]")
    (root / "pyproject.toml").write_text("\n".join(toml) + "\n" + extra_toml, encoding="utf-8")
    return root


def _record_line(path: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [path, f"sha256={digest}", str(len(data))]


def _write_wheel(dest: Path, name: str, version: str, tag: str, files: dict[str, bytes], info: str = "") -> Path:
    norm = name.replace("-", "_").replace(".", "_")
    info = info or f"{norm}-{version}.dist-info"
    wheel = dest / f"{norm}-{version}-{tag}.whl"
    rows = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
            rows.append(_record_line(path, data))
        rows.append([f"{info}/RECORD", "", ""])
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        archive.writestr(f"{info}/RECORD", buffer.getvalue())
    return wheel


def make_wheel(
    dest: Path, name: str, version: str, dependencies: list[str] | None = None, modules: dict[str, str] | None = None
) -> Path:
    """A pure-Python wheel built by hand: enough for pip and uv to install and for imports to work."""
    norm = name.replace("-", "_")
    info = f"{norm}-{version}.dist-info"
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Requires-Dist: {dep}" for dep in dependencies or []]
    files = {f"{norm}/__init__.py": f"VERSION = {version!r}\n".encode()}
    files.update({path: text.encode() for path, text in (modules or {}).items()})
    files[f"{info}/METADATA"] = ("\n".join(meta) + "\n").encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return _write_wheel(dest, name, version, "py3-none-any", files)


def make_sdist(
    dest: Path, name: str, version: str, fail: bool = False, dependencies: list[str] | None = None, **meta: object
) -> Path:
    """An sdist whose in-tree backend needs nothing from an index to build."""
    norm = name.replace("-", "_")
    staging = dest / f".staging-{norm}-{version}"
    write_project(staging, name, version, dependencies=dependencies, fail=fail, meta_extra=meta)
    sdist = dest / f"{norm}-{version}.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        for path in sorted(staging.rglob("*")):
            tar.add(path, arcname=f"{norm}-{version}/{path.relative_to(staging)}", recursive=False)
        pkg_info = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
        member = tarfile.TarInfo(f"{norm}-{version}/PKG-INFO")
        member.size = len(pkg_info)
        tar.addfile(member, io.BytesIO(pkg_info))
    import shutil

    shutil.rmtree(staging)
    return sdist


def repack(dest: Path, dist_name: str) -> Path:
    """Rebuild the wheel of an installed distribution from the files its RECORD lists."""
    dist = metadata.distribution(dist_name)
    name, version = dist.metadata["Name"], dist.version
    wheel_text = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip().split("-") for line in wheel_text.splitlines() if line.startswith("Tag:")]
    # a wheel built for several tags (py2-none-any + py3-none-any) is named with compressed tag sets
    parts = [".".join(dict.fromkeys(t[i] for t in tags)) for i in range(3)] if tags else ["py3", "none", "any"]
    tag = "-".join(parts)
    files: dict[str, bytes] = {}
    for item in dist.files or []:
        text = str(item)
        if text.endswith((".pyc", "RECORD", "INSTALLER", "REQUESTED", "direct_url.json")) or text.startswith(
            ("..", "/")
        ):
            continue
        if "__pycache__" in text:
            continue
        full = Path(str(item.locate()))
        if full.is_file():
            files[text] = full.read_bytes()
    info = Path(str(dist._path)).name  # type: ignore[attr-defined]
    return _write_wheel(dest, name, version, tag, files, info)


def simple_index(dest: Path, wheels: list[Path]) -> Path:
    """A PEP 503 index in a folder (``file://`` URLs with sha256 fragments), so a lock made from it records hashes."""
    dest.mkdir(parents=True, exist_ok=True)
    by_name: dict[str, list[Path]] = {}
    for wheel in wheels:
        by_name.setdefault(wheel.name.split("-")[0].replace("_", "-").lower(), []).append(wheel)
    for name, files in by_name.items():
        links = "".join(
            f'<a href="{f.absolute().as_uri()}#sha256={hashlib.sha256(f.read_bytes()).hexdigest()}">{f.name}</a>\n'
            for f in files
        )
        (dest / name).mkdir(exist_ok=True)
        (dest / name / "index.html").write_text(f"<html><body>\n{links}</body></html>\n", encoding="utf-8")
    return dest


def closure(roots: list[str]) -> list[str]:
    """The installed distributions `roots` need on this interpreter, themselves included."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: dict[str, str] = {}
    queue = list(roots)
    while queue:
        name = canonicalize_name(queue.pop())
        if name in seen:
            continue
        dist = metadata.distribution(name)
        seen[name] = dist.metadata["Name"]
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                queue.append(req.name)
    return sorted(seen.values())


__all__ = ["closure", "make_sdist", "make_wheel", "repack", "simple_index", "write_project"]
