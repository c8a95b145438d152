"""The one way a child starts: its environment rule, its timeout, no input, lenient decoding, one process group."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.installers.process import (
    TIMEOUTS,
    ChildNotRun,
    Purpose,
    child_env,
    refuse_source_variables,
    run,
    source_variables,
    started,
)

# Windows cannot start Python without SYSTEMROOT
MINIMAL = {key: os.environ[key] for key in ("SYSTEMROOT",) if key in os.environ}
BASE = {"PATH": "/bin", "PYTHONHOME": "/h", "PYTHONPATH": "/p", "VIRTUAL_ENV": "/activated", "UV_CACHE_DIR": "/c"}
NO_CONFIG = {"UV_NO_CONFIG": "1", "PIP_CONFIG_FILE": os.devnull}


def test_installer_env_names_the_target_and_drops_our_python() -> None:
    env = child_env(BASE, Purpose.INSTALL, Path("/target"))
    assert env == {"PATH": "/bin", "VIRTUAL_ENV": str(Path("/target")), "UV_CACHE_DIR": "/c", **NO_CONFIG}


def test_installers_read_no_configuration_file_but_one_the_user_names() -> None:
    env = child_env({**BASE, "PIP_INDEX_URL": "https://i.invalid/simple"}, Purpose.INSTALL, Path("/t"))
    assert env["UV_NO_CONFIG"] == "1"
    assert env["PIP_CONFIG_FILE"] == os.devnull
    assert env["PIP_INDEX_URL"] == "https://i.invalid/simple"  # the user's own variables work as pip documents
    mine = child_env({**BASE, "PIP_CONFIG_FILE": "/home/me/pip.conf"}, Purpose.INSTALL, Path("/t"))
    assert mine["PIP_CONFIG_FILE"] == "/home/me/pip.conf"


def test_source_variables_are_named_and_refused() -> None:
    env = {"PIP_FIND_LINKS": "/w", "UV_INDEX": "https://i.invalid", "UV_CACHE_DIR": "/c", "PIP_INDEX_URL": ""}
    assert source_variables(env) == ["PIP_FIND_LINKS", "UV_INDEX"]
    assert source_variables({"PIP_CONFIG_FILE": os.devnull}) == []
    assert source_variables({"PIP_CONFIG_FILE": "/etc/pip.conf"}) == ["PIP_CONFIG_FILE"]
    with pytest.raises(ReadyError, match=r"^env vars PIP_FIND_LINKS, UV_INDEX choose where .* the org policy P \(k\)"):
        refuse_source_variables(env, "org policy P (k)")
    refuse_source_variables({"UV_CACHE_DIR": "/c"}, "org policy P (k)")


def test_installer_env_without_a_target_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="needs the target env"):
        child_env(BASE, Purpose.INSTALL)


def test_reader_env_has_no_active_env() -> None:
    assert child_env(BASE, Purpose.READ) == {"PATH": "/bin", "UV_CACHE_DIR": "/c", **NO_CONFIG}


def test_probe_env_keeps_the_rest_and_leaves_the_base_alone() -> None:
    before = dict(BASE)
    assert child_env(BASE, Purpose.PROBE) == {"PATH": "/bin", "VIRTUAL_ENV": "/activated", "UV_CACHE_DIR": "/c"}
    assert before == BASE


def test_every_purpose_but_install_has_a_time_limit() -> None:
    assert TIMEOUTS[Purpose.INSTALL] is None
    assert all(TIMEOUTS[p] for p in (Purpose.READ, Purpose.PROBE))


def _python(code: str) -> list[str]:
    return [sys.executable, "-I", "-c", code]


def test_output_and_exit_code_come_back() -> None:
    out = run(
        _python("import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"),
        purpose=Purpose.PROBE,
        env=MINIMAL,
    )
    assert (out.returncode, out.stdout, out.stderr) == (3, "out\n", "err\n")


def test_stdin_is_closed() -> None:
    out = run(_python("import sys; print(repr(sys.stdin.read()))"), purpose=Purpose.PROBE, env=MINIMAL)
    assert out.stdout == "''\n"


def test_output_that_is_not_utf8_is_decoded_with_replacements() -> None:
    out = run(_python("import sys; sys.stdout.buffer.write(b'ok \\xff\\xfe end')"), purpose=Purpose.PROBE, env=MINIMAL)
    assert out.stdout == "ok \ufffd\ufffd end"


def test_the_env_given_is_the_env_the_child_sees() -> None:
    out = run(
        _python("import os; print(os.environ.get('MARK'))"), purpose=Purpose.PROBE, env={**MINIMAL, "MARK": "seen"}
    )
    assert out.stdout == "seen\n"


def test_timeout_ends_the_child_and_says_so() -> None:
    begin = time.monotonic()
    with pytest.raises(ChildNotRun) as info:
        run(_python("import time; time.sleep(30)"), purpose=Purpose.PROBE, env=MINIMAL, timeout=0.3)
    assert info.value.reason == "no answer within 0.3 seconds"
    assert time.monotonic() - begin < 10


def test_a_missing_program_is_named() -> None:
    with pytest.raises(ChildNotRun) as info:
        run(["/nonexistent/virtualenv-ready-test-binary"], purpose=Purpose.PROBE, env=MINIMAL)
    assert str(info.value).startswith("cannot run /nonexistent/virtualenv-ready-test-binary: ")
    assert info.value.reason


def test_an_exception_in_the_block_ends_the_child() -> None:
    with pytest.raises(KeyboardInterrupt), started(_python("import time; time.sleep(30)"), env=MINIMAL) as child:
        raise KeyboardInterrupt
    assert child.proc.poll() is not None
    assert not child.timed_out


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX sessions here")
def test_the_child_runs_in_its_own_process_group() -> None:
    out = run(_python("import os; print(os.getpgid(0) == os.getpid())"), purpose=Purpose.PROBE, env=MINIMAL)
    assert out.stdout == "True\n"
