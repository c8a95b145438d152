"""The package's loggers log as the real ones do, and import ``logging`` only for a line that is printed."""

from __future__ import annotations

import copy
import logging
import subprocess
import sys
from typing import TYPE_CHECKING

from virtualenv_ready import logs

if TYPE_CHECKING:
    import pytest


def test_a_record_names_the_caller_as_the_real_logger_would(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="virtualenv_ready")
    for call in (logs.LOGGER.debug, logs.LOGGER.info, logs.LOGGER.warning, logs.LOGGER.error):
        call("%s and %d", "text", 3)
    line = sys._getframe().f_lineno + 1
    logs.LOGGER.log(logs.WARNING, "at %s", "a level")
    records = caplog.records
    assert [r.levelno for r in records] == [logs.DEBUG, logs.INFO, logs.WARNING, logs.ERROR, logs.WARNING]
    assert {r.name for r in records} == {"virtualenv_ready"}
    assert records[0].getMessage() == "text and 3"
    assert {(r.module, r.funcName) for r in records} == {
        (__name__.rpartition(".")[2], "test_a_record_names_the_caller_as_the_real_logger_would")
    }
    assert records[-1].lineno == line


def test_anything_else_is_the_real_loggers() -> None:
    child = logs.named("virtualenv_ready.activation")
    assert child.name == "virtualenv_ready.activation"
    assert child.filters is logging.getLogger("virtualenv_ready.activation").filters
    assert child.getEffectiveLevel() == logging.getLogger("virtualenv_ready.activation").getEffectiveLevel()
    assert copy.copy(child).name == child.name  # a copy probes dunders on a bare instance: no recursion


def _run(code: str) -> subprocess.CompletedProcess[str]:
    script = f"import sys\nfrom virtualenv_ready import logs\n{code}"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)


def test_lines_nobody_prints_do_not_import_logging() -> None:
    out = _run(
        "logs.LOGGER.debug('d'); logs.LOGGER.info('i'); print('logging' in sys.modules)\n"
        "logs.LOGGER.warning('w %s', 1); print('logging' in sys.modules)"
    )
    assert out.stdout.split() == ["False", "True"]
    assert out.stderr == "w 1\n"  # as logging prints a warning when nothing configured it


def test_the_deferred_set_up_runs_once_before_the_first_line_at_its_level() -> None:
    out = _run(
        "logs.defer(logs.INFO, lambda: print('set up') or __import__('logging').basicConfig(level=10))\n"
        "logs.LOGGER.debug('dropped'); print('logging' in sys.modules)\n"
        "logs.named('virtualenv_ready.activation').info('first'); logs.LOGGER.warning('second')"
    )
    assert out.stdout.split("\n") == ["False", "set up", ""]
    assert out.stderr.splitlines() == ["INFO:virtualenv_ready.activation:first", "WARNING:virtualenv_ready:second"]


def test_once_logging_is_imported_the_set_up_is_not_deferred() -> None:
    out = _run("import logging\nlogs.defer(logs.ERROR, lambda: print('set up'))\nprint('after')")
    assert out.stdout.splitlines() == ["set up", "after"]
