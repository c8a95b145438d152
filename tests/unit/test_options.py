"""The option table is the one list: argparse help, the config fields, the record, doctor, tox and the docs agree."""

from __future__ import annotations

import copy
import re
from argparse import ArgumentParser
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

import pytest

from virtualenv_ready.model import IndexOptions, ReadyConfig
from virtualenv_ready.options import (
    OPTIONS,
    PROJECT_KEYS,
    SOURCE_KEYS,
    Origin,
    add_arguments,
    environment_values,
    recorded,
    tox_options,
)

ROOT = Path(__file__).resolve().parents[2]
NOT_OPTIONS = {"mandatory", "policy", "origin"}  # set by the org policy and by resolving, not by an option


def test_names_follow_the_flag() -> None:
    for opt in OPTIONS:
        assert opt.flag.startswith("--ready-")
        assert opt.dest == "ready_" + opt.name.replace("-", "_")
        assert opt.env_var == f"VIRTUALENV_{opt.dest.upper()}"
        assert opt.ini_key == opt.dest
    assert len({opt.dest for opt in OPTIONS}) == len(OPTIONS)


def test_every_option_is_in_the_argparse_help() -> None:
    parser = ArgumentParser(prog="virtualenv")
    add_arguments(parser)
    text = " ".join(parser.format_help().split())
    for opt in OPTIONS:
        shown = f"{opt.flag} {opt.metavar}" if opt.metavar else opt.flag
        assert shown in text
        assert " ".join(opt.help.split()) in text


def test_argparse_parses_each_kind() -> None:
    parser = ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--ready-groups", "a", "--ready-groups", "b", "--ready-groups", "a", "--ready-no-index"])
    assert args.ready_groups == ["a", "b"]
    assert args.ready_no_index is True
    assert args.ready_installer is None  # unset stays detectable


def test_the_config_has_one_field_per_option_with_the_tables_default() -> None:
    declared = {f.name: f for f in fields(ReadyConfig)}
    assert set(declared) - NOT_OPTIONS == {opt.field for opt in OPTIONS if opt.field}
    for opt in OPTIONS:
        if opt.field and opt.field != "project":
            assert declared[opt.field].default is not MISSING
            assert declared[opt.field].default == opt.default, opt.flag


def test_index_options_are_the_where_options() -> None:
    assert [f.name for f in fields(IndexOptions)] == [opt.field for opt in recorded("where")]
    config = ReadyConfig(Path("p"), index_url="https://i.invalid/simple", no_index=True, only_binary=(":all:",))
    assert IndexOptions.from_config(config) == IndexOptions(
        index_url="https://i.invalid/simple", no_index=True, only_binary=(":all:",)
    )


def test_the_records_options_keep_their_keys() -> None:
    """Existing records compare equal only while these keys stay what they were."""
    assert list(ReadyConfig(Path("p")).decisive()) == [
        "requirements",
        "constraints",
        "extras",
        "groups",
        "no_project",
        "no_lock",
        "installer",
        "index_url",
        "extra_index_urls",
        "find_links",
        "no_index",
        "only_binary",
        "require_hashes",
        "allow_project_sources",
        "mandatory",
    ]


def test_the_record_holds_no_credentials() -> None:
    config = ReadyConfig(
        Path("p"), index_url="https://user:tok@i.invalid/simple", extra_index_urls=("https://a:b@x.invalid",)
    )
    options = config.decisive()
    assert options["index_url"] == "https://****@i.invalid/simple"
    assert options["extra_index_urls"] == ["https://****@x.invalid"]


def test_project_keys() -> None:
    assert PROJECT_KEYS == ("requirements", "constraints", "extras", "groups", "no-project", "no-lock", "installer")
    assert SOURCE_KEYS == ("index-url", "extra-index-url", "find-links", "no-index", "trusted-host")
    assert {opt.in_record for opt in OPTIONS if opt.project_key} == {"what"}  # a project never says where from


def test_environment_values_env_over_ini() -> None:
    env = {"VIRTUALENV_READY_GROUPS": "dev", "VIRTUALENV_READY_NO_INDEX": "yes", "VIRTUALENV_READY_EXTRAS": ""}
    ini = {"ready_groups": "docs", "ready_extras": "fast", "ready_installer": "pip"}
    values = environment_values(env, ini)
    assert values == {
        "ready_groups": ("dev", "env var VIRTUALENV_READY_GROUPS"),
        "ready_no_index": (True, "env var VIRTUALENV_READY_NO_INDEX"),
        "ready_extras": ("fast", "virtualenv.ini"),
        "ready_installer": ("pip", "virtualenv.ini"),
    }
    assert {dest: origin.kind for dest, (_, origin) in values.items()} == {
        "ready_groups": "env",
        "ready_no_index": "env",
        "ready_extras": "ini",
        "ready_installer": "ini",
    }


