"""Which lock a project installs from: its own tool's, the export commands, a pylock.toml that no longer matches."""

from __future__ import annotations

from pathlib import Path

from virtualenv_ready.sources import native


def test_own_lock_follows_the_tool_tables_and_backend() -> None:
    assert native.own_lock({"tool": {"poetry": {}}}) == "poetry.lock"
    assert native.own_lock({"build-system": {"build-backend": "pdm.backend"}}) == "pdm.lock"
    assert native.own_lock({"tool": {"uv": {}}}) is None


def test_exports_give_what_the_tools_install() -> None:
    assert "--with dev,test" in native.export_command("poetry.lock", ["dev", "test"])
    assert "--dev --group :all" in native.export_command("pdm.lock", [])


def test_pylock_mismatch_names_the_requirement(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "1"\ndependencies = ["a>=2", "b"]\n')
    lock = tmp_path / "pylock.toml"
    lock.write_text('lock-version = "1.0"\n[[packages]]\nname = "a"\nversion = "1.0"\n')
    assert native.pylock_mismatch(lock) == "it has a 1.0, pyproject.toml asks for >=2"
    lock.write_text('lock-version = "1.0"\n[[packages]]\nname = "A"\nversion = "2.0"\n')
    assert native.pylock_mismatch(lock) == "it has no package b"
    lock.write_text(
        'lock-version = "1.0"\n[[packages]]\nname = "a"\nversion = "2.0"\n[[packages]]\nname = "b"\nversion = "1"\n'
    )
    assert native.pylock_mismatch(lock) is None
