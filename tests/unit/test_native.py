"""Which lock a project installs from: its own tool's first; the exports that give what the tools install."""

from __future__ import annotations

from virtualenv_ready.sources import native


def test_own_lock_follows_the_tool_tables_and_backend() -> None:
    assert native.own_lock({"tool": {"poetry": {}}}) == "poetry.lock"
    assert native.own_lock({"build-system": {"build-backend": "pdm.backend"}}) == "pdm.lock"
    assert native.own_lock({"tool": {"uv": {}}}) is None


def test_exports_give_what_the_tools_install() -> None:
    assert "--with dev,test" in native.export_command("poetry.lock", ["dev", "test"])
    assert "--dev --group :all" in native.export_command("pdm.lock", [])
