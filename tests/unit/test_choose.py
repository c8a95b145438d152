"""`--ready-installer auto`: the installed installer with the highest priority, and a notice when it is not the first."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from virtualenv_ready.installers import choose
from virtualenv_ready.installers.base import Installer

if TYPE_CHECKING:
    from collections.abc import Sequence


class _Fake(Installer):
    name: ClassVar[str] = "fake"
    found: ClassVar[bool] = True

    def locate(self, target: Any) -> Any:
        return object() if self.found else None

    def missing_hint(self) -> str:
        return f"install {self.name}"

    def install_argv(self, located: Any, target: Any, step: Any, index: Any, verbosity: int) -> list[str]:
        return []

    def uninstall_argv(self, located: Any, target: Any, names: Sequence[str]) -> list[str]:
        return []


class _Fast(_Fake):
    name = "fast"
    auto_priority = 100


class _Slow(_Fake):
    name = "slow"


class _Hooks:
    def __init__(self, installers: list[Installer]) -> None:
        self.installers = installers

    def register_installers(self) -> list[Installer]:
        return self.installers


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> list[Installer]:
    installers: list[Installer] = []
    monkeypatch.setattr("virtualenv_ready.plugins.hooks", lambda: _Hooks(installers))
    monkeypatch.setattr(choose, "_SAID", set())
    return installers


def test_auto_says_once_that_it_falls_back(registered: list[Installer], caplog: pytest.LogCaptureFixture) -> None:
    missing = type("_Missing", (_Fast,), {"found": False})
    registered += [missing(), _Slow()]
    with caplog.at_level(logging.WARNING, logger="virtualenv_ready"):
        for _ in range(2):  # the seed packages and the plan both choose, in one run
            assert choose.choose_installer("auto", Path())[0].name == "slow"
    said = [r.getMessage() for r in caplog.records]
    assert said == [
        "virtualenv-ready: installing with slow (--ready-installer auto): fast is not installed; install fast"
    ]


def test_auto_with_the_first_installed_says_nothing(
    registered: list[Installer], caplog: pytest.LogCaptureFixture
) -> None:
    registered += [_Fast(), _Slow()]
    with caplog.at_level(logging.WARNING, logger="virtualenv_ready"):
        assert choose.choose_installer("auto", Path())[0].name == "fast"
        assert choose.choose_installer("slow", Path())[0].name == "slow"  # asked for by name: no notice
    assert caplog.records == []
