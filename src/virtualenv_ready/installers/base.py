"""What an installer backend provides, and the one way every backend's process is run."""

from __future__ import annotations

import sys
import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from ..errors import ReadyError, ReadyInterrupted
from ..logs import LOGGER
from ..redact import redact
from ..safe import shown
from ..valuetypes import dataclass, field

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from ..model import IndexOptions, Step
    from ..progress import Status
    from ..target import Target
    from .process import Child
    from .screen import QuoteScreen


@dataclass(frozen=True)
class Located:
    """Where an installer was found: the argv prefix that runs it and its version."""

    argv: tuple[str, ...]
    version: str
    where: str


@dataclass
class InstallResult:
    """What one install did; passed to ``ready_after_install`` and written to the record."""

    installer: str
    version: str
    commands: list[list[str]] = field(default_factory=list)
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> dict[str, str]:
        """Distributions added or changed by this install."""
        return {name: ver for name, ver in self.after.items() if self.before.get(name) != ver}


class InstallerFailed(ReadyError):
    """An installer run that ended non-zero; ``output`` is what it printed (screened), kept back from the screen when
    the run was an attempt the caller may follow with another way."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


class InstallerUnusable(ReadyError):
    """Raised by :meth:`Installer.locate` when the installer is there but cannot run (the message says why)."""


class Installer(ABC):
    """An installer backend. Subclass it, and return an instance from ``ready_register_installers``."""

    name: ClassVar[str]
    #: ``--ready-installer auto`` picks the available installer with the highest priority.
    auto_priority: ClassVar[int] = 0
    #: checks the hashes of hashed lines and installs unhashed ones in the same run (uv); pip instead requires a hash
    #: on every line once one has one, so hashed and unhashed no-deps steps need separate runs
    hashes_per_line: ClassVar[bool] = False
    #: reuses a cached build of an editable named in the requirements file while its inputs are unchanged (uv; named
    #: on the command line uv rebuilds it every run)
    editables_in_file: ClassVar[bool] = False

    @abstractmethod
    def locate(self, target: Target) -> Located | None:
        """Find the installer for this env, or ``None`` when it is not installed.

        Raise :class:`InstallerUnusable` when it is installed but cannot run: ``auto`` then moves on to the next
        installer and an explicit request fails with that message.
        """

    @abstractmethod
    def missing_hint(self) -> str:
        """The fix shown when the installer was asked for but not found."""

    @abstractmethod
    def install_argv(
        self, located: Located, target: Target, step: Step, index: IndexOptions, verbosity: int
    ) -> list[str]:
        """The full command that installs one step of the plan into the target."""

    def check_project(self, project: Path, allow_sources: bool) -> None:  # noqa: B027 - optional for backends
        """Refuse project-level configuration of this installer that would redirect where packages come from."""

    def check_step(self, step: Step) -> None:  # noqa: B027 - optional for backends
        """Refuse, before it runs, a line this installer cannot handle: name the line and an installer that can."""

    def offline_argv(self, argv: Sequence[str], env: Mapping[str, str]) -> list[str] | None:
        """``argv`` made to use only the installer's cache (no network), or ``None`` where the installer has no such
        mode or its cache (under ``env``) is plainly empty; an exact run tries it first (see ``steps.run_step``)."""
        return None

    @abstractmethod
    def uninstall_argv(self, located: Located, target: Target, names: Sequence[str]) -> list[str]:
        """The full command that removes distributions from the target."""


def index_argv(index: IndexOptions) -> list[str]:
    """Index options as both pip and uv spell them."""
    argv: list[str] = []
    if index.index_url:
        argv += ["--index-url", index.index_url]
    for url in index.extra_index_urls:
        argv += ["--extra-index-url", url]
    for link in index.find_links:
        argv += ["--find-links", link]
    if index.no_index:
        argv.append("--no-index")
    if index.only_binary:
        argv += ["--only-binary", ",".join(index.only_binary)]
    if index.require_hashes:
        argv.append("--require-hashes")
    return argv


def step_argv(step: Step, requirements_file: Path | None) -> list[str]:
    """A plan step as installer arguments (same spelling for pip and uv): only files this package wrote (``-r``,
    ``-c``), the options a user's requirements file carried, the user's or org's constraint URLs and editables."""
    argv: list[str] = []
    if step.no_deps:
        argv.append("--no-deps")
    argv += step.options
    for url in step.constraint_urls:
        argv += ["-c", url]
    if step.constraints_file is not None:
        argv += ["-c", str(step.constraints_file)]
    if requirements_file is not None:
        argv += ["-r", str(requirements_file)]
    for editable in step.editables:
        argv += ["-e", editable]
    return argv


