"""Requirements files read exactly as pip reads them, includes flattened, so no installer ever reads one itself.

pip's own rules (``req_file.py``): physical lines ending in ``\\`` are joined, except comment lines (a line that
starts with ``#`` after optional whitespace ends a continuation and is not continued itself; a requirement line
``pkg # c \\`` pulls the next line into its comment); comments start at a ``#`` at the start or after whitespace;
the requirement is everything before the first space-separated word starting with ``-``; the rest is split like a
shell and parsed by an option parser with pip's options (so ``-ivalue``, ``--opt=value`` and unique abbreviations
such as ``--ind`` work, as in pip); ``${VAR}`` is filled in from the environment. Includes (``-r``/``-c``) are
followed with a depth limit, a cap on the number of files, and cycle detection on the resolved path; each file read
is size-capped (``files.read_text``).
"""

from __future__ import annotations

import os
import re
import shlex
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import ReadyError
from .files import COMMENT_RE, logical_lines, read_text
from .valuetypes import dataclass, field

if TYPE_CHECKING:
    import optparse
    from collections.abc import Callable, Iterable, Iterator

ENV_VAR_RE = re.compile(r"\$\{([A-Z0-9_]+)\}")
MAX_DEPTH = 32
MAX_FILES = 500

# (short spellings, long spellings, takes a value) of every option pip accepts in a requirements file
PIP_OPTIONS: tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...] = (
    (("-i",), ("--index-url", "--pypi-url"), True),
    ((), ("--extra-index-url",), True),
    ((), ("--no-index",), False),
    (("-c",), ("--constraint",), True),
    (("-r",), ("--requirement",), True),
    (("-e",), ("--editable",), True),
    (("-f",), ("--find-links",), True),
    ((), ("--no-binary",), True),
    ((), ("--only-binary",), True),
    ((), ("--prefer-binary",), False),
    ((), ("--require-hashes",), False),
    ((), ("--no-require-hashes",), False),
    ((), ("--pre",), False),
    ((), ("--all-releases",), True),
    ((), ("--only-final",), True),
    ((), ("--trusted-host",), True),
    ((), ("--use-feature",), True),
    ((), ("--global-option",), True),
    ((), ("--hash",), True),
    (("-C",), ("--config-settings",), True),
)
INCLUDES = ("--requirement", "--constraint")

Kind = Literal["requirement", "editable", "option"]


@dataclass(frozen=True)
class Entry:
    """One thing a requirements file says, with its ``file:line``.

    ``kind`` "requirement": ``value`` is the requirement text and ``options`` its own (``--hash`` …); "editable":
    ``value`` is what ``-e`` names; "option": ``options`` holds the one option of an option line. ``raw`` is the
    logical line before ``${VAR}`` was filled in; ``constraint``: read from a constraints file (``-c``).
    """

    path: Path
    number: int
    kind: Kind
    value: str = ""
    options: tuple[tuple[str, str], ...] = ()
    raw: str = ""
    constraint: bool = False

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"

    @property
    def hashes(self) -> tuple[str, ...]:
        return tuple(value for option, value in self.options if option == "--hash")


@dataclass
class Tree:
    """What one read found: the entries in order and every file read (for hashing into the record)."""

    entries: list[Entry] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def expand_variables(line: str, environ: Callable[[str], str | None] = os.environ.get) -> str:
    """``${VAR}`` filled in as pip does: set and non-empty variables only; others stay as written."""
    for name in dict.fromkeys(ENV_VAR_RE.findall(line)):
        value = environ(name)
        if value:
            line = line.replace(f"${{{name}}}", value)
    return line


def break_args_options(line: str) -> tuple[str, str]:
    """pip's split: the requirement is every space-separated word before the first one starting with ``-``."""
    tokens = line.split(" ")
    cut = next((i for i, token in enumerate(tokens) if token.startswith("-")), len(tokens))
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])


class _Refused(Exception):
    pass


@cache
def _parser() -> optparse.OptionParser:
    """pip's option table as an optparse parser: built on the first line that has options (most have none)."""
    import optparse

    parser = optparse.OptionParser(add_help_option=False)
    for shorts, longs, value in PIP_OPTIONS:
        dest = longs[0].lstrip("-").replace("-", "_")
        if value:
            parser.add_option(*shorts, *longs, dest=dest, action="append", type="string")
        else:
            parser.add_option(*shorts, *longs, dest=dest, action="append_const", const="")

    def fail(msg: str) -> None:
        raise _Refused(msg)

    parser.error = fail  # type: ignore[method-assign,assignment]
    return parser


_SPELLING = {longs[0].lstrip("-").replace("-", "_"): longs[0] for _, longs, _ in PIP_OPTIONS}


