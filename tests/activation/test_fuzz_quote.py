"""Fuzzing every ``quote()`` of ``virtualenv_ready.activation.quoting`` through its real shell (hypothesis).

For random strings, biased towards injection fragments, a generated script assigns exactly ``quote(value)`` to a
variable and writes the variable out: the value must come back byte for byte and a marker file that every
fragment tries to create must not exist (the script ran nothing else).

- sh_quote: bash, dash, zsh, mksh, ksh; fish_quote: fish; elvish_quote: elvish.
- ps_quote: no PowerShell here; the tree-sitter-pwsh parse of ``$v = <quoted>`` must have no ERROR/MISSING node,
  one statement, one verbatim string literal spanning the quoted text, which decodes back to the value.
- cmd_quote: wine's cmd.exe, many values per batch file (one wine start per hypothesis example), in both places the
  templates use it (``set "NAME=..."`` and ``echo:...``); values ``cmd_unsafe`` refuses must raise instead.
- nu_quote: Nushell is not installed by .ci/install-shells; the raw-string rule is checked directly, and through
  ``nu`` when it is on PATH.

The number of examples per property is ``READY_FUZZ_EXAMPLES`` (default 50, what CI runs); set it higher to fuzz
longer, e.g. ``READY_FUZZ_EXAMPLES=2000 pytest tests/activation/test_fuzz_quote.py``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from activation_helpers import need
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from virtualenv_ready.activation.quoting import (
    cmd_quote,
    cmd_unsafe,
    elvish_quote,
    fish_quote,
    has_line_break,
    nu_quote,
    ps_quote,
    sh_quote,
)

EXAMPLES = int(os.environ.get("READY_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
MARKER = "PWNED"

# pieces that end a quoted word or run a command in at least one of the shells
FRAGMENTS = [
    f"';touch {MARKER};'",
    f'";touch {MARKER};"',
    f"$(touch {MARKER})",
    f"`touch {MARKER}`",
    f"(touch {MARKER})",
    f"{{touch {MARKER}}}",
    f"\ntouch {MARKER}\n",
    f"\rtouch {MARKER}\r",
    f"&touch {MARKER}",
    f"|touch {MARKER}",
    f"%COMSPEC% /c touch {MARKER}",
    f"\u2019;touch {MARKER};\u2019",
    f"'';touch {MARKER};''",
    f"\\';touch {MARKER};'",
    f"$env:X; touch {MARKER}",
    "'",
    '"',
    "\\",
    "\\\\'",
    "''",
    "'#",
    "'##",
    "$HOME",
    "${x}",
    "$x",
    "!!",
    "!x!",
    "%cd%",
    "%%",
    "~",
    "*",
    "?",
    "[a]",
    "{a,b}",
    "#",
    " ",
    "\t",
    "\u2018",
    "\u201a",
    "\u201b",
    "\x0b",
    "\x85",
    "\u2028",
    "é",
    "中",
    "🚒",
]
CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
VALUES = st.one_of(
    st.text(CHARS, max_size=40),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARS, max_size=5)), max_size=8).map("".join),
)


def run(argv: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "HOME": str(home), "x": "EXPANDED", "X": "EXPANDED"}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=60, check=False)


def round_trip(script_for: Any, argv_for: Any, value: str, suffix: str) -> None:
    """Write the script for ``value`` into a fresh folder, run it, check the value and that nothing else ran."""
    with tempfile.TemporaryDirectory() as tmp:
        where, home = Path(tmp) / "cwd", Path(tmp) / "home"
        where.mkdir()
        home.mkdir()
        script = where / f"script{suffix}"
        script.write_bytes(script_for(value).encode("utf-8"))
        done = run([*argv_for, str(script)], where, home)
        assert done.returncode == 0, (value, done.stderr)
        assert not (where / MARKER).exists(), f"{value!r} ran a command"
        assert (where / "out").read_bytes().decode("utf-8") == value
        assert sorted(p.name for p in where.iterdir()) == sorted(["out", script.name])


@pytest.mark.parametrize("shell", ["bash", "dash", "zsh", "mksh", "ksh"])
def test_sh_quote_sets_exactly_the_value(shell: str) -> None:
    exe = need(shell)

    @FUZZ
    @given(VALUES)
    def check(value: str) -> None:
        round_trip(lambda v: f"v={sh_quote(v)}\nprintf '%s' \"$v\" > out\n", [exe], value, ".sh")

    check()


def test_fish_quote_sets_exactly_the_value() -> None:
    exe = need("fish")

    @FUZZ
    @given(VALUES)
    def check(value: str) -> None:
        round_trip(lambda v: f"set v {fish_quote(v)}\nprintf '%s' \"$v\" > out\n", [exe, "--no-config"], value, ".fish")

    check()


def test_elvish_quote_sets_exactly_the_value() -> None:
    exe = need("elvish")

    @FUZZ
    @given(VALUES)
    def check(value: str) -> None:
        round_trip(lambda v: f"var v = {elvish_quote(v)}\nprint $v > out\n", [exe, "-norc"], value, ".elv")

    check()


# --- PowerShell through tree-sitter-pwsh ------------------------------------------------------------------------

PS_QUOTES = "'\u2018\u2019\u201a\u201b"


def _nodes(node: Any) -> list[Any]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.children)
    return out


def ps_decode(literal: str) -> str:
    """A PowerShell verbatim string's value: in it a single quote (any of the five) must be followed by another."""
    assert literal[0] in PS_QUOTES and literal[-1] in PS_QUOTES, literal
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        if body[i] in PS_QUOTES:
            assert i + 1 < len(body) and body[i + 1] in PS_QUOTES, f"the literal ends early at {i}: {literal!r}"
            out.append(body[i])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def test_ps_quote_is_one_literal_that_decodes_to_the_value() -> None:
    import tree_sitter
    import tree_sitter_pwsh

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))

    @FUZZ
    @given(VALUES)
    def check(value: str) -> None:
        quoted = ps_quote(value)
        tree = parser.parse(f"$v = {quoted}\n".encode())
        nodes = _nodes(tree.root_node)
        bad = [(n.type, n.start_point) for n in nodes if n.is_error or n.is_missing]
        assert not bad, (value, bad)
        statements = [n for n in nodes if n.type == "statement_list"]
        assert len(statements) == 1 and len(statements[0].named_children) == 1, value
        literals = [n for n in nodes if n.type == "string_literal"]
        assert len(literals) == 1, (value, [n.text for n in literals])
        assert literals[0].text.decode("utf-8") == quoted
        assert [n.type for n in literals[0].children] == ["verbatim_string_characters"]
        assert not [n for n in nodes if n.type in {"command", "sub_expression", "variable"} and n.text != b"$v"]
        assert ps_decode(quoted) == value

    check()


