"""The dependency walk shared by the poetry.lock and pdm.lock readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.sources.lockgraph import Edge, Locked, walk

ENV = {"python_full_version": "3.11.7", "python_version": "3.11", "sys_platform": "linux"}
LOCK = Path("poetry.lock")


def test_markers_versions_and_extras_decide_the_walk() -> None:
    packages = [
        Locked("a", "1.0", dependencies=(Edge("b"), Edge("c", marker='sys_platform == "win32"'))),
        Locked("b", "1.0", dependencies=(Edge("d"),), optional=frozenset({"d"}), extras={"x": ("d",)}),
        Locked("c", "1.0"),
        Locked("d", "1.0"),
        Locked("e", "1.0", python=">=3.12"),
        Locked("e", "2.0", python=">=3.8"),
    ]
    found = walk(LOCK, [Edge("a"), Edge("e")], packages, ENV)
    assert [(p.name, p.version) for p in found] == [("a", "1.0"), ("b", "1.0"), ("e", "2.0")]
    with_extra = walk(LOCK, [Edge("a"), Edge("b", extras=("x",))], packages, ENV)
    assert "d" in [p.name for p in with_extra]


def test_an_edge_specifier_picks_the_version() -> None:
    packages = [Locked("a", "1.0"), Locked("a", "2.0")]
    assert [p.version for p in walk(LOCK, [Edge("a", ">=2")], packages, ENV)] == ["2.0"]


def test_a_bad_marker_fails_naming_the_lock() -> None:
    with pytest.raises(ReadyError, match=r"poetry\.lock: marker 'nonsense ==': "):
        walk(LOCK, [Edge("a", marker="nonsense ==")], [Locked("a", "1")], ENV)
