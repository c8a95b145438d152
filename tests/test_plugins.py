"""The hooks of this issue through a real plugin object: sources, installers, before/after install, plan checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from helpers import installed
from virtualenv_ready import hookimpl
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.plan import Source
from virtualenv_ready.plugins import get_plugin_manager

if TYPE_CHECKING:
    from collections.abc import Iterator


class OrgPlugin:
    def __init__(self) -> None:
        self.calls: list[str] = []

    @hookimpl
    def ready_add_sources(self, project: Path, config: Any, target: Any) -> list[Source]:
        self.calls.append("sources")
        return [Source("org tools", lines=("zeta",))]

    @hookimpl
    def ready_validate_plan(self, plan: Any) -> str | None:
        lines = plan.requirement_lines()
        return "alpha is banned by the org" if any(line.startswith("alpha") for line in lines) else None

    @hookimpl
    def ready_before_install(self, plan: Any, target: Any) -> None:
        record = json.loads((target.venv / "virtualenv-ready.json").read_text())
        self.calls.append(f"before:{record['status']}")

    @hookimpl
    def ready_after_install(self, plan: Any, target: Any, result: Any) -> None:
        (target.venv / "post-create-ran").write_text(",".join(sorted(result.changed)))
        self.calls.append("after")


@pytest.fixture
def plugin() -> Iterator[OrgPlugin]:
    manager = get_plugin_manager()
    instance = OrgPlugin()
    manager.register(instance, name="org-test")
    yield instance
    manager.unregister(name="org-test")


def test_hooks_run_in_order_and_add_to_the_one_run(project: Path, ready, plugin: OrgPlugin) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("delta\n")
    venv = ready()
    found = installed(venv)
    assert {"delta", "zeta"} <= set(found)
    assert plugin.calls == ["sources", "before:incomplete", "after"]
    assert (venv / "post-create-ran").read_text() == "delta,zeta"
    record = json.loads((venv / "virtualenv-ready.json").read_text())
    assert record["summary"] == "requirements.txt + org tools"
    assert len(record["commands"]) == 1


def test_a_plugin_can_refuse_the_plan(project: Path, ready, plugin: OrgPlugin) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n")
    with pytest.raises(ReadyError, match="the plan was refused: alpha is banned by the org"):
        ready()
    assert "alpha" not in installed(project.parent / "venv")


class Broken:
    @hookimpl
    def ready_after_install(self, plan: Any, target: Any, result: Any) -> None:
        raise RuntimeError("boom")


def test_a_broken_plugin_is_named_with_its_hook(project: Path, ready, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sys
    import types

    module = types.ModuleType("broken_org_plugin")
    module.__file__ = __file__
    module.ready_after_install = Broken().ready_after_install  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    manager = get_plugin_manager()
    manager.register(module, name="broken-org")
    try:
        (project / "requirements.txt").write_text("delta\n")
        with pytest.raises(ReadyError, match=r"plugin 'broken-org' failed in ready_after_install: RuntimeError: boom"):
            ready()
        record = json.loads((tmp_path / "venv" / "virtualenv-ready.json").read_text())
        assert record["status"] == "incomplete"
    finally:
        manager.unregister(name="broken-org")
        del sys.modules[module.__name__]


class PipAlways:
    """An outside installer that wins `auto` by priority, as a third party would register one."""

    @hookimpl
    def ready_register_installers(self) -> list[Any]:
        from virtualenv_ready.installers.pip import PipInstaller

        class Preferred(PipInstaller):
            name = "preferred-pip"
            auto_priority = 1000

        return [Preferred()]


def test_an_outside_installer_registers_like_the_builtins(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    manager = get_plugin_manager()
    manager.register(PipAlways(), name="preferred")
    try:
        (project / "requirements.txt").write_text("delta\n")
        venv = ready(installer="auto")
        record = json.loads((venv / "virtualenv-ready.json").read_text())
        assert record["installer"]["name"] == "preferred-pip"
        assert "delta" in installed(venv)
    finally:
        manager.unregister(name="preferred")
