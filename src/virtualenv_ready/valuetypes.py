"""``dataclass``, ``field``, ``fields`` and ``replace`` for the package's own value types, without ``dataclasses``.

The standard decorator writes each class's methods as source text and compiles them (``exec``): about 1 ms a
class, and virtualenv imports the seeder on every call, where a creation loads some forty of these types; and
importing ``dataclasses`` loads ``inspect``, ``ast``, ``dis`` and ``tokenize`` (some 6 ms of a no-op sync). Here
the methods are closures over the field list, and the four names, to type checkers, *are* the standard ones (so
mypy checks every class as a dataclass). At run time the classes compare, hash, print and refuse assignment
(``frozen=True``) as dataclasses do, and their real :class:`dataclasses.Field` objects are made on first access of
``__dataclass_fields__``, so ``dataclasses.replace``, ``fields``, ``asdict`` and ``is_dataclass`` work on them too.
Only what the package uses is supported: no inheritance between them, no ``__post_init__``, ``InitVar``,
``ClassVar``, ``kw_only``, ``slots`` or ``order``.
"""

from __future__ import annotations

import sys
from operator import attrgetter

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Callable
    from dataclasses import MISSING, dataclass, field, fields, replace
    from typing import Any, NoReturn
else:

    class _Missing:
        """No default: the marker of :func:`field` (``dataclasses.MISSING`` in the real Field objects)."""

        def __repr__(self) -> str:
            return "MISSING"

    MISSING = _Missing()

    def dataclass(cls: type | None = None, /, *, frozen: bool = False) -> Any:
        """``@dataclass`` or ``@dataclass(frozen=True)``, as the standard decorator."""

        def wrap(klass: type) -> type:
            return _build(klass, frozen=frozen)

        return wrap if cls is None else wrap(cls)

    def field(
        *,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        init: bool = True,
        repr: bool = True,
        hash: bool | None = None,
        compare: bool = True,
        metadata: Any = None,
    ) -> Any:
        """A field's default, factory and flags, as :func:`dataclasses.field` takes them."""
        if default is not MISSING and default_factory is not MISSING:
            msg = "cannot specify both default and default_factory"
            raise ValueError(msg)
        return Spec(default, default_factory, init=init, repr=repr, hash=hash, compare=compare, metadata=metadata)

    def fields(class_or_instance: Any) -> tuple[Any, ...]:
        """The fields in order, each with ``name``, ``type``, ``default``, ``default_factory`` and the flags."""
        specs = getattr(class_or_instance, _SPECS, None)
        if specs is None:  # a class made by the standard decorator
            import dataclasses

            return dataclasses.fields(class_or_instance)
        return tuple(specs.values())

    def replace(obj: Any, /, **changes: Any) -> Any:
        """A copy of ``obj`` with ``changes``, made through its ``__init__`` as :func:`dataclasses.replace` does."""
        specs = getattr(type(obj), _SPECS, None)
        if specs is None:
            import dataclasses

            return dataclasses.replace(obj, **changes)
        for name, spec in specs.items():
            if not spec.init:
                if name in changes:
                    msg = f"field {name} is declared with init=False, it cannot be specified with replace()"
                    raise ValueError(msg)
            elif name not in changes:
                changes[name] = getattr(obj, name)
        return obj.__class__(**changes)


_SPECS = "__valuetype_fields__"
_UNSUPPORTED = ("__post_init__", "__slots__")


