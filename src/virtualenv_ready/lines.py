"""The only requirement lines an installer sees: generated here, validated by one function, written privately.

A line is made from a parsed requirement (``packaging``, re-serialised), an exact lock entry (``name==version``
with its hashes) or a direct URL or local path the boundary accepted; :func:`check_line` refuses anything an
installer could read as more than that one requirement (a line break, a control character, an option, a comment,
a continuation, an environment variable); :func:`write_private` writes the lines to a file only we can read.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from .errors import ReadyError
from .files import COMMENT_RE
from .valuetypes import dataclass, field, replace

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from .model import Source
    from .reqfile import Entry

_HASH = re.compile(r"^--hash=[a-z0-9]+:[0-9a-fA-F]+$")
# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators (str.splitlines breaks there)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_VARIABLE = re.compile(r"\$\{[A-Z0-9_]+\}")


def _problem(text: str) -> str | None:
    """Why ``text`` is not one plain requirement for pip's and uv's readers, or ``None``."""
    if not text.strip():
        return "no requirement"
    if _CONTROL.search(text) or text.splitlines() != [text]:
        return "a line break or control character"
    if text.startswith("-") or " -" in text:
        return "an option (a word starting with -)"
    if COMMENT_RE.search(text):
        return "a comment (# at the start or after a space)"
    if text.endswith("\\"):
        return "a line continuation (a trailing backslash)"
    if _VARIABLE.search(text):
        return "an environment variable (${...})"
    return None


def check_line(line: str, where: str = "a requirement line") -> str:
    """``line`` when it is one requirement, optionally followed by ``--hash=algo:hex`` words; else a one-line
    :class:`ReadyError` naming ``where`` and the value (control characters escaped)."""
    words = line.split(" ")
    cut = len(words)
    while cut > 1 and _HASH.match(words[cut - 1]):
        cut -= 1
    requirement = " ".join(words[:cut])
    why = _problem(requirement)
    if why is not None:
        msg = f"{where}: {line!r} holds {why}, which an installer would read as more than a requirement; fix the value"
        raise ReadyError(msg)
    return line


# `name==1.2.3` (optionally `a1`/`b1`/`rc1`, `.post1`, `.dev1`): a PEP 508 name and a canonical PEP 440 version,
# which packaging parses and re-serialises unchanged
_PINNED = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?==(?:[1-9][0-9]*|0)(?:\.(?:[1-9][0-9]*|0))*"
    r"(?:(?:a|b|rc)(?:[1-9][0-9]*|0))?(?:\.post(?:[1-9][0-9]*|0))?(?:\.dev(?:[1-9][0-9]*|0))?\Z"
)


def requirement_line(text: str, where: str, hashes: Sequence[str] = (), base: Path | None = None) -> str:
    """The line we write for one requirement: parsed and re-serialised when it is PEP 508, else the direct URL or
    local path (a relative path made absolute against ``base``) as written; its hashes after it. Validated."""
    check_line(text, where)
    # a plain pin is what packaging would print for it: its ~0.1 ms parse is 30 ms on a 300-line file
    line = text if _PINNED.match(text) else _parsed(text, where, base)
    for value in hashes:
        check_line(f"x --hash={value}", where)
    return check_line(" ".join([line, *(f"--hash={value}" for value in hashes)]), where)


def _parsed(text: str, where: str, base: Path | None) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        parsed = Requirement(text)
    except InvalidRequirement as exc:
        return _reference(text, where, base, str(exc))
    if parsed.url and base is not None:
        parsed.url = _absolute_url(parsed.url, base)
    return str(parsed)


def _absolute_url(url: str, base: Path) -> str:
    """``name @ ./x.whl`` (or ``file:./x.whl``) as a ``file:`` URL of the absolute path: our file is read elsewhere."""
    from pathlib import Path

    from .boundary import direct_reference

    found = direct_reference(f"x @ {url}")
    if found is None or found[0] != "path" or Path(found[1]).expanduser().is_absolute():
        return url
    return (base / Path(found[1]).expanduser()).absolute().as_uri()


def _reference(text: str, where: str, base: Path | None, why: str) -> str:
    from pathlib import Path

    from .boundary import direct_reference

    found = direct_reference(text)
    if found is None:
        msg = f"{where}: {text!r} is not a requirement ({why}); fix the line"
        raise ReadyError(msg)
    kind, value = found
    stripped = text.strip()
    if kind == "path" and base is not None and stripped.startswith(value) and not Path(value).is_absolute():
        return str(base / Path(value).expanduser()) + stripped[len(value) :]
    return stripped


def editable_line(value: str, where: str, base: Path | None = None) -> str:
    """What ``-e`` names, as we hand it on: a URL as written, a relative folder made absolute against ``base``."""
    from pathlib import Path

    check_line(value, where)
    if "://" in value or value.startswith("file:"):
        return value
    folder, bracket, extras = value.partition("[")
    if base is not None and not Path(folder).expanduser().is_absolute():
        folder = str(base / Path(folder).expanduser())
    return check_line(folder + bracket + extras, where)


# options of a requirements file's option lines that go on the command line exactly as pip and uv read them there
CARRIED = ("--index-url", "--extra-index-url", "--find-links", "--no-index", "--only-binary", "--no-binary")


@dataclass
class Carried:
    """What requirements files say, as we hand it on: lines, editables, constraint lines and command-line options."""

    lines: list[str] = field(default_factory=list)
    editables: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


def carry(entries: Iterable[Entry], project: Path) -> Carried:
    """Turn what :func:`~virtualenv_ready.reqfile.read_tree` read into what we write; refuse, with ``file:line``,
    anything that cannot be carried exactly (an option pip and uv read differently, an option on a requirement)."""
    out = Carried()
    for entry in entries:
        if entry.kind == "option":
            out.options += _option_words(entry)
            continue
        extra = [option for option, _ in entry.options if option not in ("--hash", "--editable")]
        if extra or (entry.kind == "editable" and entry.hashes):
            _refuse(entry, (extra or ["--hash"])[0], "on a requirement line")
        base = _base(entry, project)
        if entry.kind == "editable":
            if entry.constraint:
                _refuse(entry, "--editable", "in a constraints file")
            out.editables.append(editable_line(entry.value, entry.where, base))
            continue
        line = requirement_line(entry.value, entry.where, entry.hashes, base)
        (out.constraints if entry.constraint else out.lines).append(line)
    return out


def _base(entry: Entry, project: Path) -> Path:
    """The folder a relative path is read from: the file's own (uv's rule) when it is there, else the project's
    (pip's: the working directory, where the installer runs)."""
    from pathlib import Path

    from .boundary import direct_reference

    found = direct_reference(entry.value)
    folder = entry.path.parent
    if found is None or found[0] != "path":
        return project
    return folder if (folder / Path(found[1]).expanduser()).exists() else project


def _option_words(entry: Entry) -> list[str]:
    words: list[str] = []
    for option, value in entry.options:
        if option not in (*CARRIED, "--require-hashes"):
            _refuse(entry, option, "in a requirements file")
        if option in ("--no-index", "--require-hashes"):
            words.append(option)
            continue
        check_line(f"x{value}" if value.startswith("-") else value or "x", entry.where)
        relative = entry.path.parent / value
        found = option == "--find-links" and "://" not in value and relative.exists()
        words += [option, str(relative) if found else value]  # pip reads a find-links folder beside the file
    return words


def _refuse(entry: Entry, option: str, place: str) -> None:
    msg = (
        f"{entry.where}: {option} {place} cannot be handed on exactly (pip and uv read it differently, or only "
        "on one kind of line); remove it, or pass the installer's own option yourself"
    )
    raise ReadyError(msg)


def flattened(source: Source) -> Source:
    """A plugin's source with its ``requirement_files`` read (like the user's own files) into lines, editables,
    constraints and options: nothing hands a file to an installer."""
    if not source.requirement_files:
        return source
    from pathlib import Path

    from .reqfile import read_tree

    tree = read_tree(source.requirement_files)
    found = carry(tree.entries, Path.cwd())
    return replace(
        source,
        lines=(*source.lines, *found.lines),
        requirement_files=(),
        constraints=(*source.constraints, *found.constraints),
        editables=(*source.editables, *found.editables),
        options=(*source.options, *found.options),
        inputs=tuple(dict.fromkeys((*source.inputs, *tree.files))),
    )


def fileable(editable: str) -> bool:
    """Whether an editable can be an ``-e`` line of our file exactly: one word, nothing a reader would unquote."""
    return editable.split() == [editable] and not any(char in editable for char in "\"'\\")


def write_private(path: Path, lines: Iterable[str], editables: Iterable[str] = ()) -> Path:
    """Write validated lines to a new file only this user can read (0600, in a folder only this user can enter);
    each of ``editables`` (validated, one word: a folder or URL) as an ``-e`` line after them."""
    checked = [check_line(line) for line in lines]
    for value in editables:
        if not fileable(check_line(value)):
            msg = f"editable {value!r} is not one plain word; hand it to the installer on its command line instead"
            raise ReadyError(msg)
        checked.append(f"-e {value}")
    if os.name != "nt" and path.parent.stat().st_mode & 0o077:
        msg = f"{path.parent}: a temporary folder others can open; set TMPDIR to a private folder"
        raise ReadyError(msg)
    if path.is_symlink() or path.exists():
        path.unlink()  # a retry of the same step: a fresh file, never one written through
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o600), "w", encoding="utf-8") as handle:
        handle.write("".join(f"{line}\n" for line in checked))
    return path


__all__ = [
    "CARRIED",
    "Carried",
    "carry",
    "check_line",
    "editable_line",
    "fileable",
    "flattened",
    "requirement_line",
    "write_private",
]
