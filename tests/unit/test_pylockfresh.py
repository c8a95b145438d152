"""A pylock.toml that no longer matches pyproject.toml is named with the requirement it fails."""

from __future__ import annotations

from pathlib import Path

from virtualenv_ready.sources.pylockfresh import pylock_mismatch


def test_pylock_mismatch_names_the_requirement(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "1"\ndependencies = ["a>=2", "b"]\n')
    lock = tmp_path / "pylock.toml"
    lock.write_text('lock-version = "1.0"\n[[packages]]\nname = "a"\nversion = "1.0"\n')
    assert pylock_mismatch(lock) == "it has a 1.0, pyproject.toml asks for >=2"
    lock.write_text('lock-version = "1.0"\n[[packages]]\nname = "A"\nversion = "2.0"\n')
    assert pylock_mismatch(lock) == "it has no package b"
    lock.write_text(
        'lock-version = "1.0"\n[[packages]]\nname = "a"\nversion = "2.0"\n[[packages]]\nname = "b"\nversion = "1"\n'
    )
    assert pylock_mismatch(lock) is None
