"""The package's value types behave as the standard library's dataclasses, for everything the package uses."""

from __future__ import annotations

import dataclasses
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from virtualenv_ready import valuetypes


def _pair(frozen: bool) -> tuple[type, type]:
    """The same class made by both decorators."""
    made = []
    for decorate in (dataclasses.dataclass, valuetypes.dataclass):

        class Thing:
            name: str
            count: int = 0
            tags: list[str] = dataclasses.field(default_factory=list)
            hidden: str = dataclasses.field(default="h", repr=False)
            loose: Any = dataclasses.field(default=None, compare=False)

        made.append(decorate(frozen=frozen)(Thing))
    return made[0], made[1]


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("a",), {}),
    (("a", 2), {}),
    ((), {"name": "a", "tags": ["x"]}),
    (("a", 2, ["t"], "s", 3.5), {}),
    (("a",), {"loose": 3, "hidden": "z"}),
]
BAD_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), {}),
    (("a",), {"name": "b"}),
    (("a",), {"nope": 1}),
    (("a", 1, [], "h", None, "extra"), {}),
]


@pytest.mark.parametrize("frozen", [True, False])
def test_the_same_instances_as_dataclasses(frozen: bool) -> None:
    std, ours = _pair(frozen)
    for args, kwargs in CALLS:
        a, b = std(*args, **kwargs), ours(*args, **kwargs)
        assert repr(a).replace(std.__qualname__, "X") == repr(b).replace(ours.__qualname__, "X")
        assert dataclasses.asdict(a) == dataclasses.asdict(b)
        assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]
        assert dataclasses.is_dataclass(b)
        assert b == ours(*args, **kwargs)
        assert b != ours("other")
        assert (b == a) is False  # another class: not equal, as between two dataclasses
        changed = dataclasses.replace(b, count=9)
        assert (changed.count, changed.name) == (9, b.name)
    for args, kwargs in BAD_CALLS:
        with pytest.raises(TypeError):
            std(*args, **kwargs)
        with pytest.raises(TypeError):
            ours(*args, **kwargs)


def test_defaults_and_factories() -> None:
    _, ours = _pair(frozen=True)
    one, two = ours("a"), ours("a")
    assert one.tags == [] and one.tags is not two.tags  # a fresh list each time
    assert ours.count == 0 and ours.hidden == "h"  # plain defaults stay class attributes
    assert not hasattr(ours, "tags")  # a factory's field has none, as with dataclasses
    assert ours.__match_args__ == ("name", "count", "tags", "hidden", "loose")
    match ours("m", 3):
        case ours(name, count):  # type: ignore[misc]
            assert (name, count) == ("m", 3)
        case _:
            pytest.fail("positional match")


def test_frozen_refuses_changes_and_hashes_by_value() -> None:
    std, ours = _pair(frozen=True)
    thing = ours("a", tags=("t",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        thing.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del thing.name  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        thing.other = 1  # type: ignore[attr-defined]
    assert hash(thing) == hash(ours("a", tags=("t",), loose="ignored"))  # compare=False fields are not hashed
    assert ours("a", loose=1) == ours("a", loose=2)
    assert hash(std("a", tags=("t",))) == hash(thing)  # the same tuple of compared fields


@valuetypes.dataclass(frozen=True)
class Pickled:
    """Module level, where pickle finds classes."""

    name: str
    tags: tuple[str, ...] = ()


def test_frozen_ones_pickle() -> None:
    thing = Pickled("a", ("t",))
    assert pickle.loads(pickle.dumps(thing)) == thing  # noqa: S301 - our own bytes


def test_mutable_ones_change_and_do_not_hash() -> None:
    _, ours = _pair(frozen=False)
    thing = ours("a")
    thing.count = 5
    assert thing.count == 5
    with pytest.raises(TypeError):
        hash(thing)


def test_what_it_does_not_support_is_refused() -> None:
    class WithPost:
        x: int

        def __post_init__(self) -> None: ...

    with pytest.raises(TypeError, match="__post_init__"):
        valuetypes.dataclass(WithPost)

    @valuetypes.dataclass(frozen=True)
    class Base:
        x: int = 0

    class Child(Base):
        y: int = 1

    with pytest.raises(TypeError, match="inherit"):
        valuetypes.dataclass(frozen=True)(Child)


def test_a_method_written_by_the_class_wins() -> None:
    @valuetypes.dataclass(frozen=True)
    class Shown:
        x: int

        def __repr__(self) -> str:
            return "mine"

    assert repr(Shown(1)) == "mine"


def test_the_package_makes_its_value_types_here() -> None:
    """The standard decorator costs about 1 ms a class at import: none of the package's modules may use it."""
    source = Path(valuetypes.__file__).parent
    pattern = re.compile(r"^from dataclasses import .*\bdataclass\b|^import dataclasses$|@dataclasses\.dataclass", re.M)
    users = [
        str(path.relative_to(source))
        for path in sorted(source.rglob("*.py"))
        if path.name != "valuetypes.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert users == []
