"""The one way a child process starts: its environment, its timeout, its own process group, no input, lenient text.

Every program this package runs (the installers, `uv export`, `uv --version`, the target interpreter's marker
probe) starts here, so what a child sees is decided in one place. Only ``errors`` and ``redact`` are imported:
``target`` and ``uvbin`` sit below the installers and start children too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from enum import Enum
from typing import TYPE_CHECKING

from ..errors import ReadyError
from ..logs import LOGGER
from ..redact import redact
from ..valuetypes import dataclass

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path


#: the variables pip (requests) and uv (reqwest) take a proxy from; lower case first, as both prefer it
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
#: host lists that would send a connection around our proxy
BYPASS_VARIABLES = ("no_proxy", "NO_PROXY")
# pip's own proxy option beats the variables above when a pip config file sets it; the variable beats the file
_PIP_PROXY = "PIP_PROXY"


class Purpose(Enum):
    """Why a child runs; each purpose has its environment rule and its timeout (see :func:`child_env`)."""

    #: an installer (uv, pip) writing into the target: no time limit, Ctrl-C ends it
    INSTALL = "install"
    #: uv reading the project's lock (``uv export``): offline, bounded
    READ = "read"
    #: a short question to a program (``uv --version``, the target interpreter's markers)
    PROBE = "probe"


#: seconds a child of each purpose may run; ``None``: until it ends or Ctrl-C (an install may download for long)
TIMEOUTS: dict[Purpose, float | None] = {Purpose.INSTALL: None, Purpose.READ: 600.0, Purpose.PROBE: 60.0}
# a Python of ours must not become the child's: these point any child Python at our interpreter's files
_PYTHON_VARIABLES = ("PYTHONHOME", "PYTHONPATH")
#: the installers' own variables that choose where packages come from, or name a file that may (from pip's and uv's
#: documented variables); under an org policy that names the sources each is refused (:func:`source_variables`)
SOURCE_VARIABLES = (
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_FIND_LINKS",
    "PIP_TRUSTED_HOST",
    "PIP_CONFIG_FILE",
    "PIP_CONSTRAINT",
    "PIP_BUILD_CONSTRAINT",
    "PIP_REQUIREMENT",
    "PIP_EDITABLE",
    "UV_INDEX",
    "UV_DEFAULT_INDEX",
    "UV_INDEX_URL",
    "UV_EXTRA_INDEX_URL",
    "UV_FIND_LINKS",
    "UV_INSECURE_HOST",
    "UV_INDEX_STRATEGY",
    "UV_CONFIG_FILE",
    "UV_CONSTRAINT",
    "UV_OVERRIDE",
    "UV_BUILD_CONSTRAINT",
    "UV_TORCH_BACKEND",
)


class ChildNotRun(ReadyError):
    """A child that could not start or did not end in time; ``reason`` says which, for the caller's message."""

    def __init__(self, argv0: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"cannot run {argv0}: {reason}")


@dataclass(frozen=True)
class Finished:
    """A child that ran to its end: exit code and its decoded output."""

    returncode: int
    stdout: str
    stderr: str


def child_env(
    base: Mapping[str, str], purpose: Purpose, venv: Path | None = None, proxy: str | None = None
) -> dict[str, str]:
    """The environment a child of ``purpose`` gets, built from ``base`` (the caller's or the target's environment).

    Every child loses ``PYTHONHOME``/``PYTHONPATH``. An installer sees the target as the active env
    (``VIRTUAL_ENV``), whatever env the calling shell activated; a reader sees none, so uv does not pick an env for
    itself; a probe keeps the rest as given. Installers and readers run with their configuration files off: uv finds
    no ``uv.toml`` or ``[tool.uv]`` (the project's, a parent folder's, the user's), pip no ``pip.conf`` (the
    machine's, the user's, the env's), unless the user names one with ``UV_CONFIG_FILE``/``PIP_CONFIG_FILE``, which
    only works without an org policy (:func:`source_variables`). Other ``PIP_*``/``UV_*`` variables stay. With
    ``proxy`` (the org policy's), every connection goes through it.
    """
    env = {key: value for key, value in base.items() if key not in _PYTHON_VARIABLES}
    if purpose is Purpose.INSTALL:
        if venv is None:
            msg = "an installer's environment needs the target env"
            raise ValueError(msg)
        env["VIRTUAL_ENV"] = str(venv)
    elif purpose is Purpose.READ:
        env.pop("VIRTUAL_ENV", None)
    if purpose is not Purpose.PROBE:
        env["UV_NO_CONFIG"] = "1"
        if not env.get("PIP_CONFIG_FILE"):
            env["PIP_CONFIG_FILE"] = os.devnull
    if proxy is not None:
        env = with_proxy(env, proxy)
    return env


