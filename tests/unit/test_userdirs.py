"""The folders userdirs names without platformdirs are the ones platformdirs names."""

from __future__ import annotations

import pytest

from virtualenv_ready import userdirs

VARIABLES = ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS")
CASES = [
    {"HOME": "/home/someone"},
    {"HOME": "/home/someone/"},
    {"HOME": "/home/someone", "XDG_DATA_HOME": "/data/here/", "XDG_CONFIG_HOME": "/conf"},
    {"HOME": "/home/someone", "XDG_DATA_HOME": "relative", "XDG_CONFIG_HOME": "relative"},
    {"HOME": "/home/someone", "XDG_DATA_HOME": "  ", "XDG_CONFIG_HOME": " ", "XDG_CONFIG_DIRS": "  "},
    {"HOME": "/home/someone", "XDG_CONFIG_DIRS": "/one:/two"},
    {"HOME": "/home/someone", "XDG_CONFIG_DIRS": "relative:/two"},
    {"HOME": "relative"},
]


@pytest.fixture(params=CASES, ids=[str(case) for case in CASES])
def environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in request.param.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("environment")
def test_the_folders_are_platformdirs() -> None:
    import platformdirs

    assert userdirs.user_data_dir("virtualenv-ready") == platformdirs.user_data_dir("virtualenv-ready", appauthor=False)
    assert userdirs.user_config_dir("virtualenv-ready") == platformdirs.user_config_dir(
        "virtualenv-ready", appauthor=False
    )
    assert userdirs.user_config_dir("virtualenv", "pypa") == platformdirs.user_config_dir(
        "virtualenv", appauthor="pypa"
    )
    assert userdirs.site_config_dir("virtualenv-ready") == platformdirs.site_config_dir(
        "virtualenv-ready", appauthor=False, multipath=False
    )


def test_a_plain_case_is_answered_without_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    if sys.platform != "linux":
        pytest.skip("the folders are computed here on Linux only")
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/someone")
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # importing it now fails
    assert userdirs.user_data_dir("app") == "/home/someone/.local/share/app"
    assert userdirs.user_config_dir("app") == "/home/someone/.config/app"
    assert userdirs.site_config_dir("app") == "/etc/xdg/app"
