"""After the scripts are written: one "how to activate" line per shell, and a line when requirements were skipped."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from argparse import Namespace

    from virtualenv.create.creator import Creator

    from .powershell.policy import Policy

LOGGER = logging.getLogger("virtualenv_ready.activation")
OURS = ("powershell-policy", "venv-run", "elvish", "ci")
_RUNS: dict[str, int] = {}


def selected(options: Namespace) -> list[str]:
    """The activator names this run writes (virtualenv keeps the default as one comma separated string)."""
    value: Any = getattr(options, "activators", None)
    if value is None:
        return list(OURS)
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return [str(name) for name in value]


def announce(creator: Creator, options: Namespace) -> None:
    """Called by each of our activators; the last one of them to run logs the lines (so skipped scripts are known)."""
    names = selected(options)
    ours = [name for name in OURS if name in names] or list(OURS)
    key = str(creator.dest)
    _RUNS[key] = _RUNS.get(key, 0) + 1
    if _RUNS[key] < len(ours):
        return
    del _RUNS[key]
    from ..origin import calling_tool

    # inside a tool (tox, hatch, nox...) the user runs the tool, not the env: the lines are noise there
    level = logging.INFO if calling_tool() is not None else logging.WARNING
    policy = None
    if creator.interpreter.os == "nt" and ("powershell-policy" in names or "powershell" in names):
        from .powershell.policy import probe

        policy = probe()
    for line in activation_lines(creator.bin_dir, names, windows=creator.interpreter.os == "nt", policy=policy):
        LOGGER.log(level, "%s", line)
    skipped = requirements_notice(options)
    if skipped:
        LOGGER.log(level, "%s", skipped)


def activation_lines(bin_dir: Path, names: list[str], *, windows: bool, policy: Policy | None = None) -> list[str]:
    """One line per shell that has a script: the command to type, quoted for that shell."""
    from .elvish import usage as elvish_usage
    from .quoting import fish_quote, has_line_break, nu_quote, ps_quote, sh_quote

    lines: list[tuple[str, str]] = []

    def exists(name: str) -> bool:
        return (bin_dir / name).is_file()

    if not windows and "bash" in names:
        lines.append(("bash/zsh/sh", f"source {sh_quote(str(bin_dir / 'activate'))}"))
    if "fish" in names:
        lines.append(("fish", f"source {fish_quote(str(bin_dir / 'activate.fish'))}"))
    if "nushell" in names:
        lines.append(("nushell", f"overlay use {nu_quote(str(bin_dir / 'activate.nu'))}"))
    if "cshell" in names and not windows and not (set("!'") & set(str(bin_dir)) or has_line_break(str(bin_dir))):
        lines.append(("csh/tcsh", f"source {sh_quote(str(bin_dir / 'activate.csh'))}"))
    if windows and "batch" in names:
        lines.append(("cmd.exe", f'"{bin_dir / "activate.bat"}"'))
    if "powershell-policy" in names and exists("activate-policy.ps1"):
        lines.append(("PowerShell", powershell_line(bin_dir, windows=windows, policy=policy)))
        if windows and exists("activate-policy.cmd"):
            lines.append(("new PowerShell", f'"{bin_dir / "activate-policy.cmd"}" (from cmd.exe or PowerShell)'))
    elif "powershell" in names:
        lines.append(("PowerShell", f". {ps_quote(str(bin_dir / 'activate.ps1'))}"))
    if "elvish" in names and exists("activate.elv"):
        lines.append(("elvish", elvish_usage(str(bin_dir / "activate.elv"))))

    def runner(script: str) -> str:
        # the .cmd twin on Windows (written only for paths cmd can carry), else the POSIX script
        if windows and exists(f"{script}.cmd"):
            return f'"{bin_dir / f"{script}.cmd"}"'
        return sh_quote(str(bin_dir / script))

    if "venv-run" in names and exists("venv-run"):
        lines.append(("one command", f"{runner('venv-run')} COMMAND [ARGS...]"))
    if "ci" in names and exists("activate-ci"):
        lines.append(("CI step", f"{runner('activate-ci')} (GitHub Actions, Azure Pipelines)"))
    width = max((len(shell) for shell, _ in lines), default=0)
    return [f"activate with {shell.ljust(width)}  {command}" for shell, command in lines]


def powershell_line(bin_dir: Path, *, windows: bool, policy: Policy | None) -> str:
    """The PowerShell command that works under the policy found (the policy-proof one-liner when unsure)."""
    from .powershell import one_liner
    from .quoting import ps_quote

    script = str(bin_dir / "activate-policy.ps1")
    if not windows:
        return f". {ps_quote(script)}"
    if policy is None or not policy.effective:
        return f"{one_liner(script)}  (works under any execution policy)"
    if policy.scripts_run:
        return f". {ps_quote(script)}  ({policy.describe()})"
    if policy.effective == "AllSigned" and _signed(Path(script)) and policy.language in {"", "FullLanguage"}:
        return f". {ps_quote(script)}  ({policy.describe()}; the script is signed)"
    return f"{one_liner(script)}  ({policy.describe()}: scripts cannot run, this reads it as text)"


def _signed(script: Path) -> bool:
    try:
        return b"# SIG # Begin signature block" in script.read_bytes()
    except OSError:
        return False


def requirements_notice(options: Namespace) -> str | None:
    """The one line saying requirements were not installed because ``ready`` is not the seeder, or None."""
    seeder = getattr(options, "seeder", None)
    if seeder in (None, "ready") or (getattr(options, "no_seed", False) and seeder is None):
        return None
    from ..config import find_project

    project, _why = find_project(Path.cwd())
    found = project_inputs(project)
    if not found:
        return None
    dest = getattr(options, "dest", None) or "<dest>"
    return (
        f"virtualenv-ready: {', '.join(found)} in {project} not installed because the seeder is {seeder}, not ready; "
        f"turn it on with `virtualenv-ready enable` or `virtualenv --seeder ready {dest}`"
    )


def project_inputs(project: Path) -> list[str]:
    """The requirement sources a ``ready`` seeder would install from (pyproject only when it declares some)."""
    found = [name for name in ("pylock.toml", "requirements.txt") if (project / name).is_file()]
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        try:
            import sys

            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover - 3.10
                import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        table = data.get("project", {})
        if (isinstance(table, dict) and (table.get("dependencies") or table.get("optional-dependencies"))) or data.get(
            "dependency-groups"
        ):
            found.insert(0, "pyproject.toml")
    return found


__all__ = ["activation_lines", "announce", "powershell_line", "project_inputs", "requirements_notice", "selected"]