def test_origin_is_its_text_with_a_kind() -> None:
    origin = Origin("env", "env var VIRTUALENV_READY_GROUPS")
    assert origin == "env var VIRTUALENV_READY_GROUPS"
    assert f"{origin}: bad" == "env var VIRTUALENV_READY_GROUPS: bad"
    again = copy.deepcopy(origin)
    assert (again, again.kind) == (origin, "env")
    assert Origin("default").kind == "default"


def test_doctor_lists_every_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from virtualenv_ready.doctor import _print_options

    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "no-site-config"))
    monkeypatch.setenv("VIRTUALENV_READY_NO_INDEX", "1")
    monkeypatch.chdir(tmp_path)
    ini = tmp_path / "virtualenv.ini"
    _print_options(ini, {"ready_in_tools": "true", "ready_groups": "docs"})
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" = ")[0].strip() for line in lines] == [opt.flag for opt in OPTIONS]
    assert "  --ready-in-tools = True [" + str(ini) + "]" in lines
    assert "  --ready-groups = docs [" + str(ini) + "]" in lines
    assert "  --ready-no-index = True [env var VIRTUALENV_READY_NO_INDEX]" in lines
    assert "  --ready-dry-run = False [default]" in lines


class _EnvConf:
    """Stands in for tox's EnvConfigSet: records the keys a plugin adds."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Any]] = {}

    def add_config(self, keys: list[str], **kwargs: Any) -> None:
        self.keys[keys[0]] = kwargs


def test_tox_has_a_key_for_each_option_that_names_one() -> None:
    pytest.importorskip("tox")
    from virtualenv_ready.tox_plugin import tox_add_env_config

    conf = _EnvConf()
    tox_add_env_config(conf, None)  # type: ignore[arg-type]
    assert set(conf.keys) == {"ready", *(str(opt.tox_key) for opt in tox_options())}
    assert {opt.tox_key for opt in tox_options()} == {"ready_groups", "ready_extras", "ready_requirements"}
    for opt in tox_options():
        assert conf.keys[str(opt.tox_key)]["desc"] == opt.tox_help


def test_the_docs_list_every_option() -> None:
    text = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(--ready-[a-z-]+)[^|]*\|.*$", text, re.MULTILINE)}
    assert set(rows) == {opt.flag for opt in OPTIONS}
    for opt in OPTIONS:
        assert f"`{opt.env_var}` / `{opt.ini_key}`" in rows[opt.flag]
        assert (f"`{opt.project_key}`" in rows[opt.flag]) == bool(opt.project_key), opt.flag


def _virtualenv_help(env: dict[str, str]) -> str:
    """The ready options' help as virtualenv prints it: its parser folds env vars in, its formatter adds defaults."""
    from virtualenv.config.cli.parser import VirtualEnvConfigParser

    parser = VirtualEnvConfigParser(env={"VIRTUALENV_CONFIG_FILE": "/nonexistent/virtualenv.ini", **env})
    add_arguments(parser)
    parser.enable_help()
    text = " ".join(parser.format_help().split())
    return text[text.index("options:") :]  # past the usage line


def test_the_help_names_one_true_default_per_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "2000")  # one line per option: no word cut at a hyphen
    text = _virtualenv_help({})
    starts = [text.index(f"{opt.flag} {opt.metavar}" if opt.metavar else f"{opt.flag} ") for opt in OPTIONS]
    for opt, start, end in zip(OPTIONS, starts, [*starts[1:], len(text)], strict=True):
        entry = text[start:end]
        assert text.count(" ".join(opt.help.split())) == 1, entry
        assert "(default: None)" not in entry
        assert entry.count("(default:") <= 1, entry
        if opt.default not in (None, ()):
            assert entry.count("(default:") == 1, entry
    assert "(default: auto)" in text
    assert "(default: as uv sync and poetry install)" in text


def test_a_value_from_the_environment_is_the_default_shown_in_its_place() -> None:
    text = _virtualenv_help({"VIRTUALENV_READY_GROUPS": "docs", "VIRTUALENV_READY_INSTALLER": "pip"})
    assert "(default: docs -> from env var VIRTUALENV_READY_GROUPS)" in text
    assert "(default: as uv sync and poetry install)" not in text
    assert "(default: pip -> from env var VIRTUALENV_READY_INSTALLER)" in text
    assert "(default: auto)" not in text
