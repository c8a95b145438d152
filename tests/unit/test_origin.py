"""Who chose `ready`: this run (explicit), or only a default (config): virtualenv.ini's seeder or `enable`."""

from __future__ import annotations

import pytest

from virtualenv_ready.origin import CONFIG, EXPLICIT, seeder_origin

VENV = ["/usr/bin/virtualenv", "venv"]


@pytest.mark.parametrize(
    ("env", "ini", "enabled", "argv", "expected"),
    [
        ({}, None, True, VENV, CONFIG),  # only enable
        ({}, "ready", False, VENV, CONFIG),  # only virtualenv.ini (0.1.0's enable, or the user's own line)
        ({}, "ready", True, VENV, CONFIG),
        ({}, None, True, ["/usr/bin/virtualenv", "--seeder", "ready", "venv"], EXPLICIT),
        ({}, None, True, ["/usr/bin/virtualenv", "--seeder=ready", "venv"], EXPLICIT),
        ({"VIRTUALENV_SEEDER": "ready"}, None, True, VENV, EXPLICIT),
        ({"VIRTUALENV_SEEDER": "app-data"}, None, True, ["hatch"], EXPLICIT),  # the arguments beat the env var
        ({}, "app-data", True, ["hatch"], EXPLICIT),  # the ini hides enable: the arguments chose ready
        ({}, None, False, ["hatch"], EXPLICIT),  # no default at all: the caller asked for ready
        ({}, None, True, ["hatch"], CONFIG),  # a tool in-process with enable's default
        ({"VIRTUALENV_SEEDER": ""}, None, True, VENV, CONFIG),  # empty is unset, as virtualenv reads it
    ],
)
def test_seeder_origin(env: dict[str, str], ini: str | None, enabled: bool, argv: list[str], expected: str) -> None:
    assert seeder_origin(env, ini, argv, enabled=enabled) == expected
