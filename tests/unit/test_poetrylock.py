"""The poetry.lock reader: Poetry's content hash, its group rule and the dependency walk, on the committed locks."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.files import load_toml
from virtualenv_ready.sources import poetrylock

FIXTURES = Path(__file__).parents[1] / "fixtures"
LINUX = {
    "python_full_version": "3.11.7",
    "python_version": "3.11",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_release": "",
    "platform_version": "",
    "implementation_version": "3.11.7",
}
WINDOWS_38 = {**LINUX, "sys_platform": "win32", "python_full_version": "3.8.10", "python_version": "3.8"}
DEFAULT = ["lk-alpha", "lk-beta", "lk-delta", "lk-epsilon", "lk-iota"]


def load(name: str) -> tuple[Path, dict[str, Any]]:
    root = FIXTURES / name
    return root, load_toml(root / "pyproject.toml")


def names(name: str, env: dict[str, str], groups: list[str] | None = None, extras: tuple[str, ...] = ()) -> list[str]:
    root, data = load(name)
    config = SimpleNamespace(groups=groups, extras=extras)
    chosen = poetrylock.read(root / "poetry.lock", root / "pyproject.toml", data, config, env)  # type: ignore[arg-type]
    return [package.name for package in chosen.packages]


@pytest.mark.parametrize("name", ["poetry12", "poetry18", "poetry2", "poetry2-nopackage"])
def test_content_hash_is_poetrys(name: str) -> None:
    root, data = load(name)
    lock = load_toml(root / "poetry.lock")
    assert poetrylock.content_hash(data) == lock["metadata"]["content-hash"]
    assert poetrylock.is_fresh(root / "poetry.lock", lock, data)
    data = copy.deepcopy(data)  # load_toml's tables are shared: change a copy
    data["tool"]["poetry"]["group"]["dev"]["dependencies"]["lk-zeta"] = "*"
    assert not poetrylock.is_fresh(root / "poetry.lock", lock, data)


@pytest.mark.parametrize("name", ["poetry12", "poetry18", "poetry2"])
def test_every_lock_version_walks_to_poetrys_install(name: str) -> None:
    assert names(name, LINUX) == DEFAULT  # not lk-zeta (win32), lk-eta (py<3.9), lk-kappa (win32 edge), lk-theta


@pytest.mark.parametrize("name", ["poetry12", "poetry18", "poetry2"])
def test_markers_are_evaluated_for_the_target(name: str) -> None:
    assert {"lk-zeta", "lk-eta", "lk-kappa"} <= set(names(name, WINDOWS_38))


def test_groups_named_replace_the_default() -> None:
    assert names("poetry18", LINUX, ["docs"]) == ["lk-alpha", "lk-beta", "lk-iota", "lk-theta"]
    assert names("poetry18", LINUX, []) == ["lk-alpha", "lk-beta", "lk-iota"]


def test_group_choice_leaves_optional_groups_out() -> None:
    root, data = load("poetry18")
    config = SimpleNamespace(groups=None, extras=())
    assert poetrylock.group_choice(data, root / "pyproject.toml", config) == (["dev"], ["docs"])  # type: ignore[arg-type]


def test_files_of_gives_every_sha256() -> None:
    root, data = load("poetry12")  # lock-version 1.1 keeps files under [metadata.files]
    chosen = poetrylock.read(
        root / "poetry.lock", root / "pyproject.toml", data, SimpleNamespace(groups=None, extras=()), LINUX
    )  # type: ignore[arg-type]
    kind, hashes = poetrylock.files_of(root / "poetry.lock")(chosen.packages[0])
    assert kind == "hashed"
    assert hashes == ["sha256:6063c06b5f1947e39bb5f9c36a57fdca2fc0c1d9e8309bfa5ad990abeda96e2b"]


def test_a_lock_for_other_pythons_fails_naming_it() -> None:
    with pytest.raises(ReadyError, match=r"poetry\.lock: locked for Python >=3.8, not this environment's Python 3\.7"):
        names("poetry18", {**LINUX, "python_full_version": "3.7.9", "python_version": "3.7"})


def test_an_unknown_lock_version_fails(tmp_path: Path) -> None:
    root, data = load("poetry18")
    (tmp_path / "poetry.lock").write_text('[metadata]\nlock-version = "9.0"\n')
    with pytest.raises(ReadyError, match=r"lock-version 9\.0 is not supported"):
        poetrylock.read(
            tmp_path / "poetry.lock", root / "pyproject.toml", data, SimpleNamespace(groups=None, extras=()), LINUX
        )  # type: ignore[arg-type]


def test_direct_sources_become_references(tmp_path: Path) -> None:
    package = poetrylock._package(
        tmp_path / "poetry.lock",
        0,
        {
            "name": "x",
            "version": "1",
            "source": {"type": "git", "url": "https://example.invalid/x.git", "resolved_reference": "abc"},
        },
        {},
    )
    assert poetrylock.files_of(tmp_path / "poetry.lock")(package) == (
        "reference",
        "x @ git+https://example.invalid/x.git@abc",
    )
    folder = poetrylock._package(
        tmp_path / "poetry.lock",
        0,
        {"name": "y", "version": "1", "develop": True, "source": {"type": "directory", "url": "libs/y"}},
        {},
    )
    assert poetrylock.files_of(tmp_path / "poetry.lock")(folder) == ("editable", str(tmp_path / "libs" / "y"))
