"""The pdm.lock reader: PDM's content hash, its all-groups rule, both strategies and lock targets."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.files import load_toml
from virtualenv_ready.sources import pdmlock

from .test_poetrylock import LINUX, WINDOWS_38

FIXTURES = Path(__file__).parents[1] / "fixtures"
ALL = ["lk-alpha", "lk-beta", "lk-delta", "lk-epsilon", "lk-iota", "lk-theta"]


def load(name: str) -> tuple[Path, dict[str, Any]]:
    root = FIXTURES / name
    return root, load_toml(root / "pyproject.toml")


def names(name: str, env: dict[str, str], groups: list[str] | None = None) -> list[str]:
    root, data = load(name)
    config = SimpleNamespace(groups=groups, extras=())
    chosen = pdmlock.read(root / "pdm.lock", root / "pyproject.toml", data, config, env)  # type: ignore[arg-type]
    return [package.name for package in chosen.packages]


@pytest.mark.parametrize("name", ["pdm", "pdm-cross", "pdm-static", "pdm-windows"])
def test_content_hash_is_pdms(name: str) -> None:
    root, data = load(name)
    lock = load_toml(root / "pdm.lock")
    assert pdmlock.is_fresh(lock, data)
    data = copy.deepcopy(data)  # load_toml's tables are shared: change a copy
    data["project"]["dependencies"].append("lk-zeta")
    assert not pdmlock.is_fresh(lock, data)


@pytest.mark.parametrize("name", ["pdm", "pdm-cross", "pdm-static"])
def test_every_group_by_default_as_pdm_install(name: str) -> None:
    assert names(name, LINUX) == ALL


@pytest.mark.parametrize("name", ["pdm", "pdm-cross"])
def test_markers_for_the_target_in_both_strategies(name: str) -> None:
    assert {"lk-zeta", "lk-eta", "lk-kappa"} <= set(names(name, WINDOWS_38))


def test_groups_named_replace_the_default() -> None:
    assert names("pdm", LINUX, ["dev"]) == ["lk-alpha", "lk-beta", "lk-delta", "lk-epsilon", "lk-iota"]
    _, data = load("pdm")
    assert pdmlock.group_choice(data, SimpleNamespace(groups=["dev"])) == (["dev"], ["docs"])  # type: ignore[arg-type]


def test_a_lock_for_another_platform_fails_naming_it() -> None:
    with pytest.raises(ReadyError, match=r"pdm\.lock: locked only for windows_amd64 >=3\.8, not this environment"):
        names("pdm-windows", LINUX)
    assert names("pdm-windows", {**WINDOWS_38, "platform_machine": "AMD64"})


def test_group_names_are_normalized_as_pdm_does() -> None:
    assert pdmlock.normalize_group("Dev_Tools") == "dev-tools"
    data = {"dependency-groups": {"Lint": ["a"]}, "tool": {"pdm": {"dev-dependencies": {"lint": ["b"]}}}}
    assert pdmlock.dev_groups(data) == {"lint": ["a", "b"]}


def test_an_unknown_lock_version_fails(tmp_path: Path) -> None:
    root, data = load("pdm")
    (tmp_path / "pdm.lock").write_text('[metadata]\nlock_version = "3.0"\n')
    with pytest.raises(ReadyError, match=r"lock_version 3\.0 is not supported"):
        pdmlock.read(
            tmp_path / "pdm.lock", root / "pyproject.toml", data, SimpleNamespace(groups=None, extras=()), LINUX
        )  # type: ignore[arg-type]


def test_unset_groups_are_the_locks_own_optional_ones_included_as_pdm_install() -> None:
    """`pdm install` with no group named installs what the lock was made for: its dev groups and the
    optional-dependency groups it locked (not the optional groups it did not lock)."""
    data = {
        "project": {"optional-dependencies": {"Repr": ["objprint"], "toc": ["slugify"]}},
        "dependency-groups": {"dev": ["pytest"], "docs": ["sphinx"]},
    }
    unset = SimpleNamespace(groups=None)
    chosen = pdmlock.group_choice(data, unset, ["default", "dev", "repr"])  # type: ignore[arg-type]
    assert chosen == (["dev", "repr"], ["docs"])
    assert pdmlock.group_choice(data, unset) == (["dev", "docs"], [])  # type: ignore[arg-type]
