"""The conductor's verdict once the plan is made: up to date, drift accepted, left alone, or install."""

from __future__ import annotations

from dataclasses import replace

from virtualenv_ready.freshness import check_lines, decide, package_lines, seeded
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


# --- `sync --check`'s lines ------------------------------------------------------------------------------------


def test_package_lines_read_like_uv_sync_check() -> None:
    """`uv sync --check` names packages: `+` would come, `-` would go, a changed version is both, by name."""
    installed = {"alpha": "2.0", "beta": "1.0", "zeta": "1.0"}
    wanted = {"attrs": "23.1", "alpha": "1.0", "beta": "1.0", "delta": None}
    assert package_lines(wanted, installed, remove=["zeta"]) == [
        "- alpha==2.0",
        "+ alpha==1.0",
        "+ attrs==23.1",
        "+ delta",
        "- zeta==1.0",
    ]
    assert package_lines({}, installed) == []
    assert package_lines({"beta": None}, installed) == []  # installed, and no version asked for


DONE_INPUTS = Record(
    status=COMPLETE,
    fingerprint="f",
    inputs={"/p/requirements.txt": "a"},
    installed={"alpha": "1.0", "delta": "1.0"},
)


def test_check_lines_name_the_package_not_the_file() -> None:
    changed = {"/p/requirements.txt": "b"}
    assert check_lines(DONE_INPUTS, changed, "g", {"alpha": "1.0", "delta": "1.0"}, {"attrs": None}) == ["+ attrs"]
    # a change that adds no package (a pin moved, a comment): the file is what differs
    same = check_lines(DONE_INPUTS, changed, "g", {"alpha": "1.0", "delta": "1.0"}, {})
    assert same == ["changed /p/requirements.txt"]


def test_check_lines_for_drift() -> None:
    found = check_lines(DONE_INPUTS, {"/p/requirements.txt": "a"}, "f", {"alpha": "2.0"}, {})
    assert found == ["- alpha==2.0", "+ alpha==1.0", "+ delta==1.0"]
    assert check_lines(DONE_INPUTS, {"/p/requirements.txt": "a"}, "f", {"alpha": "1.0", "delta": "1.0"}, {}) == []
    options = check_lines(DONE_INPUTS, {"/p/requirements.txt": "a"}, "g", {"alpha": "1.0", "delta": "1.0"}, {})
    assert options == ["the options or sources changed"]


def test_an_unfinished_install_calls_no_file_new_and_points_at_nothing_above() -> None:
    cut = Record(status=INCOMPLETE, error="installing requirements.txt with uv failed (its explanation is above)")
    found = check_lines(cut, {"/p/requirements.txt": "a"}, "f", {}, {"beta": None})
    assert found == ["the last install did not finish (installing requirements.txt with uv failed)", "+ beta"]
    assert check_lines(Record(status=INCOMPLETE), {"/p/requirements.txt": "a"}, "f", {}, {}) == [
        "the last install did not finish (incomplete)"
    ]


def test_a_file_the_record_never_saw_is_new() -> None:
    found = check_lines(
        DONE_INPUTS, {"/p/requirements.txt": "a", "/p/pyproject.toml": "c"}, "g", DONE_INPUTS.installed or {}, {}
    )
    assert found == ["new input /p/pyproject.toml"]
    gone = check_lines(DONE_INPUTS, {}, "g", DONE_INPUTS.installed or {}, {})
    assert gone == ["input gone: /p/requirements.txt"]


def test_an_adopted_env_with_the_seed_packages_counts_as_seeded() -> None:
    request = SeedRequest({"pip": None}, ("pip", "setuptools"))
    adopted = Record(status=COMPLETE, fingerprint="f")  # `sync` adopted it: no seed keys
    assert seeded(adopted, Mode(seed=request), {"pip": "26.0", "setuptools": "80"})
    assert not seeded(adopted, Mode(seed=request), {"pip": "26.0"})
    assert not seeded(DONE, Mode(seed=SeedRequest({"pip": "25.0"}, ("pip",))), {"pip": "26.0"})
    assert seeded(DONE, Mode(), {})
