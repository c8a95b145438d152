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


@pytest.mark.parametrize(
    ("argv", "env", "dest", "expected"),
    [
        (["/x/bin/hatch", "env", "create"], {}, None, "hatch"),  # in-process through virtualenv's API
        (["/x/lib/tox/__main__.py", "run"], {}, None, "tox"),  # `python -m tox`
        (["/x/virtualenv/__main__.py", "/s/py_env-python3"], {"PRE_COMMIT": "1"}, "/s/py_env-python3", "pre-commit"),
        (VENV, {"PRE_COMMIT_HOME": "/store"}, "/store/repo1a2b/py_env-python3", "pre-commit"),
        (VENV, {"XDG_CACHE_HOME": "/c"}, "/c/pre-commit/repo1a2b/py_env-python3.12", "pre-commit"),
        (VENV, {}, "/p/proj/.nox/tests-3-12", "nox"),
        (VENV, {}, "/h/.local/share/hatch/env/virtual/proj/abc/default", "hatch"),
        (VENV, {}, "/h/.cache/pypoetry/virtualenvs/proj-abc-py3.12", "poetry"),
        (VENV, {"XDG_CACHE_HOME": "/c"}, "/p/proj/venv", None),  # the user's own env
        (VENV, {"PRE_COMMIT": ""}, "/p/proj/.venv", None),
    ],
)
def test_calling_tool_by_rule(
    argv: list[str], env: dict[str, str], dest: str | None, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each tool is recognised the way it works (with a parent process that is no tool: the suite may run in tox)."""
    from virtualenv_ready import origin
    from virtualenv_ready.origin import calling_tool

    monkeypatch.setattr(origin, "_parent_command", list)
    assert calling_tool(argv, env=env, dest=dest) == expected


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["/usr/bin/python3", "-mpre_commit", "hook-impl", "--hook-type=pre-commit"], "pre-commit"),  # a git hook
        (["/v/bin/python", "/v/bin/pre-commit", "install-hooks"], "pre-commit"),
        (["/v/bin/python", "-m", "nox", "-s", "tests"], "nox"),
        (["python.exe", "pdm.exe"], "pdm"),  # Windows: the image names up the process tree
        (["/v/bin/python", "-m", "pytest"], None),
    ],
)
def test_tool_of_a_parent_command(command: list[str], expected: str | None) -> None:
    from virtualenv_ready.origin import _by_words

    assert _by_words(command) == expected