def source_variables(env: Mapping[str, str]) -> list[str]:
    """The installer variables set (not empty) in ``env`` that choose where packages come from."""
    # PIP_CONFIG_FILE set to the null device names no file: that is how a careful user switches pip's files off
    return [
        name
        for name in SOURCE_VARIABLES
        if env.get(name) and not (name == "PIP_CONFIG_FILE" and env[name] == os.devnull)
    ]


def refuse_source_variables(env: Mapping[str, str], policy: str) -> None:
    """Under an org policy that names the sources (``policy`` says which file and key), refuse the installer
    variables that would add others: the installers would obey them behind the policy's back."""
    found = source_variables(env)
    if found:
        names = ", ".join(found)
        msg = (
            f"env var{'s' if len(found) > 1 else ''} {names} choose{'' if len(found) > 1 else 's'} where the installer "
            f"gets packages from, which the {policy} decides; unset {'them' if len(found) > 1 else 'it'}"
        )
        raise ReadyError(msg)


class Child:
    """A started child: its process, and whether its time ran out (then :func:`started` ended it)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.timed_out = False

    def expire(self) -> None:
        """End the child's group because its time ran out."""
        if self.proc.poll() is None:
            self.timed_out = True
            stop_group(self.proc)


@contextlib.contextmanager
def started(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path | None = None,
    timeout: float | None = None,
    merge_stderr: bool = False,
) -> Iterator[Child]:
    """Start ``argv`` in its own process group, stdin closed, output piped and decoded as UTF-8 (bad bytes replaced).

    The group is ended (interrupt, then terminate, then kill) when the block leaves by an exception (Ctrl-C included:
    the exception is raised again) and when ``timeout`` seconds pass (then :attr:`Child.timed_out` is set).
    """
    kwargs: dict[str, object] = {}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined,unused-ignore]
    else:
        kwargs["start_new_session"] = True
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            **kwargs,  # type: ignore[call-overload]
        )
    except OSError as exc:
        raise ChildNotRun(argv[0], exc.strerror or str(exc)) from exc
    child = Child(proc)
    timer = None
    if timeout is not None:
        import threading

        timer = threading.Timer(timeout, child.expire)
        timer.daemon = True
        timer.start()
    try:
        yield child
    except BaseException:
        stop_group(proc)
        raise
    finally:
        if timer is not None:
            timer.cancel()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        if proc.poll() is None:
            proc.wait()


def run(
    argv: Sequence[str],
    *,
    purpose: Purpose,
    env: Mapping[str, str],
    cwd: Path | None = None,
    timeout: float | None = None,
) -> Finished:
    """Run a child to its end and return its output; ``env`` is the result of :func:`child_env` for ``purpose``.

    Raises :class:`ChildNotRun` when it cannot start or runs out of time (``timeout``, else the purpose's).
    """
    limit = timeout if timeout is not None else TIMEOUTS[purpose]
    LOGGER.debug("run %s", redact(" ".join(show(a) for a in argv)))
    with started(argv, env=env, cwd=cwd, timeout=limit) as child:
        stdout, stderr = child.proc.communicate()
    if child.timed_out:
        raise ChildNotRun(argv[0], f"no answer within {limit:g} seconds")
    return Finished(child.proc.returncode, stdout or "", stderr or "")


def stop_group(proc: subprocess.Popen[str]) -> None:
    """Forward an interrupt to the child's group, then escalate so nothing of it is left running."""
    if sys.platform == "win32":
        steps: list[tuple[int, float]] = [(signal.CTRL_BREAK_EVENT, 5.0)]  # type: ignore[attr-defined,unused-ignore]
    else:
        steps = [(signal.SIGINT, 5.0), (signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)]
    for sig, wait in steps:
        try:
            if sys.platform == "win32":
                proc.send_signal(sig)
            else:
                os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError, OSError):
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    if sys.platform != "win32":
        # the child's own children share its group; make sure none outlives it
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)


def show(arg: str) -> str:
    """One argument as a log line shows it: quoted when empty or holding spaces."""
    return f"'{arg}'" if (not arg or any(c.isspace() for c in arg)) else arg


def with_proxy(env: Mapping[str, str], url: str) -> dict[str, str]:
    """``env`` with every proxy variable pointing at ``url`` and no host list that would go around it."""
    out = {key: value for key, value in env.items() if key not in BYPASS_VARIABLES}
    for name in (*PROXY_VARIABLES, _PIP_PROXY):
        out[name] = url
    return out


__all__ = [
    "BYPASS_VARIABLES",
    "PROXY_VARIABLES",
    "TIMEOUTS",
    "Child",
    "SOURCE_VARIABLES",
    "ChildNotRun",
    "Finished",
    "Purpose",
    "child_env",
    "refuse_source_variables",
    "run",
    "show",
    "source_variables",
    "started",
    "stop_group",
    "with_proxy",
]
