"""The "activate with" lines: a registry each activator fills with its own line, plus virtualenv's built-in shells.

It sits below every activator so the code that prints the lines (after creation, ``virtualenv-ready activate``)
never imports an activator: an activator module registers its maker when virtualenv imports it.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from .quoting import fish_quote, nu_quote, ps_quote, sh_quote

if TYPE_CHECKING:
    from collections.abc import Callable

# the shell names a user may be in (detected, or given to `activate --shell`); aliases map onto these
POSIX_SH = ("bash", "zsh", "sh", "dash", "ksh", "mksh", "ash")
SHELLS = (*POSIX_SH, "fish", "nu", "xonsh", "tcsh", "csh", "elvish", "pwsh", "powershell", "cmd")
ALIASES = {"nushell": "nu", "cmd.exe": "cmd", "powershell.exe": "powershell", "pwsh.exe": "pwsh", "busybox": "ash"}
POWERSHELLS = ("pwsh", "powershell")


class Hint:
    """One line: who it is for (``label``), the command alone (what ``activate`` prints) and a note for people."""

    __slots__ = ("command", "label", "note")  # a plain class: a NamedTuple costs start-up time on every virtualenv call

    def __init__(self, label: str, command: str, note: str = "") -> None:
        self.label = label
        self.command = command
        self.note = note


class Place:
    """What a maker needs: the bin dir, the target OS, the activators in play, the user's shell and policy."""

    def __init__(
        self,
        bin_dir: PurePath,
        *,
        windows: bool,
        activators: frozenset[str] | None = None,
        shell: str | None = None,
        policy: Any = None,
        probe: bool = False,
        later: frozenset[str] = frozenset(),
    ) -> None:
        self.bin_dir = bin_dir
        self.windows = windows
        self.activators = activators  # None: every activator whose file is there
        self.shell = shell  # None: lines for every shell
        self.policy = policy  # the PowerShell execution policy, when the caller has it
        self.probe = probe  # may the PowerShell maker ask Windows for the policy itself
        # virtualenv's activators that run after ours in this creation: their files are not written yet
        self.later = later

    def has(self, activator: str, *files: str) -> bool:
        """The activator is in play and each of ``files`` exists in the bin dir."""
        if self.activators is not None and activator not in self.activators:
            return False
        if activator in self.later:
            return True
        return all(Path(str(self.bin_dir / name)).is_file() for name in files)

    def path(self, name: str) -> str:
        return str(self.bin_dir / name)


# keyed by the maker's own name, so importing a module twice registers it once
_MAKERS: dict[str, tuple[int, tuple[str, ...], Callable[[Place], list[Hint]]]] = {}


def register(
    activator: str, *, order: int, shells: tuple[str, ...]
) -> Callable[[Callable[[Place], list[Hint]]], Callable[[Place], list[Hint]]]:
    """Register a maker of ``activator``'s lines; ``shells`` empty: a line for any shell (one command, CI)."""

    def add(maker: Callable[[Place], list[Hint]]) -> Callable[[Place], list[Hint]]:
        _MAKERS[f"{activator}:{maker.__module__}.{maker.__qualname__}"] = (order, shells, maker)
        return maker

    return add


def canonical(shell: str) -> str:
    name = shell.strip().lower()
    return ALIASES.get(name, name)


def shell_lines(place: Place) -> list[Hint]:
    """The lines that activate a shell (``place.shell``, or every shell), first the best one for each."""
    found: list[Hint] = []
    for _order, shells, maker in sorted(_MAKERS.values(), key=lambda entry: entry[0]):
        if shells and (place.shell is None or place.shell in shells):
            found += maker(place)
    return found


def runner_lines(place: Place, only: frozenset[str] | None = None) -> list[Hint]:
    """The lines that need no activation (one command in the env, a CI step), of the ``only`` activators if given."""
    found: list[Hint] = []
    for key, (_order, shells, maker) in sorted(_MAKERS.items(), key=lambda entry: entry[1][0]):
        if not shells and (only is None or key.partition(":")[0] in only):
            found += maker(place)
    return found


def cmd_word(path: str) -> str | None:
    """A path as one word typed at the cmd.exe prompt, or ``None`` when the prompt cannot take it literally."""
    from .quoting import cmd_unsafe

    # % expands at the prompt even inside quotes and has no escape there
    return None if cmd_unsafe(path) or "%" in path else f'"{path}"'


