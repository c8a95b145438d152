"""``dataclass`` for the package's own value types, built without compiling code at import.

The standard decorator writes each class's methods as source text and compiles them (``exec``): about 1 ms a
class, and virtualenv imports the seeder on every call, where a creation loads some forty of these types, a
third of the plugin's own time. Here the same methods are closures over the field list. To type checkers this
*is* :func:`dataclasses.dataclass`; at run time the classes carry real :class:`dataclasses.Field` objects, so
``dataclasses.replace``, ``fields``, ``asdict`` and ``is_dataclass`` work on them, and they compare, hash, print
and refuse assignment (``frozen=True``) as dataclasses do. Only what the package uses is supported: no
inheritance between them, no ``__post_init__``, ``InitVar``, ``ClassVar``, ``kw_only``, ``slots`` or ``order``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from dataclasses import dataclass
    from typing import Any
else:

    def dataclass(cls: type | None = None, /, *, frozen: bool = False) -> Any:
        """``@dataclass`` or ``@dataclass(frozen=True)``, as the standard decorator."""

        def wrap(klass: type) -> type:
            return _build(klass, frozen=frozen)

        return wrap if cls is None else wrap(cls)


_MISSING = dataclasses.MISSING
_UNSUPPORTED = ("__post_init__", "__slots__")


def _fields_of(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """The class's fields in annotation order, as real Field objects; defaults left as class attributes."""
    for base in cls.__mro__[1:]:
        if "__dataclass_fields__" in base.__dict__:
            msg = f"{cls.__qualname__}: value types do not inherit from each other"
            raise TypeError(msg)
    if any(name in cls.__dict__ for name in _UNSUPPORTED):
        msg = f"{cls.__qualname__}: {', '.join(_UNSUPPORTED)} are not supported here"
        raise TypeError(msg)
    found: dict[str, dataclasses.Field[Any]] = {}
    for name, kind in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063 - inspect costs an import
        if "ClassVar" in str(kind) or "InitVar" in str(kind):
            msg = f"{cls.__qualname__}.{name}: ClassVar and InitVar are not supported here"
            raise TypeError(msg)
        value = cls.__dict__.get(name, _MISSING)
        spec: dataclasses.Field[Any] = (
            value if isinstance(value, dataclasses.Field) else dataclasses.field(default=value)
        )
        spec.name, spec.type = name, kind
        spec._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # what fields() selects by
        spec.kw_only = False
        if isinstance(value, dataclasses.Field):
            if spec.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        found[name] = spec
    return found


def _build(cls: type, *, frozen: bool) -> type:
    fields = _fields_of(cls)
    title = cls.__qualname__
    _set(cls, "__init__", _init(title, [spec for spec in fields.values() if spec.init]))
    _set(cls, "__eq__", _eq(_getter([name for name, spec in fields.items() if spec.compare])))
    _set(cls, "__repr__", _repr([name for name, spec in fields.items() if spec.repr]))
    explicit_hash = "__hash__" in cls.__dict__ and cls.__dict__["__hash__"] is not None
    made: dict[str, Any] = {
        "__dataclass_fields__": fields,
        "__match_args__": tuple(name for name, spec in fields.items() if spec.init),
    }
    if frozen:
        if not explicit_hash:
            hashed = [name for name, spec in fields.items() if (spec.compare if spec.hash is None else spec.hash)]
            made["__hash__"] = _hash(_getter(hashed))
        made["__setattr__"], made["__delattr__"] = _frozen(cls, frozenset(fields))
    elif not explicit_hash:
        made["__hash__"] = None  # mutable and compared by value: unhashable, as a dataclass
    for name, value in made.items():
        setattr(cls, name, value)
    return cls


def _set(cls: type, name: str, value: Callable[..., Any]) -> None:
    if name not in cls.__dict__:  # a method the class writes itself wins, as with dataclasses
        value.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, value)


def _getter(names: list[str]) -> Callable[[object], tuple[Any, ...]]:
    if not names:
        return lambda _obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


def _init(title: str, specs: list[dataclasses.Field[Any]]) -> Callable[..., None]:
    plan = tuple((spec.name, spec.default, spec.default_factory) for spec in specs)
    names = frozenset(spec.name for spec in specs)
    put = object.__setattr__

    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(plan):
            msg = f"{title}.__init__() takes {len(plan) + 1} positional arguments but {len(args) + 1} were given"
            raise TypeError(msg)
        unknown = [name for name in kwargs if name not in names]
        if unknown:
            msg = f"{title}.__init__() got an unexpected keyword argument {unknown[0]!r}"
            raise TypeError(msg)
        for (name, _default, _factory), value in zip(plan, args, strict=False):
            if name in kwargs:
                msg = f"{title}.__init__() got multiple values for argument {name!r}"
                raise TypeError(msg)
            put(self, name, value)
        for name, default, factory in plan[len(args) :]:
            if name in kwargs:
                put(self, name, kwargs[name])
            elif default is not _MISSING:
                put(self, name, default)
            elif factory is not _MISSING:
                put(self, name, factory())
            else:
                msg = f"{title}.__init__() missing 1 required positional argument: {name!r}"
                raise TypeError(msg)

    return __init__


def _eq(compared: Callable[[object], tuple[Any, ...]]) -> Callable[[object, object], Any]:
    def __eq__(self: object, other: object) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compared(self) == compared(other)

    return __eq__


def _hash(hashed: Callable[[object], tuple[Any, ...]]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(hashed(self))

    return __hash__


def _repr(shown: list[str]) -> Callable[[object], str]:
    def __repr__(self: object) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _frozen(cls: type, names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: object, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            msg = f"cannot assign to field {name!r}"
            raise dataclasses.FrozenInstanceError(msg)
        object.__setattr__(self, name, value)

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            msg = f"cannot delete field {name!r}"
            raise dataclasses.FrozenInstanceError(msg)
        object.__delattr__(self, name)

    return __setattr__, __delattr__


__all__ = ["dataclass"]
