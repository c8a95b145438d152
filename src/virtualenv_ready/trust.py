"""Trust on first use: when only a default (enable or virtualenv.ini) chose `ready`, a project installs after consent.

Answers are remembered per project directory and the hash of its inputs (user data dir), so a changed
requirements file or pyproject.toml asks again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .model import InstallPlan, ReadyConfig
    from .target import Target

LOGGER = logging.getLogger("virtualenv_ready")
STORE_ENV = "VIRTUALENV_READY_TRUST_STORE"


def store_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(STORE_ENV):
        return Path(env[STORE_ENV])
    from platformdirs import user_data_dir

    return Path(user_data_dir("virtualenv-ready", appauthor=False)) / "trust.json"


def digest(plan: InstallPlan) -> str:
    """What was consented to: the project's input files and their content."""
    return hashlib.sha256(json.dumps(plan.input_hashes(), sort_keys=True).encode()).hexdigest()


def _load() -> dict[str, Any]:
    try:
        data = json.loads(store_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, Any]) -> None:
    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".trust.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, sort_keys=True)
    Path(tmp).replace(path)


def lookup(project: Path, plan_digest: str) -> bool | None:
    """True or False when this project with these inputs was answered before, else None."""
    entry = _load().get(str(project))
    if not isinstance(entry, dict) or entry.get("inputs") != plan_digest:
        return None
    return bool(entry.get("trusted"))


def remember(project: Path, plan_digest: str, trusted: bool) -> None:
    data = _load()
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    data[str(project)] = {"inputs": plan_digest, "trusted": trusted, "when": when}
    _save(data)


def forget(project: Path) -> bool:
    data = _load()
    if data.pop(str(project), None) is None:
        return False
    _save(data)
    return True


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty() and sys.stderr.isatty()


def ask(project: Path, summary: str) -> bool:
    """One question on the terminal; anything but yes is no."""
    from .safe import shown

    sys.stderr.write(
        f"virtualenv-ready: install the requirements of {shown(f'{project} ({summary})')}?\n"
        "  Installing can run the project's build code and its packages' install hooks. [y/N] "
    )
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, EOFError):
        return False
    return answer.strip().lower() in {"y", "yes"}


def consented(plan: InstallPlan, config: ReadyConfig, target: Target) -> bool:
    """The consent rule: the policy's `trust` (always, ask, never), else ask once per project and inputs."""
    from .errors import PROBLEM

    rule = config.policy.trust if config.policy is not None and config.policy.trust else "ask"
    later = f"`virtualenv-ready sync {target.venv}`"
    if rule == "always":
        return True
    if rule == "never":
        where = config.policy.where("trust") if config.policy else "policy"
        LOGGER.log(
            PROBLEM,
            "virtualenv-ready: %s was not installed: the %s allows installs only when asked for explicitly; run %s",
            plan.summary,
            where,
            later,
        )
        return False
    plan_digest = digest(plan)
    known = lookup(plan.project, plan_digest)
    if known is None and interactive():
        known = ask(plan.project, plan.summary)
        remember(plan.project, plan_digest, known)
    if known:
        return True
    why = "you answered no for these inputs" if known is False else "this project is not trusted yet"
    LOGGER.log(
        PROBLEM,
        "virtualenv-ready: env created, but %s of %s was not installed: `ready` is only the default seeder (from "
        "`virtualenv-ready enable` or virtualenv.ini) and %s. Trust it with `virtualenv-ready trust %s`, then run %s",
        plan.summary,
        plan.project,
        why,
        plan.project,
        later,
    )
    return False


__all__ = ["ask", "consented", "digest", "forget", "interactive", "lookup", "remember", "store_path"]
