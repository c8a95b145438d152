"""Option layering without creating an env: CLI > env var > virtualenv.ini > [tool.virtualenv-ready] > default,
each value with its origin, the org policy on top, and sync's rules for taking values from a record."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

import pytest

from virtualenv_ready.config import from_record, layer, resolve, resolve_environment
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.options import CLI, INI, OPTIONS, Origin, env_origin

TABLE = "[tool.virtualenv-ready]"


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".git").mkdir()
    return root


def write_table(project: Path, body: str) -> None:
    (project / "pyproject.toml").write_text(f"[project]\nname = 'app'\nversion = '1'\n\n{TABLE}\n{body}")


def an_env(tmp_path: Path, ini: str = "", **variables: str) -> dict[str, str]:
    """An environment with its own virtualenv.ini and no org policy."""
    path = tmp_path / "virtualenv.ini"
    path.write_text(f"[virtualenv]\n{ini}")
    return {
        "VIRTUALENV_CONFIG_FILE": str(path),
        "VIRTUALENV_READY_POLICY": "",
        **{f"VIRTUALENV_READY_{k.upper()}": v for k, v in variables.items()},
    }


@pytest.fixture(autouse=True)
def _no_site_policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # an empty VIRTUALENV_READY_POLICY falls back to the site config dir: point that somewhere empty
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "no-site-config"))


# each layer, from the top: the value of --ready-groups it gives, and the origin it is reported with
LAYERS = ["cli", "env", "ini", "project", "default"]


@pytest.mark.parametrize("top", LAYERS)
def test_the_highest_layer_that_sets_a_value_wins(tmp_path: Path, proj: Path, top: str) -> None:
    below = LAYERS[LAYERS.index(top) :]
    env = an_env(
        tmp_path, "ready_groups = ini\n" if "ini" in below else "", **({"groups": "env"} if "env" in below else {})
    )
    if "project" in below:
        write_table(proj, 'groups = ["project"]\n')
    cli = {"ready_groups": ["cli"]} if "cli" in below else {}
    config = resolve_environment({"ready_project": str(proj), **cli}, env=env, cwd=proj)
    expected = {"cli": ("cli",), "env": ("env",), "ini": ("ini",), "project": ("project",), "default": None}[top]
    assert config.groups == expected
    origin = config.origin["ready_groups"]
    assert origin.kind == top
    shown = {
        "cli": "cli",
        "env": "env var VIRTUALENV_READY_GROUPS",
        "ini": "virtualenv.ini",
        "project": f"{proj / 'pyproject.toml'} {TABLE}",
        "default": "default",
    }[top]
    assert origin == shown


def test_every_option_has_an_origin(tmp_path: Path, proj: Path) -> None:
    config = resolve_environment({"ready_project": str(proj)}, env=an_env(tmp_path), cwd=proj)
    assert set(config.origin) == {opt.dest for opt in OPTIONS}
    assert all(isinstance(origin, Origin) for origin in config.origin.values())
    assert config.origin["ready_project"].kind == "cli"
    assert {origin.kind for dest, origin in config.origin.items() if dest != "ready_project"} == {"default"}


def test_the_project_found_says_why(tmp_path: Path, proj: Path) -> None:
    write_table(proj, "")
    (proj / "src").mkdir()
    config = resolve_environment(env=an_env(tmp_path), cwd=proj / "src")
    assert config.project == proj
    assert config.origin["ready_project"].kind == "default"
    assert config.origin["ready_project"] == f"nearest parent with pyproject.toml of {proj / 'src'}"


def test_resolve_reads_origins_from_virtualenvs_inputs(tmp_path: Path, proj: Path) -> None:
    """The seeder's path: virtualenv folded env vars and the ini into the namespace; resolve tells them apart."""
    env = an_env(tmp_path, "ready_extras = fast\nready_no_lock = true\n", groups="dev")
    given = {"ready_groups": "dev", "ready_extras": "fast", "ready_no_lock": True, "ready_constraint": ["c.txt"]}
    namespace = Namespace(**{**{opt.dest: None for opt in OPTIONS}, **given})
    config = resolve(namespace, cwd=proj, env=env)
    assert config.origin["ready_groups"] == env_origin("VIRTUALENV_READY_GROUPS")
    assert config.origin["ready_extras"].kind == "ini"
    assert config.origin["ready_no_lock"] == INI
    assert config.origin["ready_constraint"] == CLI
    assert (config.groups, config.extras, config.no_lock) == (("dev",), ("fast",), True)
    assert config.constraints == (str(proj / "c.txt"),)


