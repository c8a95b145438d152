"""What a tox env without `ready = true` gets: pure decisions from the environment and config files."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from virtualenv_ready import tox_envs


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """An environment whose virtualenv.ini and settings file are the test's own (none written yet)."""
    return {
        "VIRTUALENV_CONFIG_FILE": str(tmp_path / "virtualenv.ini"),
        "VIRTUALENV_READY_CONFIG_FILE": str(tmp_path / "config.toml"),
    }


def ini(env: dict[str, str], text: str) -> None:
    Path(env["VIRTUALENV_CONFIG_FILE"]).write_text(f"[virtualenv]\n{text}", encoding="utf-8")


def test_default_seeder_in_virtualenv_order(files: dict[str, str]) -> None:
    assert tox_envs.default_seeder(files) == ("", False)
    Path(files["VIRTUALENV_READY_CONFIG_FILE"]).write_text("enabled = true\n", encoding="utf-8")
    assert tox_envs.default_seeder(files) == ("ready", False)  # enable
    ini(files, "seeder = pip\n")
    assert tox_envs.default_seeder(files) == ("pip", False)  # the ini hides enable
    assert tox_envs.default_seeder({**files, "VIRTUALENV_SEEDER": "ready"}) == ("ready", True)


def test_package_envs_are_plain_whatever_chose_ready(files: dict[str, str]) -> None:
    assert tox_envs.package_env_vars(files) == {}
    assert tox_envs.package_env_vars({**files, "VIRTUALENV_SEEDER": "ready"}) == {"VIRTUALENV_SEEDER": "app-data"}
    ini(files, "seeder = ready\nready_in_tools = true\n")
    assert tox_envs.package_env_vars(files) == {"VIRTUALENV_SEEDER": "app-data"}
    ini(files, "seeder = pip\n")
    assert tox_envs.package_env_vars(files) == {}  # another seeder is the user's


def test_run_envs_without_ready(files: dict[str, str], tmp_path: Path) -> None:
    assert tox_envs.run_env_vars(files, tmp_path, tox_installs=True) == ({}, False)
    ini(files, "seeder = ready\n")
    assert tox_envs.run_env_vars(files, tmp_path, tox_installs=True) == ({"VIRTUALENV_SEEDER": "app-data"}, True)
    ini(files, "seeder = ready\nready_in_tools = true\n")
    opted = {"VIRTUALENV_READY_PROJECT": str(tmp_path), "VIRTUALENV_READY_NO_PROJECT": "1"}
    assert tox_envs.run_env_vars(files, tmp_path, tox_installs=True) == (opted, False)
    assert tox_envs.run_env_vars(files, tmp_path, tox_installs=False) == (
        {"VIRTUALENV_READY_PROJECT": str(tmp_path)},
        False,
    )


def test_activators_chosen_by_the_user(files: dict[str, str]) -> None:
    assert not tox_envs.activators_chosen(files)
    assert tox_envs.activators_chosen({**files, "VIRTUALENV_ACTIVATORS": "bash"})
    ini(files, "activators = bash,fish\n")
    assert tox_envs.activators_chosen(files)


@pytest.mark.parametrize(
    ("name", "text", "toml"),
    [
        ("tox.ini", "[testenv]\n", False),
        ("setup.cfg", "[tox:tox]\n", False),
        ("tox.toml", "[env_run_base]\n", True),
        ("pyproject.toml", "[tool.tox]\nenv_list = ['a']\n", True),
        ("pyproject.toml", "[tool.tox]\nlegacy_tox_ini = '''\n[testenv]\n'''\n", False),
    ],
)
def test_override_hint_in_the_config_form(tmp_path: Path, name: str, text: str, toml: bool) -> None:
    config = tmp_path / name
    config.write_text(text, encoding="utf-8")
    hint = tox_envs.turn_on_hint(config)
    assert ("-x env_run_base.ready=true" in hint) is toml
    assert ("-x testenv.ready=true" in hint) is not toml


def test_provisioning_requirements() -> None:
    assert tox_envs.missing([Requirement("tox>=999"), Requirement("virtualenv")]) == ["tox>=999"]
    assert tox_envs.missing([Requirement("no-such-dist-here"), Requirement("x; python_version < '3'")]) == [
        "no-such-dist-here"
    ]
    assert tox_envs.names_us([Requirement("Virtualenv_Ready>=0.1")])
    assert not tox_envs.names_us([Requirement("tox")])


@pytest.mark.parametrize(
    ("value", "carries"),
    [
        ("https://user:token@host.invalid/simple/", True),
        ("https://token@host.invalid/simple/", True),
        ("https://host.invalid/simple/?token=abc", True),
        ("https://host.invalid/simple/ https://u:t@other.invalid/simple/", True),  # the second of a list
        ("https://host.invalid/simple/,https://u:t@other.invalid/simple/", True),
        ("https://host.invalid/simple/", False),
        ("/srv/wheels,https://host.invalid/wheels/", False),
        ("dev,test", False),
        ("1", False),
        ("someone@example", False),  # not a URL
    ],
)
def test_carries_credential(value: str, carries: bool) -> None:
    assert tox_envs.carries_credential(value) is carries


def test_withheld_names_only_ours_with_credentials_not_named_in_pass_env() -> None:
    env = {
        "VIRTUALENV_READY_INDEX_URL": "https://u:t@host.invalid/simple/",
        "VIRTUALENV_READY_EXTRA_INDEX_URL": "https://u:t@other.invalid/simple/",
        "VIRTUALENV_READY_FIND_LINKS": "https://host.invalid/wheels/",
        "VIRTUALENV_READY_GROUPS": "dev",
        "VIRTUALENV_EXTRA_SEARCH_DIR": "https://u:t@host.invalid/x",  # virtualenv's own: not ours to withhold
        "PIP_INDEX_URL": "https://u:t@host.invalid/simple/",
    }
    defaults = ["PIP_*", "VIRTUALENV_*", "HOME"]
    assert tox_envs.withheld(env, defaults) == {"VIRTUALENV_READY_INDEX_URL", "VIRTUALENV_READY_EXTRA_INDEX_URL"}
    # named one by one (tox matches names without regard to case): the user asked for it; a glob is not a name
    assert tox_envs.withheld(env, [*defaults, "virtualenv_ready_index_url", "VIRTUALENV_READY_*"]) == {
        "VIRTUALENV_READY_EXTRA_INDEX_URL"
    }


def test_masked_hides_the_credentials_of_ours_only() -> None:
    env = {
        "VIRTUALENV_READY_EXTRA_INDEX_URL": "https://u:t@one.invalid/simple/ https://two.invalid/simple/?token=abc",
        "VIRTUALENV_READY_INDEX_URL": "https://host.invalid/simple/",
        "PIP_INDEX_URL": "https://u:t@host.invalid/simple/",
    }
    assert tox_envs.masked(env) == {
        "VIRTUALENV_READY_EXTRA_INDEX_URL": "https://****@one.invalid/simple/ https://two.invalid/simple/?token=****",
        "VIRTUALENV_READY_INDEX_URL": "https://host.invalid/simple/",
        "PIP_INDEX_URL": "https://u:t@host.invalid/simple/",
    }
    clean = {"VIRTUALENV_READY_GROUPS": "dev"}
    assert tox_envs.masked(clean) is clean
