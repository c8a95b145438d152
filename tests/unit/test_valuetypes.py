"""The package's value types behave as the standard library's dataclasses, for everything the package uses."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from virtualenv_ready import valuetypes


def _pair(frozen: bool, field: Any = valuetypes.field) -> tuple[type, type]:
    """The same class made by both decorators (each with its own ``field``, unless ``field`` says which)."""
    made = []
    for decorate, make in ((dataclasses.dataclass, dataclasses.field), (valuetypes.dataclass, field)):

        class Thing:
            name: str
            count: int = 0
            tags: list[str] = make(default_factory=list)
            hidden: str = make(default="h", repr=False)
            loose: Any = make(default=None, compare=False)
            made_later: list[str] = make(default_factory=list, init=False, hash=False)

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


@pytest.mark.parametrize("field", [valuetypes.field, dataclasses.field], ids=["our-field", "std-field"])
@pytest.mark.parametrize("frozen", [True, False])
def test_the_same_instances_as_dataclasses(frozen: bool, field: Any) -> None:
    std, ours = _pair(frozen, field)
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
    assert one.made_later == [] and one.made_later is not two.made_later  # init=False: from its factory
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


_ATTRS = ("name", "type", "default", "default_factory", "init", "repr", "hash", "compare")


def _described(spec: Any) -> tuple[Any, ...]:
    """A field's attributes, either kind of "no default" as one marker."""
    return tuple(
        "MISSING" if value in (dataclasses.MISSING, valuetypes.MISSING) else value
        for value in (getattr(spec, name) for name in _ATTRS)
    )


@pytest.mark.parametrize("frozen", [True, False])
def test_our_fields_describe_the_class_as_dataclasses_does(frozen: bool) -> None:
    std, ours = _pair(frozen)
    expected = [_described(spec) for spec in dataclasses.fields(std)]
    assert [_described(spec) for spec in valuetypes.fields(ours)] == expected
    assert [_described(spec) for spec in valuetypes.fields(ours("a"))] == expected
    real = dataclasses.fields(ours)  # the real Field objects, made on this first access
    assert all(isinstance(spec, dataclasses.Field) for spec in real)
    assert [_described(spec) for spec in real] == expected
    assert real[0].default is dataclasses.MISSING
    assert valuetypes.fields(std) == dataclasses.fields(std)  # a standard dataclass: the standard answer


@pytest.mark.parametrize("frozen", [True, False])
def test_our_replace_does_what_dataclasses_replace_does(frozen: bool) -> None:
    std, ours = _pair(frozen)
    for changes in ({}, {"count": 3}, {"name": "b", "tags": ["x"], "loose": 1}):
        a = dataclasses.replace(std("a", 1, ["t"]), **changes)
        b = valuetypes.replace(ours("a", 1, ["t"]), **changes)
        assert repr(a).replace(std.__qualname__, "X") == repr(b).replace(ours.__qualname__, "X")
        assert b == dataclasses.replace(ours("a", 1, ["t"]), **changes)
    for bad, error in (({"made_later": []}, ValueError), ({"nope": 1}, TypeError)):
        with pytest.raises(error):
            dataclasses.replace(std("a"), **bad)
        with pytest.raises(error):
            valuetypes.replace(ours("a"), **bad)
    assert valuetypes.replace(std("a"), count=2) == std("a", 2)  # a standard dataclass: the standard replace


def test_field_refuses_what_dataclasses_refuses() -> None:
    for make in (dataclasses.field, valuetypes.field):
        with pytest.raises(ValueError, match="both default and default_factory"):
            make(default=1, default_factory=list)


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1])) - {"json"}


#: what the standard decorator's module drags in (its own import is the cost this module avoids)
_STANDARD = {"dataclasses", "inspect", "ast", "dis", "tokenize", "copy"}
#: the modules a no-op ``virtualenv-ready sync`` imports
_NOOP_SYNC = [
    "cli",
    "apply",
    "foreign",
    "mode",
    "target",
    "record",
    "config",
    "repair",
    "freshness",
    "files",
    "userkey",
    "policy",
    "tablememo",
]


def test_importing_value_types_loads_no_dataclasses() -> None:
    loaded = _loaded_after("import virtualenv_ready.valuetypes")
    assert "virtualenv_ready.valuetypes" in loaded
    assert loaded & _STANDARD == set()
    noop = _loaded_after("\n".join(f"import virtualenv_ready.{name}" for name in _NOOP_SYNC))
    assert "virtualenv_ready.record" in noop
    assert noop & _STANDARD == set()


def test_dataclasses_is_imported_only_when_asked_for() -> None:
    code = (
        "from virtualenv_ready.valuetypes import dataclass, field, fields, replace\n"
        "@dataclass(frozen=True)\nclass T:\n    a: int\n    b: list = field(default_factory=list)\n"
        "t = replace(T(1), a=2)\nassert [f.name for f in fields(t)] == ['a', 'b'] and t.a == 2\n"
        "assert 'dataclasses' not in sys.modules\n"
        "import dataclasses\nassert dataclasses.is_dataclass(t) and dataclasses.asdict(t) == {'a': 2, 'b': []}\n"
        "try:\n    t.a = 3\nexcept dataclasses.FrozenInstanceError:\n    pass\nelse:\n    raise SystemExit(1)"
    )
    assert "dataclasses" in _loaded_after(code)


def test_the_package_makes_its_value_types_here() -> None:
    """The standard decorator costs about 1 ms a class at import, and importing ``dataclasses`` some 6 ms: none of the
    package's modules may use it, nor take ``field``, ``fields`` or ``replace`` from it."""
    source = Path(valuetypes.__file__).parent
    pattern = re.compile(r"^\s*from dataclasses import|^\s*import dataclasses\b|@dataclasses\.dataclass", re.M)
    users = [
        str(path.relative_to(source))
        for path in sorted(source.rglob("*.py"))
        if path.name != "valuetypes.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert users == []
    assert pattern.search("    from dataclasses import replace\n")  # a function's own import counts too