def test_lists_split_on_commas_and_newlines(tmp_path: Path, proj: Path) -> None:
    env = an_env(tmp_path, "ready_only_binary =\n  alpha, beta\n  gamma\n", extras=" fast ,, slow ")
    config = resolve_environment({"ready_project": str(proj)}, env=env, cwd=proj)
    assert config.only_binary == ("alpha", "beta", "gamma")
    assert config.extras == ("fast", "slow")


def test_an_empty_list_is_set_but_an_empty_env_var_is_not(tmp_path: Path, proj: Path) -> None:
    write_table(proj, 'groups = ["docs"]\n')
    chosen = resolve_environment({"ready_project": str(proj), "ready_groups": [""]}, env=an_env(tmp_path), cwd=proj)
    assert chosen.groups == ()  # --ready-groups "": no group at all
    empty_var = resolve_environment({"ready_project": str(proj)}, env=an_env(tmp_path, groups=""), cwd=proj)
    assert empty_var.groups == ("docs",)  # an empty VIRTUALENV_* is unset, as virtualenv reads it
    assert empty_var.origin["ready_groups"].kind == "project"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("On", True), ("0", False), ("no", False)])
def test_flags_read_as_virtualenv_reads_them(tmp_path: Path, proj: Path, raw: str, expected: bool) -> None:
    env = an_env(tmp_path, f"ready_require_hashes = {raw}\n", no_index=raw)
    config = resolve_environment({"ready_project": str(proj)}, env=env, cwd=proj)
    assert (config.no_index, config.require_hashes) == (expected, expected)


def test_strings_fall_back_to_their_default(tmp_path: Path, proj: Path) -> None:
    config = resolve_environment(
        {"ready_project": str(proj), "ready_installer": "", "ready_index_url": ""}, env=an_env(tmp_path), cwd=proj
    )
    assert (config.installer, config.index_url) == ("auto", None)


def test_paths_are_relative_to_the_layer_that_names_them(tmp_path: Path, proj: Path) -> None:
    write_table(proj, 'requirements = ["reqs/dev.txt"]\nconstraints = ["https://example.invalid/c.txt"]\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = an_env(tmp_path, find_links="wheels")
    config = resolve_environment({"ready_project": str(proj)}, env=env, cwd=elsewhere)
    assert config.requirements == (str(proj / "reqs" / "dev.txt"),)
    assert config.constraints == ("https://example.invalid/c.txt",)
    assert config.find_links == (str(elsewhere / "wheels"),)


def test_a_project_file_cannot_choose_sources(tmp_path: Path, proj: Path) -> None:
    write_table(proj, 'extra-index-url = "https://evil.invalid/simple"\n')
    with pytest.raises(
        ReadyError, match=r"extra-index-url: a project file cannot choose where packages come from; set"
    ):
        resolve_environment({"ready_project": str(proj)}, env=an_env(tmp_path), cwd=proj)
    write_table(proj, 'trusted-host = "evil.invalid"\n')
    with pytest.raises(ReadyError, match=r"trusted-host: a project file cannot choose .*; remove it$"):
        resolve_environment({"ready_project": str(proj)}, env=an_env(tmp_path), cwd=proj)
    write_table(proj, "only-binary = [':all:']\n")
    with pytest.raises(ReadyError, match=r"unknown key 'only-binary'; valid keys: requirements, constraints, extras"):
        resolve_environment({"ready_project": str(proj)}, env=an_env(tmp_path), cwd=proj)


def test_a_missing_project_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReadyError, match=r"no such directory; pass an existing project directory"):
        resolve_environment({"ready_project": str(tmp_path / "gone")}, env=an_env(tmp_path))


def test_the_policy_goes_on_top(tmp_path: Path, proj: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'index-url = "https://idx.invalid/simple"\ninstaller = "uv"\nrequire-hashes = true\n'
        'find-links = ["https://idx.invalid/wheels"]\nconstraints = ["https://idx.invalid/c.txt"]\n'
    )
    env = {**an_env(tmp_path), "VIRTUALENV_READY_POLICY": str(policy)}
    config = resolve_environment({"ready_project": str(proj)}, env=env, cwd=proj)
    assert (config.index_url, config.installer, config.require_hashes) == ("https://idx.invalid/simple", "uv", True)
    assert config.find_links == ("https://idx.invalid/wheels",)
    for dest, key in [
        ("ready_index_url", "index-url"),
        ("ready_installer", "installer"),
        ("ready_require_hashes", "require-hashes"),
        ("ready_find_links", "find-links"),
        ("ready_constraint", "constraints"),
    ]:
        assert config.origin[dest].kind == "policy"
        assert config.origin[dest] == f"org policy {policy} ({key})"
    assert config.origin["ready_extra_index_url"].kind == "default"  # the policy sets none