class Spec:
    """One field: what :func:`field` returns and :func:`fields` lists (``name`` and ``type`` set by the decorator)."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "metadata", "name", "repr", "type")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING, **flags: Any) -> None:
        self.name: str = ""
        self.type: Any = None
        self.default, self.default_factory = default, default_factory
        self.init: bool = flags.get("init", True)
        self.repr: bool = flags.get("repr", True)
        self.hash: bool | None = flags.get("hash")
        self.compare: bool = flags.get("compare", True)
        self.metadata: Any = flags.get("metadata")

    def __repr__(self) -> str:
        return f"Spec(name={self.name!r}, type={self.type!r}, default={self.default!r})"

    def real(self) -> Any:
        """The same field as a :class:`dataclasses.Field`, as the standard decorator would have made it."""
        import dataclasses

        def unmarked(value: Any) -> Any:
            return dataclasses.MISSING if value is MISSING else value

        made: Any = dataclasses.field(
            default=unmarked(self.default),
            default_factory=unmarked(self.default_factory),
            init=self.init,
            repr=self.repr,
            hash=self.hash,
            compare=self.compare,
            metadata=self.metadata,
        )
        made.name, made.type, made.kw_only = self.name, self.type, False
        made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
        return made


class _RealFields:
    """``__dataclass_fields__``: the real Field objects, made (importing ``dataclasses``) on first access."""

    def __get__(self, obj: object, owner: type) -> dict[str, Any]:
        made = {name: spec.real() for name, spec in getattr(owner, _SPECS).items()}
        setattr(owner, "__dataclass_fields__", made)  # noqa: B010 - replaces this descriptor on the class
        return made


def _as_spec(value: Any) -> Spec:
    """A class attribute as a field: ours, a real ``dataclasses.field(...)``, or a plain default."""
    if isinstance(value, Spec):
        return value
    std = sys.modules.get("dataclasses")  # a real Field exists only once dataclasses is imported
    if std is not None and isinstance(value, std.Field):
        flags = {name: getattr(value, name) for name in ("init", "repr", "hash", "compare")}
        return Spec(
            *(MISSING if v is std.MISSING else v for v in (value.default, value.default_factory)),
            metadata=value.metadata or None,
            **flags,
        )
    return Spec(value)


def _fields_of(cls: type) -> dict[str, Spec]:
    """The class's fields in annotation order; plain defaults left as class attributes, as dataclasses leaves them."""
    for base in cls.__mro__[1:]:
        if _SPECS in base.__dict__ or "__dataclass_fields__" in base.__dict__:
            msg = f"{cls.__qualname__}: value types do not inherit from each other"
            raise TypeError(msg)
    if any(name in cls.__dict__ for name in _UNSUPPORTED):
        msg = f"{cls.__qualname__}: {', '.join(_UNSUPPORTED)} are not supported here"
        raise TypeError(msg)
    found: dict[str, Spec] = {}
    for name, kind in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063 - inspect costs an import
        if "ClassVar" in str(kind) or "InitVar" in str(kind):
            msg = f"{cls.__qualname__}.{name}: ClassVar and InitVar are not supported here"
            raise TypeError(msg)
        value = cls.__dict__.get(name, MISSING)
        spec = _as_spec(value)
        spec.name, spec.type = name, kind
        if value is not MISSING and spec.default is not value:  # a field(...): the class keeps its default only
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        found[name] = spec
    return found


def _build(cls: type, *, frozen: bool) -> type:
    specs = _fields_of(cls)
    title = cls.__qualname__
    _set(cls, "__init__", _init(title, list(specs.values())))
    _set(cls, "__eq__", _eq(_getter([name for name, spec in specs.items() if spec.compare])))
    _set(cls, "__repr__", _repr([name for name, spec in specs.items() if spec.repr]))
    explicit_hash = "__hash__" in cls.__dict__ and cls.__dict__["__hash__"] is not None
    made: dict[str, Any] = {
        _SPECS: specs,
        "__dataclass_fields__": _RealFields(),
        "__match_args__": tuple(name for name, spec in specs.items() if spec.init),
    }
    if frozen:
        if not explicit_hash:
            hashed = [name for name, spec in specs.items() if (spec.compare if spec.hash is None else spec.hash)]
            made["__hash__"] = _hash(_getter(hashed))
        made["__setattr__"], made["__delattr__"] = _frozen(cls, frozenset(specs))
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


def _init(title: str, specs: list[Spec]) -> Callable[..., None]:
    plan = tuple((spec.name, spec.default, spec.default_factory) for spec in specs if spec.init)
    made = tuple((spec.name, spec.default_factory) for spec in specs if not spec.init and spec.default is MISSING)
    names = frozenset(name for name, _default, _factory in plan)
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
            elif default is not MISSING:
                put(self, name, default)
            elif factory is not MISSING:
                put(self, name, factory())
            else:
                msg = f"{title}.__init__() missing 1 required positional argument: {name!r}"
                raise TypeError(msg)
        for name, factory in made:  # init=False: set from its factory, as dataclasses does
            if factory is not MISSING:
                put(self, name, factory())

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


def _refuse(message: str) -> NoReturn:
    from dataclasses import FrozenInstanceError  # imported only when something tries

    raise FrozenInstanceError(message)


def _frozen(cls: type, names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: object, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            _refuse(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            _refuse(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    return __setattr__, __delattr__


__all__ = ["MISSING", "Spec", "dataclass", "field", "fields", "replace"]
