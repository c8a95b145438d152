"""virtualenv-ready's own settings file: reading, `enable`'s edits, the 0.1.0 ini migration, the seeder hook."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from virtualenv_ready import settings
from virtualenv_ready.errors import ReadyError


def test_path_from_the_env_var_else_the_user_config_dir(tmp_path: Path) -> None:
    named = tmp_path / "mine.toml"
    assert settings.settings_path({settings.ENV_VAR: str(named)}) == (named, f"env var {settings.ENV_VAR}")
    path, why = settings.settings_path({})
    assert (path.name, path.parent.name, why) == ("config.toml", "virtualenv-ready", "user config dir")


def test_enable_writes_and_disable_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"
    assert settings.write_enabled(path, enabled=False) is False
    assert not path.exists()
    assert settings.write_enabled(path, enabled=True) is True
    assert settings.read_settings(path) == {"enabled": True}
    assert settings.write_enabled(path, enabled=True) is False
    assert settings.write_enabled(path, enabled=False) is True
    assert not path.exists()  # only the header comments were left


def test_disable_keeps_the_users_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# my note\nenabled = true")  # no final newline
    assert settings.write_enabled(path, enabled=False) is True
    assert path.read_text() == "# my note\n"
    path.write_text("# my note\nenabled = false\n")
    assert settings.write_enabled(path, enabled=True) is True
    assert path.read_text() == "# my note\nenabled = true\n"


@pytest.mark.parametrize(
    ("text", "error"),
    [("enabled = 1\n", "enabled must be true or false"), ("seeder = 'ready'\n", "unknown key 'seeder'")],
)
def test_bad_files_are_one_line_errors(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ReadyError, match=error):
        settings.is_enabled({settings.ENV_VAR: str(path)})
    with pytest.raises(ReadyError, match=error):
        settings.write_enabled(path, enabled=True)  # never edits a file it cannot read
    assert path.read_text() == text


def test_a_broken_file_at_start_up_counts_as_not_enabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("enabled = yes\n")
    monkeypatch.setenv(settings.ENV_VAR, str(path))
    assert settings.enabled_quietly() is False
    assert "ready is not the default seeder of this run" in caplog.text


INI = "; top\r\n[other]\r\nseeder = ready\r\n[virtualenv]\r\n# keep\r\nseeder = ready\r\nprompt = x\r\n[last]\r\nk = v"


def test_drop_ini_ready_removes_only_that_line(tmp_path: Path) -> None:
    ini = tmp_path / "virtualenv.ini"
    ini.write_bytes(("\ufeff" + INI).encode())
    assert settings.drop_ini_ready(ini) is True
    assert ini.read_bytes() == ("\ufeff" + INI.replace("# keep\r\nseeder = ready\r\n", "# keep\r\n")).encode()
    assert settings.drop_ini_ready(ini) is False


@pytest.mark.parametrize("text", ["[virtualenv]\nseeder = pip\n", "[other]\nseeder = ready\n", "; seeder = ready\n"])
def test_drop_ini_ready_leaves_other_lines(tmp_path: Path, text: str) -> None:
    ini = tmp_path / "virtualenv.ini"
    ini.write_text(text)
    assert settings.drop_ini_ready(ini) is False
    assert ini.read_text() == text
    assert settings.drop_ini_ready(tmp_path / "missing.ini") is False


def test_the_hooked_virtualenv_name_still_exists() -> None:
    """Fails when virtualenv renames the one private name `enable` relies on: then `enable` does nothing."""
    from virtualenv.run.plugin.seeders import SeederSelector

    import virtualenv_ready.seeder  # noqa: F401 - importing it installs the hook

    hook = SeederSelector.__dict__.get("_get_default")
    assert isinstance(hook, staticmethod)
    assert hook.__func__.__module__ == settings.__name__
    assert settings.hook_default_seeder() is None  # idempotent: stays hooked, once


def test_the_hook_follows_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from virtualenv.run.plugin.seeders import SeederSelector

    import virtualenv_ready.seeder  # noqa: F401

    path = tmp_path / "config.toml"
    monkeypatch.setenv(settings.ENV_VAR, str(path))
    assert SeederSelector._get_default() == "app-data"
    settings.write_enabled(path, enabled=True)
    assert SeederSelector._get_default() == "ready"


def test_the_hook_fails_soft_without_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from virtualenv.run.plugin.seeders import SeederSelector

    monkeypatch.delattr(SeederSelector, "_get_default")
    why = settings.hook_default_seeder()
    assert why is not None
    assert "_get_default" in why
    assert "_get_default" not in SeederSelector.__dict__  # nothing put in its place


@pytest.mark.parametrize(
    "text", ["enabled = true\n", "# c\nenabled = false\n", "enabled=true", "enabled = true # note\n", "\n", ""]
)
def test_reads_as_toml_does(tmp_path: Path, text: str) -> None:
    """The start-up shortcut for what `enable` writes gives what a TOML parser gives."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - 3.10: the package's own dependency
        import tomli as tomllib

    path = tmp_path / "config.toml"
    path.write_text(text)
    assert settings.read_settings(path) == tomllib.loads(text)