# --- cmd.exe under wine ----------------------------------------------------------------------------------------

# wine's cmd mangles non-ASCII under chcp 65001 and reads `echo:on`/`echo:off` as the echo switch:
# both are left to the Windows workflow; everything printable in ASCII (and tab) is fuzzed here
CMD_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.just("\t")
CMD_FRAGMENTS = [f for f in FRAGMENTS if f.isascii() and not cmd_unsafe(f)] + ["%PATH%", "%~1", "%%~f0", "^", "!"]
CMD_VALUES = st.one_of(
    st.text(CMD_CHARS, max_size=30),
    st.lists(st.one_of(st.sampled_from(CMD_FRAGMENTS), st.text(CMD_CHARS, max_size=4)), max_size=6).map("".join),
).filter(lambda v: not cmd_unsafe(v))


def test_cmd_quote_refuses_exactly_what_cmd_unsafe_names() -> None:
    @FUZZ
    @given(VALUES)
    def check(value: str) -> None:
        bad = cmd_unsafe(value)
        if bad:
            with pytest.raises(ValueError, match=r"cmd\.exe cannot carry"):
                cmd_quote(value)
        else:
            assert "%" not in cmd_quote(value).replace("%%", "")
        assert has_line_break(value) == any(ch in value for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        if "\n" in value or "\r" in value:
            assert bad

    check()


def test_cmd_quote_sets_exactly_the_value_under_wine(tmp_path: Path) -> None:
    exe = need("wine")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONHOME"}}
    env["WINEDEBUG"] = "-all"
    env.setdefault("WINEPREFIX", str(Path(os.environ.get("WINE_HOME", "/root")) / ".wine"))
    env["MYSECRET"] = "EXPANDED"

    @settings(
        max_examples=max(3, EXAMPLES // 5),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(CMD_VALUES, min_size=1, max_size=30))
    def check(values: list[str]) -> None:
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        lines = ["@echo off", "setlocal DisableDelayedExpansion"]
        for number, value in enumerate(values):
            lines.append(f'set "RFZ{number:04d}={cmd_quote(value)}"')
        lines.append(">set.txt set RFZ")
        for value in values:
            if value.strip(" \t").lower() not in {"on", "off"}:
                lines.append(f">>echo.txt echo:{cmd_quote(value)}")
        lines.append("exit /b 0")
        (work / "fuzz.cmd").write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
        # output to files, not pipes: wineserver inherits them and would hold a pipe open for seconds after
        with (work.parent / f"{work.name}.log").open("w+b") as log:
            done = subprocess.run(
                [exe, "cmd.exe", "/c", "fuzz.cmd"],
                cwd=work,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                timeout=120,
                check=False,
            )
            log.seek(0)
            assert done.returncode == 0, log.read()
        assert not (work / MARKER).exists()
        got: dict[str, str] = {}
        if (work / "set.txt").exists():
            for line in (work / "set.txt").read_bytes().decode("ascii").split("\r\n"):
                if line:
                    name, _, rest = line.partition("=")
                    got[name.upper()] = rest
        # `set "NAME="` removes NAME: an empty value is no variable, as Windows has no empty env vars
        want = {f"RFZ{number:04d}": value for number, value in enumerate(values) if value}
        assert got == want
        echoed = (
            (work / "echo.txt").read_bytes().decode("ascii").split("\r\n")[:-1] if (work / "echo.txt").exists() else []
        )
        assert echoed == [v for v in values if v.strip(" \t").lower() not in {"on", "off"}]

    check()


# --- Nushell ---------------------------------------------------------------------------------------------------


def test_nu_quote_raw_string_ends_exactly_at_its_end() -> None:
    """Nushell's rule: ``r#'`` opens a raw string that the first ``'#`` (same number of #) closes, counted from the
    opening quote itself (``r#'#'#`` is unterminated)."""

    @FUZZ
    @given(VALUES)
    @example("#")
    @example("##'#")
    def check(value: str) -> None:
        quoted = nu_quote(value)
        assert quoted.startswith("r#")
        hashes = len(quoted) - len(quoted[1:].lstrip("#")) - 1
        opening, closing = "r" + "#" * hashes + "'", "'" + "#" * hashes
        assert quoted.startswith(opening) and quoted.endswith(closing)
        assert quoted[len(opening) : len(quoted) - len(closing)] == value
        assert quoted.find(closing, len(opening) - 1) == len(quoted) - len(closing), value

    check()


def test_nu_quote_through_nu() -> None:
    exe = need("nu")

    @FUZZ
    @given(VALUES)
    @example("#")
    @example("##'#")
    def check(value: str) -> None:
        round_trip(lambda v: f"let v = {nu_quote(v)}\n$v | save --raw out\n", [exe, "--no-config-file"], value, ".nu")

    check()