def run_word(place: Place, script: str, shell: str) -> str | None:
    """How ``shell`` runs the script ``script`` of the bin dir (its ``.cmd`` twin on Windows), or ``None``."""
    if not place.windows:
        return _posix_run(shell, place.path(script)) if Path(place.path(script)).is_file() else None
    twin = f"{script}.cmd"
    if not Path(place.path(twin)).is_file():
        return None  # not written: cmd.exe could not carry the path (a warning said so at creation)
    if shell in POWERSHELLS:
        return f"& {ps_quote(place.path(twin))}"
    return cmd_word(place.path(twin))


def _posix_run(shell: str, path: str) -> str:
    """A script path as the command word of ``shell`` (a quoted string alone is not a command in every shell)."""
    from .quoting import elvish_quote

    if shell == "fish":
        return fish_quote(path)
    if shell == "nu":
        return f"^{nu_quote(path)}"
    if shell == "elvish":
        return f"(external {elvish_quote(path)})"
    if shell in POWERSHELLS:
        return f"& {ps_quote(path)}"
    return sh_quote(path)


def runner(place: Place, activator: str, script: str, label: str, args: str, note: str = "") -> list[Hint]:
    """The "one command" or "CI step" lines: per shell that runs it on Windows, the POSIX script elsewhere."""
    if not place.has(activator):
        return []
    if not place.windows:
        word = run_word(place, script, place.shell or "sh")
        return [Hint(label, f"{word}{args}", note)] if word else []
    shells = [place.shell] if place.shell in (*POWERSHELLS, "cmd") else ["cmd", "powershell"]
    found: list[Hint] = []
    for shell in shells:
        word = run_word(place, script, shell or "cmd")
        if word:
            where = "PowerShell" if shell in POWERSHELLS else "cmd.exe"
            found.append(Hint(label if len(shells) == 1 else f"{label} ({where})", f"{word}{args}", note))
    return found


@register("bash", order=10, shells=POSIX_SH)
def _sh(place: Place) -> list[Hint]:
    if place.windows or not place.has("bash", "activate"):
        return []
    script = sh_quote(place.path("activate"))
    if place.shell in (None, "bash", "zsh"):
        return [Hint("bash/zsh" if place.shell is None else place.shell, f"source {script}")]
    return [Hint(place.shell or "sh", f". {script}")]


@register("fish", order=20, shells=("fish",))
def _fish(place: Place) -> list[Hint]:
    ok = place.has("fish", "activate.fish")
    return [Hint("fish", f"source {fish_quote(place.path('activate.fish'))}")] if ok else []


@register("nushell", order=30, shells=("nu",))
def _nu(place: Place) -> list[Hint]:
    ok = place.has("nushell", "activate.nu")
    return [Hint("nushell", f"overlay use {nu_quote(place.path('activate.nu'))}")] if ok else []


@register("xonsh", order=35, shells=("xonsh",))
def _xonsh(place: Place) -> list[Hint]:
    from .quoting import xonsh_quote

    ok = place.has("xonsh", "activate.xsh")
    return [Hint("xonsh", f"source {xonsh_quote(place.path('activate.xsh'))}")] if ok else []


@register("cshell", order=40, shells=("tcsh", "csh"))
def _csh(place: Place) -> list[Hint]:
    from .quoting import has_line_break

    path = place.path("activate.csh")
    # csh expands ! even inside single quotes and cannot quote a line break
    if place.windows or not place.has("cshell", "activate.csh") or set("!'") & set(path) or has_line_break(path):
        return []
    return [Hint("csh/tcsh", f"source {sh_quote(path)}")]


@register("batch", order=50, shells=("cmd",))
def _batch(place: Place) -> list[Hint]:
    path = place.path("activate.bat")
    # virtualenv skips the batch scripts when a path holds ! (besides what cmd_word refuses)
    word = cmd_word(path) if place.windows and "!" not in path and place.has("batch", "activate.bat") else None
    return [Hint("cmd.exe", word)] if word else []


@register("powershell", order=61, shells=POWERSHELLS)
def _powershell(place: Place) -> list[Hint]:
    if place.has("powershell-policy", "activate-policy.ps1"):
        return []  # the policy-proof line covers PowerShell
    for name in ("activate.ps1", "Activate.ps1"):  # virtualenv's, then the venv module's
        if place.has("powershell", name):
            note = "needs an execution policy that runs scripts"
            return [Hint("PowerShell", f". {ps_quote(place.path(name))}", note)]
    return []


__all__ = [
    "POSIX_SH",
    "POWERSHELLS",
    "SHELLS",
    "Hint",
    "Place",
    "canonical",
    "cmd_word",
    "register",
    "runner",
    "runner_lines",
    "shell_lines",
]