def parse_options(text: str) -> list[tuple[str, str]]:
    """An option string as pip's parser reads it: (long spelling, value) in order of pip's option table.

    Raises ``ValueError`` with pip's reason for what pip's parser refuses (unknown option, missing value).
    """
    if not text.strip():
        return []
    try:
        words = shlex.split(text)
    except ValueError as exc:
        msg = f"cannot split options: {exc}"
        raise ValueError(msg) from None
    try:
        import optparse

        values, rest = _parser().parse_args(words, optparse.Values())
    except _Refused as exc:
        raise ValueError(str(exc)) from None
    if rest:
        msg = f"unexpected words {' '.join(rest)}"
        raise ValueError(msg)
    found: list[tuple[str, str]] = []
    for dest, spelled in _SPELLING.items():
        found += [(spelled, value) for value in getattr(values, dest, None) or []]
    return found


def parse_line(path: Path, number: int, raw: str, *, constraint: bool) -> Entry:
    """One logical line as pip reads it; a line pip's parser refuses is refused here with ``file:line``."""
    line = expand_variables(raw)
    requirement, rest = break_args_options(line)
    try:
        options = tuple(parse_options(rest))
    except ValueError as exc:
        msg = f"{path}:{number}: {raw}: {exc}; fix the line"
        raise ReadyError(msg) from None
    if requirement:
        return Entry(path, number, "requirement", requirement, options, raw, constraint)
    editables = [value for option, value in options if option == "--editable"]
    if editables:
        return Entry(path, number, "editable", editables[0], options, raw, constraint)
    return Entry(path, number, "option", "", options, raw, constraint)


def read_tree(
    paths: Iterable[Path],
    guard: Callable[[Path, int, str, str], None] | None = None,
    *,
    constraint: bool = False,
) -> Tree:
    """Every entry of the files and of every local file they include, in pip's order (a file included twice is read
    twice, as pip does).

    ``guard`` may refuse an include (by raising) before the included file is opened. An include cycle (on resolved
    paths, so ``d/../requirements.txt`` is caught), more than :data:`MAX_DEPTH` levels or more than
    :data:`MAX_FILES` reads end the read with one line naming the include.
    """
    tree = Tree()
    for path in paths:
        _read_one(Path(path).absolute(), constraint, tree, guard, ())
    return tree


def _read_one(
    path: Path,
    constraint: bool,
    tree: Tree,
    guard: Callable[[Path, int, str, str], None] | None,
    stack: tuple[Path, ...],
) -> None:
    if len(tree.files) >= MAX_FILES:
        msg = f"{path}: more than {MAX_FILES} requirements files included; flatten the includes"
        raise ReadyError(msg)
    tree.files.append(path)
    for entry in _entries(path, read_text(path), constraint):
        include = [(o, v) for o, v in entry.options if o in INCLUDES] if entry.kind == "option" else []
        if not include:
            tree.entries.append(entry)
            continue
        option, value = include[0]
        _include(entry, option, value, tree, guard, (*stack, path.resolve()))


def _entries(path: Path, text: str, constraint: bool) -> Iterator[Entry]:
    for number, raw in logical_lines(text):
        yield parse_line(path, number, raw, constraint=constraint)


def _include(
    entry: Entry,
    option: str,
    value: str,
    tree: Tree,
    guard: Callable[[Path, int, str, str], None] | None,
    stack: tuple[Path, ...],
) -> None:
    where = f"{entry.where}: {option} {value}"
    if len(entry.options) > 1:
        msg = f"{where}: an include shares its line with other options, which pip ignores; one option per line"
        raise ReadyError(msg)
    if guard is not None:  # judged as written: an include through ${VAR} is refused as such
        written = [v for o, v in parse_options(break_args_options(entry.raw)[1]) if o == option]
        guard(entry.path, entry.number, option, written[0] if written else value)
    if "://" in value or value.startswith("file:"):
        msg = f"{where}: an include by URL cannot be read before installing; download the file and name its path"
        raise ReadyError(msg)
    if option == "--requirement" and entry.constraint:
        msg = f"{where}: -r inside a constraints file (pip reads it as requirements, uv as constraints); use -c"
        raise ReadyError(msg)
    target = entry.path.parent / value  # as pip joins it (no ~ expansion)
    real = target.resolve()
    if real in stack:
        msg = f"{where}: includes {real} again (an include cycle); remove the include"
        raise ReadyError(msg)
    if len(stack) >= MAX_DEPTH:
        msg = f"{where}: includes nest deeper than {MAX_DEPTH} levels; flatten the includes"
        raise ReadyError(msg)
    if not target.is_file():
        msg = f"{where}: {target} not found; fix the path or create the file"
        raise ReadyError(msg)
    _read_one(target.absolute(), entry.constraint or option == "--constraint", tree, guard, stack)


__all__ = [
    "COMMENT_RE",
    "ENV_VAR_RE",
    "INCLUDES",
    "MAX_DEPTH",
    "MAX_FILES",
    "PIP_OPTIONS",
    "Entry",
    "Tree",
    "break_args_options",
    "expand_variables",
    "logical_lines",
    "parse_line",
    "parse_options",
    "read_tree",
]
