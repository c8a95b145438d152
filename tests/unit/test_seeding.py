"""Seeding as values: what a request records, what an earlier run seeded, the seed runs' lines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from virtualenv_ready.model import IndexOptions, Step
from virtualenv_ready.record import Record
from virtualenv_ready.seeding import (
    APP_DATA,
    SYMLINK,
    UV,
    Seeded,
    SeedRequest,
    named,
    record_keys,
    seed_step,
    seeded_before,
    via_installer,
    wheel_version,
    with_app_data,
    with_seed,
)

if TYPE_CHECKING:
    import pytest

REQUEST = SeedRequest({"pip": None, "symlink": False}, ("pip", "setuptools"))


def test_seeded_before_needs_the_same_request_and_the_packages() -> None:
    previous = Record(seed={"pip": None, "symlink": False}, seed_via=UV)
    assert seeded_before(REQUEST, previous, {"pip": "26.0", "setuptools": "80"}) == Seeded(UV)
    assert seeded_before(REQUEST, previous, {"pip": "26.0"}) is None
    assert seeded_before(REQUEST, Record(seed={"pip": "25.0"}, seed_via=UV), {"pip": "25.0"}) is None
    assert seeded_before(REQUEST, None, {}) is None


def test_app_data_runs_once_and_says_how() -> None:
    calls: list[int] = []
    assert with_app_data(REQUEST, lambda: calls.append(1)) == Seeded(APP_DATA)
    symlinked = SeedRequest({}, ("pip",), symlink=True)
    assert with_app_data(symlinked, lambda: calls.append(1)) == Seeded(SYMLINK)
    assert calls == [1, 1]


def test_without_wheels_only_app_data_seeds() -> None:
    assert not via_installer(REQUEST)


def test_record_keys() -> None:
    seeded = Seeded(UV, commands=(("uv", "pip"),))
    assert record_keys(REQUEST, seeded) == {
        "seed": REQUEST.options,
        "seed_via": UV,
        "seed_commands": (("uv", "pip"),),
    }
    assert record_keys(REQUEST, None, commands=False) == {"seed": REQUEST.options, "seed_via": APP_DATA}
    assert record_keys(None, seeded) == {}  # no seeding asked for (sync, tox): no seed keys


def test_seed_lines_pin_and_find_the_wheels(tmp_path: Path) -> None:
    wheel = tmp_path / "pip-26.0-py3-none-any.whl"
    wheel.write_bytes(b"not really a wheel")
    step, index = seed_step({"pip": wheel})
    assert step == Step(lines=("pip==26.0",), no_deps=True)
    assert index == IndexOptions(find_links=(str(tmp_path),), no_index=True)
    merged, merged_index = with_seed(Step(lines=("alpha",)), IndexOptions(find_links=("/w",)), {"pip": wheel})
    assert merged.lines[0] == "alpha"
    assert merged.lines[1].startswith("pip==26.0 --hash=sha256:")
    assert merged_index.find_links == ("/w", str(tmp_path))
    assert wheel_version(wheel) == "26.0"


def test_named_finds_a_project_pin() -> None:
    assert named(["setuptools==70 ; python_version > '3'"], {"setuptools": 1})
    assert not named(["-r setuptools.txt", "alpha"], {"setuptools": 1})


def test_seed_lines_pin_each_wheel_by_its_sha256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from virtualenv_ready import seeding, userkey

    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "data" / "record-key"))
    wheel = tmp_path / "house" / "pip-26.3-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"wheel bytes")
    index = seeding.IndexOptions(find_links=("/wheels",))
    step, merged = seeding.with_seed(seeding.Step(lines=("alpha",)), index, {"pip": wheel})
    assert step.lines == ("alpha", f"pip==26.3 --hash=sha256:{hashlib.sha256(b'wheel bytes').hexdigest()}")
    assert merged.find_links == ("/wheels", str(wheel.parent))
