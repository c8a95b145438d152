"""``plugins``: the typed hook calls, through plugins registered in-process on a manager of their own."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy
import pytest

from virtualenv_ready import hookimpl, hookspecs
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.model import IndexOptions, InstallPlan, ReadyConfig, Source
from virtualenv_ready.plugins import PROJECT, Hooks, get_plugin_manager, hooks

if TYPE_CHECKING:
    from collections.abc import Iterator

PLAN = InstallPlan(Path("/p"), (), IndexOptions(), "auto")


class First:
    """Registered first, so pluggy calls it last."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    @hookimpl
    def ready_register_installers(self) -> list[str]:
        return ["first-installer"]

    @hookimpl
    def ready_add_sources(self, project: Path, config: ReadyConfig, target: object) -> list[Source]:
        return [Source("first", lines=(str(project),))]

    @hookimpl
    def ready_validate_plan(self, plan: InstallPlan) -> str | None:
        return "first refuses"

    @hookimpl
    def ready_before_install(self, plan: InstallPlan, target: object) -> None:
        self.seen.append(("before", target))

    @hookimpl
    def ready_after_install(self, plan: InstallPlan, target: object, result: object) -> None:
        self.seen.append(("after", result))

    @hookimpl
    def ready_activation_env(self, venv: Path) -> dict[str, str]:
        return {"SHARED": "from first", "FIRST": str(venv)}


class Second:
    @hookimpl
    def ready_register_installers(self) -> list[str] | None:
        return ["second-a", "second-b"]

    @hookimpl
    def ready_add_sources(self, project: Path, config: ReadyConfig, target: object) -> None:
        return None

    @hookimpl
    def ready_validate_plan(self, plan: InstallPlan) -> str | None:
        return None

    @hookimpl
    def ready_activation_env(self, venv: Path) -> dict[str, str] | None:
        return {"SHARED": "from second"}


@pytest.fixture
def manager() -> pluggy.PluginManager:
    fresh = pluggy.PluginManager(PROJECT)
    fresh.add_hookspecs(hookspecs)
    return fresh


@pytest.fixture
def both(manager: pluggy.PluginManager) -> tuple[Hooks, First]:
    first = First()
    manager.register(first, name="first")
    manager.register(Second(), name="second")
    return Hooks(manager), first


def test_results_are_flattened_in_call_order(both: tuple[Hooks, First]) -> None:
    typed, _ = both
    assert typed.register_installers() == ["second-a", "second-b", "first-installer"]  # type: ignore[comparison-overlap]
    config = ReadyConfig(project=Path("/p"))
    assert typed.add_sources(Path("/p"), config, object()) == [Source("first", lines=("/p",))]  # type: ignore[arg-type]
    assert typed.validate_plan(PLAN) == ["first refuses"]


def test_install_hooks_get_their_arguments(both: tuple[Hooks, First]) -> None:
    typed, first = both
    target, result = object(), object()
    typed.before_install(PLAN, target)  # type: ignore[arg-type]
    typed.after_install(PLAN, target, result)  # type: ignore[arg-type]
    assert first.seen == [("before", target), ("after", result)]


def test_activation_env_is_merged_the_first_plugin_called_wins(both: tuple[Hooks, First]) -> None:
    typed, _ = both
    assert typed.activation_env(Path("/v")) == {"SHARED": "from second", "FIRST": "/v"}


def test_no_plugin_means_empty_results(manager: pluggy.PluginManager) -> None:
    typed = Hooks(manager)
    assert (typed.register_installers(), typed.validate_plan(PLAN), typed.activation_env(Path("/v"))) == ([], [], {})


@pytest.mark.parametrize(
    ("returned", "error"),
    [
        ({"1ST": "x"}, r"returned the variable name '1ST'; use letters, digits and _ only"),
        ({"A-B": "x"}, r"returned the variable name 'A-B'; use letters"),
        ({"": "x"}, r"returned the variable name ''; use letters"),
        ({"path": "x"}, r"returned 'path', which the activation scripts manage; pick another name"),
        ({"VIRTUAL_ENV": "x"}, r"returned 'VIRTUAL_ENV', which the activation scripts manage"),
        ({"OK": 1}, r"returned a non-string or NUL-holding value for 'OK'; return a str"),
        ({"OK": "a\x00b"}, r"returned a non-string or NUL-holding value for 'OK'"),
    ],
)
def test_activation_env_refuses_what_a_script_cannot_set(
    manager: pluggy.PluginManager, returned: dict[str, object], error: str
) -> None:
    class Bad:
        @hookimpl
        def ready_activation_env(self, venv: Path) -> dict[str, object]:
            return returned

    manager.register(Bad(), name="bad")
    with pytest.raises(ReadyError, match=rf"^ready_activation_env {error}"):
        Hooks(manager).activation_env(Path("/v"))


@pytest.fixture
def broken_module() -> Iterator[types.ModuleType]:
    module = types.ModuleType("broken_unit_plugin")
    module.__file__ = __file__  # the traceback's frames in this file name the plugin

    @hookimpl
    def ready_validate_plan(plan: InstallPlan) -> str | None:
        raise RuntimeError("boom")

    module.ready_validate_plan = ready_validate_plan  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


def test_a_plugin_failure_names_the_plugin_and_the_hook(
    manager: pluggy.PluginManager, broken_module: types.ModuleType
) -> None:
    manager.register(broken_module, name="broken")
    with pytest.raises(ReadyError, match=r"^plugin 'broken' failed in ready_validate_plan: RuntimeError: boom$"):
        Hooks(manager).validate_plan(PLAN)


def test_a_ready_error_passes_through_unchanged(manager: pluggy.PluginManager) -> None:
    class Refuses:
        @hookimpl
        def ready_register_installers(self) -> None:
            msg = "acme.toml: bad; fix it"
            raise ReadyError(msg)

    manager.register(Refuses(), name="refuses")
    with pytest.raises(ReadyError, match=r"^acme.toml: bad; fix it$"):
        Hooks(manager).register_installers()


def test_the_process_manager_has_the_builtins_and_takes_more_plugins() -> None:
    names = {installer.name for installer in hooks().register_installers()}
    assert {"uv", "pip"} <= names
    manager = get_plugin_manager()
    second = Second()
    manager.register(second, name="unit-second")
    try:
        assert hooks().validate_plan(PLAN) == []
        assert ["second-a", "second-b"] in manager.hook.ready_register_installers()
    finally:
        manager.unregister(second)
