"""Control characters a project controls are shown as escapes, in lines we print and in every log record."""

from __future__ import annotations

import logging

import pytest

from virtualenv_ready.safe import LOGGERS, SafeLogFilter, shown

OSC52 = "\x1b]52;c;ZXZpbA==\x07"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dev", "dev"),
        (f"dev{OSC52}", "dev\\x1b]52;c;ZXZpbA==\\x07"),
        ("a\rb", "a\\rb"),
        ("a\nb\tc", "a\\nb\\tc"),
        ("\x7f\x9b31m", "\\x7f\\x9b31m"),
        ("abc\u202edef", "abc\\u202edef"),
        ("line\u2028break", "line\\u2028break"),
        ("caf\u00e9 \u2603", "caf\u00e9 \u2603"),
    ],
)
def test_one_line(text: str, expected: str) -> None:
    assert shown(text) == expected


def test_lines_keep_newlines_and_tabs_only() -> None:
    assert shown("a\n\tb\r\n\x1b[2J", lines=True) == "a\n\tb\\r\n\\x1b[2J"


def test_no_control_character_survives() -> None:
    every = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x202E, 0x2066])
    assert all(c.isprintable() for c in shown(every))
    assert all(c.isprintable() or c in "\n\t" for c in shown(every, lines=True))


@pytest.mark.parametrize(
    "code",
    [
        "import virtualenv_ready.seeder",
        "import virtualenv_ready.activation.venv_run",
        "import virtualenv_ready.pipes",
        "from virtualenv_ready.cli import log_to_stderr; log_to_stderr(2)\n"
        "from virtualenv_ready.logs import LOGGER; LOGGER.warning('the first line sets the handler up')",
    ],
)
def test_every_package_logger_is_guarded_by_every_entry_point(code: str) -> None:
    import subprocess
    import sys

    check = (
        f"{code}\nimport logging\nfrom virtualenv_ready.safe import LOGGERS, SafeLogFilter\n"
        "print([n for n in LOGGERS if not any(isinstance(f, SafeLogFilter) for f in logging.getLogger(n).filters)])"
    )
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_guarding_twice_adds_one_filter() -> None:
    from virtualenv_ready.safe import guard_loggers

    guard_loggers()
    guard_loggers()
    for name in LOGGERS:
        assert sum(isinstance(f, SafeLogFilter) for f in logging.getLogger(name).filters) == 1, name


def test_a_log_record_loses_its_control_characters() -> None:
    record = logging.LogRecord(
        "virtualenv_ready", logging.WARNING, __file__, 1, "group %s: %d", (f"x{OSC52}\r", 3), None
    )
    assert SafeLogFilter().filter(record)
    assert record.getMessage() == "group x\\x1b]52;c;ZXZpbA==\\x07\\r: 3"


def test_every_logger_the_source_names_is_listed() -> None:
    import re
    from pathlib import Path

    import virtualenv_ready

    names = set()
    for path in Path(virtualenv_ready.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'getLogger\("([^"]+)"\)', text))
        if "getLogger(__name__)" in text:
            names.add(".".join(path.relative_to(Path(virtualenv_ready.__file__).parent.parent).with_suffix("").parts))
    assert names <= set(LOGGERS), names - set(LOGGERS)
