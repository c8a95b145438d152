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


def test_digests_are_what_sha256_file_says(tmp_path: Path) -> None:
    import hashlib

    from virtualenv_ready.files import sha256_file
    from virtualenv_ready.seeding import Digests

    wheel = tmp_path / "pip-1-py3-none-any.whl"
    wheel.write_bytes(b"x" * 100_000)
    gone = tmp_path / "gone.whl"
    digests = Digests([wheel, gone])
    assert digests.of(wheel) == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert digests.of(gone) == sha256_file(gone) == "missing"


def test_seed_wheels_are_looked_up_once_and_hashed_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from virtualenv_ready import seeding
    from virtualenv_ready.seeding import SeedRequest, looked_up_early, with_seed

    wheel = tmp_path / "pip-26.3-py3-none-any.whl"
    wheel.write_bytes(b"wheel bytes")
    calls: list[int] = []

    def lookup() -> dict[str, Path]:
        calls.append(1)
        return {"pip": wheel}

    monkeypatch.setattr(seeding, "via_installer", lambda _request: True)
    early = looked_up_early(SeedRequest({"pip": "bundle"}, ("pip",), lookup))
    assert early.wheels is not None and early.digests is not None
    assert early.wheels() == early.wheels() == {"pip": wheel} and calls == [1]
    assert early == SeedRequest({"pip": "bundle"}, ("pip",), early.wheels)  # the digests are not part of the request
    step, _ = with_seed(seeding.Step(lines=("alpha",)), seeding.IndexOptions(), early.wheels(), early.digests)
    assert step.lines == ("alpha", f"pip==26.3 --hash=sha256:{hashlib.sha256(b'wheel bytes').hexdigest()}")
    assert looked_up_early(early) is early
    plain = SeedRequest({"pip": "bundle"}, ("pip",), None)
    assert looked_up_early(plain) is plain
    monkeypatch.setattr(seeding, "via_installer", lambda _request: False)
    assert looked_up_early(SeedRequest({}, ("pip",), lookup)).digests is None and calls == [1]