def test_the_policy_refuses_a_layer_naming_it(tmp_path: Path, proj: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('installer = "uv"\n')
    env = {**an_env(tmp_path, installer="pip"), "VIRTUALENV_READY_POLICY": str(policy)}
    with pytest.raises(ReadyError, match=r"^env var VIRTUALENV_READY_INSTALLER: --ready-installer pip is refused"):
        resolve_environment({"ready_project": str(proj)}, env=env, cwd=proj)


def test_layer_takes_origins_as_given(tmp_path: Path, proj: Path) -> None:
    tox = Origin("tox", "tox env py ready_groups")
    config = layer({"ready_project": (str(proj), CLI), "ready_groups": ("a,b", tox)}, cwd=proj, env=an_env(tmp_path))
    assert config.groups == ("a", "b")
    assert config.origin["ready_groups"] is tox


RECORDED = {
    "requirements": ["/abs/requirements.txt"],
    "constraints": [],
    "extras": ["fast"],
    "groups": None,
    "no_project": True,
    "no_lock": False,
    "installer": "pip",
    "index_url": "https://recorded.invalid/simple",
    "extra_index_urls": [],
    "find_links": [],
    "no_index": False,
    "only_binary": [":all:"],
    "require_hashes": False,
    "allow_project_sources": True,
    "mandatory": [],
}


def test_sync_takes_what_from_the_record_and_where_from_today(tmp_path: Path, proj: Path) -> None:
    env = an_env(tmp_path, "ready_only_binary = beta\n", extras="today", index_url="https://today.invalid/simple")
    config = from_record(tmp_path / "venv", str(proj), RECORDED, {"ready_dry_run": True, "ready_no_lock": None}, env)
    in_record = f"record of {tmp_path / 'venv'}"
    # what to install: the record's, whatever today's environment says
    assert (config.project, config.extras, config.installer, config.no_project) == (proj, ("fast",), "pip", True)
    assert config.requirements == ("/abs/requirements.txt",)
    assert config.origin["ready_extras"] == in_record
    assert config.origin["ready_extras"].kind == "record"
    assert config.origin["ready_project"].kind == "record"
    # where from: today's environment when it sets it, else the record's
    assert config.index_url == "https://today.invalid/simple"
    assert config.origin["ready_index_url"] == env_origin("VIRTUALENV_READY_INDEX_URL")
    assert config.only_binary == ("beta",)
    assert config.origin["ready_only_binary"] == INI
    # recorded only to notice a change: never taken from the record
    assert config.allow_project_sources is False
    assert (config.dry_run, config.origin["ready_dry_run"]) == (True, CLI)
    assert config.origin["ready_no_lock"].kind == "default"


def test_sync_uses_recorded_sources_when_today_sets_none(tmp_path: Path, proj: Path) -> None:
    config = from_record(tmp_path / "venv", str(proj), RECORDED, {}, an_env(tmp_path))
    assert (config.index_url, config.only_binary) == ("https://recorded.invalid/simple", (":all:",))
    assert config.origin["ready_index_url"].kind == "record"


def test_sync_refuses_recorded_credentials(tmp_path: Path, proj: Path) -> None:
    masked = {**RECORDED, "extra_index_urls": ["https://****@private.invalid/simple"]}
    venv = tmp_path / "venv"
    with pytest.raises(ReadyError) as info:
        from_record(venv, str(proj), masked, {}, an_env(tmp_path))
    assert str(info.value) == (
        f"{venv}: the recorded extra_index_urls had credentials, which are never stored; "
        "set VIRTUALENV_READY_EXTRA_INDEX_URL to sync"
    )
    today = an_env(tmp_path, extra_index_url="https://u:p@private.invalid/simple")
    config = from_record(venv, str(proj), masked, {}, today)  # today's value replaces the masked one
    assert config.extra_index_urls == ("https://u:p@private.invalid/simple",)


def test_a_config_from_its_own_record_compares_equal(tmp_path: Path, proj: Path) -> None:
    env = an_env(tmp_path, extras="fast", index_url="https://u:secret@idx.invalid/simple", only_binary=":all:")
    first = resolve_environment({"ready_project": str(proj), "ready_no_project": True}, env=env, cwd=proj)
    options = first.decisive()
    assert "secret" not in str(options)
    again = from_record(tmp_path / "venv", str(proj), options, {}, env)
    assert again.decisive() == options
