"""What `sync` asks virtualenv for when it restores what a fresh creation writes: pure translations of the record."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from virtualenv_ready.record import COMPLETE, Record
from virtualenv_ready.repair import (
    Wanted,
    activation_args,
    activation_of,
    base_python,
    missing_seeds,
    scratch_dest,
    script_lines,
    seed_args,
    seed_names,
)
from virtualenv_ready.target import Target

if TYPE_CHECKING:
    import pytest

SEED = {"pip": "bundle", "setuptools": "24.0", "download": False, "extra_search_dir": ["/w"], "symlink": False}


def test_activation_of_reads_virtualenvs_default_and_the_dot_prompt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert activation_of("bash,fish, ci", None) == {"activators": ["bash", "fish", "ci"], "prompt": None}
    assert activation_of([], "my env") == {"activators": [], "prompt": "my env"}
    assert activation_of(["bash"], ".") == {"activators": ["bash"], "prompt": tmp_path.name}
    assert activation_of(None, None) == {"activators": [], "prompt": None}


def test_seed_args_seed_only_what_is_missing_as_recorded() -> None:
    assert seed_names(SEED) == ("pip", "setuptools")
    args = seed_args(SEED, ["setuptools"], ["pip", "setuptools"])
    assert args == [
        "--seeder",
        "app-data",
        "--no-periodic-update",
        "--no-pip",
        "--setuptools",
        "24.0",
        "--no-download",
        "--extra-search-dir",
        "/w",
    ]
    assert "--symlink-app-data" in seed_args({**SEED, "symlink": True}, ["pip"], ["pip"])
    assert "--download" in seed_args({**SEED, "download": True}, ["pip"], ["pip"])


def test_seed_args_of_an_adopted_env_are_virtualenvs_defaults() -> None:
    assert seed_args(None, [], ["pip", "setuptools"]) == ["--seeder", "app-data", "--no-periodic-update"]
    assert seed_args(None, ["pip"], ["pip", "setuptools"])[-1] == "--no-setuptools"


def test_activation_args_leave_out_what_is_gone() -> None:
    assert activation_args(None, ["bash"]) == []
    recorded = {"activators": ["bash", "gone", "venv-run"], "prompt": "p"}
    assert activation_args(recorded, ["bash", "venv-run"]) == ["--activators", "bash,venv-run", "--prompt", "p"]
    assert activation_args({"activators": [], "prompt": None}, ["bash"]) == ["--activators", ""]


def test_wanted_of_a_record() -> None:
    adopted = Wanted.of(None)
    assert (adopted.seed, adopted.activation, adopted.rewrite) == (None, None, False)
    made = Wanted.of(Record(status=COMPLETE, seed=SEED, activation={"activators": ["bash"]}))
    assert made.rewrite  # our creation wrote the scripts and no sync confirmed them yet
    assert not made.no_scripts
    confirmed = Wanted.of(Record(seed=SEED, activation={"activators": ["bash"]}, scripts=("bin/activate",)))
    assert not confirmed.rewrite
    assert Wanted.of(Record(activation={"activators": []})).no_scripts
    assert Wanted.of(Record()).seed == {}  # --no-seed: nothing to seed
    assert missing_seeds(made, {"pip": "26.0"}) == ("setuptools",)


def test_script_lines() -> None:
    assert script_lines(["bin/b", "bin/a"], ["bin/c"], ["pip"]) == [
        "+ pip (a seed package)",
        "activation script missing: bin/a",
        "activation script missing: bin/b",
        "activation script differs from a fresh one: bin/c",
    ]
    assert script_lines([], [], []) == []


def test_scratch_dest_is_as_long_where_it_fits(tmp_path: Path) -> None:
    venv = tmp_path / ("x" * 40) / ".venv"
    scratch = scratch_dest(tmp_path / "t", venv)
    assert scratch.name == ".venv"
    assert len(str(scratch)) == len(str(venv))
    short = scratch_dest(tmp_path / "t", Path("/v"))
    assert short == tmp_path / "t" / "v"


def test_base_python_from_pyvenv_cfg(tmp_path: Path) -> None:
    own = tmp_path / "bin" / "python"
    target = Target(tmp_path, own, tmp_path / "bin", ())
    assert base_python(target) == own  # no pyvenv.cfg
    base = tmp_path / "base-python"
    base.write_text("")
    (tmp_path / "pyvenv.cfg").write_text(f"home = /x\nbase-executable = {base}\n")
    assert base_python(target) == base
    (tmp_path / "pyvenv.cfg").write_text("executable = /no/such/python\n")
    assert base_python(target) == own