def run_installer(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    verbosity: int,
    what: str,
    screen: QuoteScreen | None = None,
    attempt: bool = False,
) -> None:
    """Run an installer (through :mod:`.process`); show its output per verbosity; on Ctrl-C end its whole group.

    Output always passes through :func:`redact` (pip prints index user names, a token may sit in a URL), has its
    control characters escaped (it echoes names from project files) and passes the ``screen`` (lines quoted from
    files outside the project): at -v and above line by line as it comes, below that kept and shown when the
    installer fails, so no error is swallowed. An ``attempt`` that the caller follows with
    another way keeps a failure's output to itself.
    """
    from .process import TIMEOUTS, ChildNotRun, Purpose, show, started

    LOGGER.info("run %s", redact(" ".join(show(a) for a in argv)))
    start = time.perf_counter()
    kept: list[str] = []
    # between -q and -v: a status line on a terminal, one start line in a log (see progress.py)
    status = None
    try:
        with started(argv, env=env, cwd=cwd, timeout=TIMEOUTS[Purpose.INSTALL], merge_stderr=True) as child:
            if verbosity == 2:  # virtualenv's default
                from ..progress import Status

                status = Status(what).begin()
            _follow(child, live=verbosity >= 3, screen=screen, kept=kept, status=status)
    except ChildNotRun as exc:
        msg = f"{what}: cannot start {argv[0]}: {exc.reason}; check that the installer is installed"
        raise ReadyError(msg) from exc
    except KeyboardInterrupt:
        msg = f"{what}: interrupted; the environment is left incomplete: re-run the command or `virtualenv-ready sync`"
        raise ReadyInterrupted(msg) from None
    finally:
        if status is not None:
            status.close()
    LOGGER.debug("%s took %.2fs", argv[0], time.perf_counter() - start)
    if child.proc.returncode != 0:
        output = "".join(kept)
        output = screen.screen(output) if screen is not None else output
        if not attempt and verbosity < 3:  # at -v it was shown as it came
            show_output(output)
        ended = "ran out of time" if child.timed_out else f"failed with exit code {child.proc.returncode}"
        msg = f"{what} {ended} (its explanation is above)"
        raise InstallerFailed(msg, output)


def _follow(child: Child, *, live: bool, screen: QuoteScreen | None, kept: list[str], status: Status | None) -> None:
    """Read the child's output to its end: shown live (screened, redacted), or kept for a failure and fed to the
    status line."""
    assert child.proc.stdout is not None  # noqa: S101 - PIPE was asked for
    for line in child.proc.stdout:
        kept.append(line)
        if live:
            for passed in screen.feed(line) if screen is not None else [line]:
                sys.stderr.write(_printable(passed))
            sys.stderr.flush()
        elif status is not None:
            status.feed(line)
    child.proc.wait()
    if live and screen is not None:
        sys.stderr.write("".join(_printable(passed) for passed in screen.flush()))


def show_output(output: str) -> None:
    """A failed installer's kept output (already screened), redacted, so no error is swallowed."""
    if output:
        sys.stderr.write(_printable(output))
        if not output.endswith("\n"):
            sys.stderr.write("\n")
        sys.stderr.flush()


def _printable(text: str) -> str:
    """Installer output as we pass it on: credentials masked, control characters escaped, lines kept."""
    return shown(redact(text), lines=True)


__all__ = [
    "InstallResult",
    "Installer",
    "InstallerFailed",
    "InstallerUnusable",
    "Located",
    "index_argv",
    "run_installer",
    "show_output",
    "step_argv",
]
