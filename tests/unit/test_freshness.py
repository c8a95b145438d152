"""The conductor's verdict once the plan is made: up to date, drift accepted, left alone, or install."""

from __future__ import annotations

from dataclasses import replace

from virtualenv_ready.freshness import decide, seeded
from virtualenv_ready.mode import ACCEPTED, FRESH, LEFT, Mode
from virtualenv_ready.record import COMPLETE, INCOMPLETE, Record
from virtualenv_ready.seeding import SeedRequest

DONE = Record(status=COMPLETE, fingerprint="f", seed={"pip": None})


def test_nothing_differs_is_fresh() -> None:
    assert decide(DONE, [], "f", Mode()) == FRESH


def test_differences_install() -> None:
    assert decide(DONE, ["changed requirements.txt"], "g", Mode()) is None


def test_no_record_installs() -> None:
    assert decide(None, [], "f", Mode()) is None


def test_exact_always_installs() -> None:
    assert decide(DONE, [], "f", Mode(exact=True)) is None


def test_other_seed_options_seed_again() -> None:
    same = SeedRequest({"pip": None}, ("pip",))
    other = SeedRequest({"pip": "25.0"}, ("pip",))
    assert decide(DONE, [], "f", Mode(seed=same)) == FRESH
    assert decide(DONE, [], "f", Mode(seed=other)) is None


def test_tox_accepts_drift_only_with_the_same_plan() -> None:
    drift = ["alpha is 2.0, the record says 1.0"]
    assert decide(DONE, drift, "f", Mode(accept_drift=True)) == ACCEPTED
    assert decide(DONE, drift, "g", Mode(accept_drift=True)) is None
    assert decide(replace(DONE, status=INCOMPLETE), drift, "f", Mode(accept_drift=True)) is None


def test_a_sync_that_never_installs_leaves_the_env() -> None:
    assert decide(DONE, ["changed requirements.txt"], "g", Mode(install=False)) == LEFT
    assert decide(DONE, [], "f", Mode(install=False)) == FRESH


def test_an_adopted_env_with_the_seed_packages_counts_as_seeded() -> None:
    request = SeedRequest({"pip": None}, ("pip", "setuptools"))
    adopted = Record(status=COMPLETE, fingerprint="f")  # `sync` adopted it: no seed keys
    assert seeded(adopted, Mode(seed=request), {"pip": "26.0", "setuptools": "80"})
    assert not seeded(adopted, Mode(seed=request), {"pip": "26.0"})
    assert not seeded(DONE, Mode(seed=SeedRequest({"pip": "25.0"}, ("pip",))), {"pip": "26.0"})
    assert seeded(DONE, Mode(), {})
