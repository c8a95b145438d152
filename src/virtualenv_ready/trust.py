"""Trust on first use: when only a default (enable or virtualenv.ini) chose `ready`, a project installs after consent.

Consent covers everything a build can read: the project folder's files as its VCS sees them (tracked, and untracked
but not ignored; without a VCS a bounded walk), the local archives and folders the plan names, and the plan's input
files. Answers are remembered per project directory with the hash of each of those files (user data dir), so any
change asks again and the question says what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .logs import LOGGER
from .valuetypes import dataclass, field

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .model import InstallPlan, ReadyConfig
    from .target import Target

STORE_ENV = "VIRTUALENV_READY_TRUST_STORE"
FORMAT = 2  # entries with ``files``; format 1 (``inputs`` alone, a hash of the plan's input files) is still read
SHOWN = 3  # file names shown per kind of change
SHOWN_PACKAGES = 8


def store_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(STORE_ENV):
        return Path(env[STORE_ENV])
    from .userdirs import user_data_dir

    return Path(user_data_dir("virtualenv-ready")) / "trust.json"


@dataclass(frozen=True)
class Inputs:
    """Everything a build of the project can read, file by file (path relative to the project -> short hash)."""

    files: dict[str, str] = field(default_factory=dict)
    #: ``False`` when a cap stopped the listing (the hash covers what was listed)
    complete: bool = True

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.files, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    """What the user said of a project before: yes or no, when, and for which inputs."""

    trusted: bool
    when: str
    inputs: str
    #: the files answered for; ``None`` for an answer an older release stored (it hashed the plan's files only)
    files: dict[str, str] | None


@dataclass(frozen=True)
class Changes:
    """Files added, changed and removed since an answer."""

    added: list[str]
    changed: list[str]
    removed: list[str]

    def __str__(self) -> str:
        parts = []
        for names, verb in ((self.changed, "changed"), (self.added, "added"), (self.removed, "removed")):
            if names:
                shown = ", ".join(names[:SHOWN]) + (f", and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
                parts.append(f"{len(names)} file{'s' if len(names) > 1 else ''} {verb} ({shown})")
        return "; ".join(parts) or "no file changed"


def inputs(plan: InstallPlan) -> Inputs:
    """The project's tree, the archives and folders the plan names, and the plan's input files, hashed."""
    from .tree import add_file, snapshot

    project = plan.project.absolute()
    tree = snapshot(project)
    for path in named_paths(plan):
        name = _relative(path, project)
        if path.is_dir():
            if not _inside(path, project):  # inside, the project's own listing has it
                snapshot(path, tree=tree, prefix=name + "/")
        else:
            add_file(tree, path, name)
    for name, hashed in plan.input_hashes().items():
        tree.files[_relative(Path(name), project)] = hashed[:16]
    return Inputs(dict(sorted(tree.files.items())), tree.complete)


def digest(plan: InstallPlan) -> str:
    """What was consented to: one hash of :func:`inputs`."""
    return inputs(plan).digest


def changes(before: Mapping[str, str], after: Mapping[str, str]) -> Changes:
    """What differs between two answers' files."""
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(name for name in set(before) & set(after) if before[name] != after[name])
    return Changes(added, changed, removed)


def packages(plan: InstallPlan) -> list[str]:
    """The top-level names the plan installs (a local folder or archive by its name), in plan order."""
    names: list[str] = []
    lines = [*plan.requirement_lines(), *(f"-e {e}" for s in plan.sources for e in s.editables)]
    for line in lines:
        requirement, options = _split(line)
        for text in [requirement] if requirement else [v for o, v in options if o == "--editable"]:
            names.append(_package_name(text, plan.project))
    return list(dict.fromkeys(name for name in names if name))


def _package_name(text: str, project: Path) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(text).name
    except InvalidRequirement:
        pass
    where = _path_part(text)
    tail = Path(where.rstrip("/\\")).name
    if not tail or tail in {".", ".."}:
        return project.name
    return tail.split("-")[0] if tail.endswith(".whl") else tail


def named_paths(plan: InstallPlan) -> list[Path]:
    """Local archives and folders the plan names (requirement lines, editables, the project's find-links), which a
    build reads wherever they are, ignored by the VCS or outside the project."""
    project = plan.project.absolute()
    found: list[Path] = []
    for source in plan.sources:
        for line in source.lines:
            found += _local(line, (project,))
        for editable in source.editables:
            found += _local(f"-e {editable}", (project,))
        found += [project / f for f in source.find_links if "://" not in f and (project / f).is_dir()]
    return list(dict.fromkeys(Path(os.path.normpath(path.absolute())) for path in found))


def _local(line: str, bases: Sequence[Path]) -> list[Path]:
    from .boundary import ARCHIVES

    requirement, options = _split(line)
    found = []
    for value in (requirement, *(v for o, v in options if o in {"--editable", "--find-links"})):
        where = _path_part(value)
        if not where or "://" in where:
            continue
        if not (where.startswith((".", "~")) or "/" in where or "\\" in where or where.endswith(ARCHIVES)):
            continue  # a package name
        given = Path(where).expanduser()
        candidates = [given] if given.is_absolute() else [base / given for base in bases]
        found += [path for path in candidates if path.exists()][:1]
    return found


def _split(line: str) -> tuple[str, list[tuple[str, str]]]:
    """A plan line (generated: a requirement, ``-e``, an option) as its requirement and its options."""
    from .reqfile import break_args_options, parse_options

    requirement, rest = break_args_options(line.strip())
    try:
        options = parse_options(rest) if rest else []
    except ValueError:
        options = []
    return requirement.strip(), options


def _path_part(text: str) -> str:
    """The path of a local requirement: ``./x.whl``, ``name @ ./x.whl``, ``file:///x``, ``./lib[extra]; marker``."""
    from .boundary import reference_name

    value = text.split(";", 1)[0].strip()
    if reference_name(value):
        value = value.split("@", 1)[1].strip()
    if value.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        value = unquote(urlsplit(value).path)
    if value.endswith("]") and "[" in value:
        value = value[: value.rindex("[")]
    return value


def _relative(path: Path, project: Path) -> str:
    try:
        return Path(os.path.relpath(path, project)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)


def _inside(path: Path, project: Path) -> bool:
    return path == project or project in path.parents


def _load() -> dict[str, Any]:
    try:
        data = json.loads(store_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, Any]) -> None:
    from .files import replace_file

    path = store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, json.dumps(data, indent=2, sort_keys=True), prefix=".trust.")


def previous(project: Path) -> Answer | None:
    """The answer stored for ``project`` (either format), or ``None``."""
    entry = _load().get(str(project))
    if not isinstance(entry, dict) or not isinstance(entry.get("inputs"), str):
        return None
    files = entry.get("files")
    files = {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else None
    return Answer(bool(entry.get("trusted")), str(entry.get("when") or "an earlier day"), entry["inputs"], files)


def lookup(project: Path, plan_digest: str) -> bool | None:
    """True or False when this project with these inputs was answered before, else None."""
    answer = previous(project)
    return answer.trusted if answer is not None and answer.inputs == plan_digest else None


def remember(project: Path, given: Inputs, trusted: bool) -> None:
    """Store the answer with the hash of each file it covers (so a later change can be named)."""
    data = _load()
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    data[str(project)] = {"format": FORMAT, "inputs": given.digest, "trusted": trusted, "when": when}
    data[str(project)]["files"] = given.files
    _save(data)


def forget(project: Path) -> Answer | None:
    """Drop the answer for ``project``; the answer it was, or ``None``."""
    answer = previous(project)
    data = _load()
    if data.pop(str(project), None) is None:
        return None
    _save(data)
    return answer


def was(answer: Answer | None, now: Inputs) -> str:
    """The true previous state, for `trust` and `untrust`: "was not trusted", "was trusted for other inputs", ..."""
    if answer is None:
        return "was not trusted"
    same = "these inputs" if answer.inputs == now.digest else "other inputs"
    verb = "trusted" if answer.trusted else "refused"
    return f"was {verb} for {same} (on {when(answer)})"


def when(answer: Answer) -> str:
    """The answer's time as people read it: ``2024-05-01 14:02 UTC``."""
    try:
        moment = datetime.fromisoformat(answer.when)
    except ValueError:
        return answer.when
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def since(answer: Answer | None, now: Inputs) -> str | None:
    """What changed since an answer for other inputs (``None``: no answer, or one for these inputs)."""
    if answer is None or answer.inputs == now.digest:
        return None
    verb = "you trusted it" if answer.trusted else "you said no"
    if answer.files is None:
        what = "that answer came from an earlier release, which covered only the requirement files"
    else:
        what = str(changes(answer.files, now.files))
    return f"since {verb} on {when(answer)}: {what}"


def installs(plan: InstallPlan) -> str:
    """The packages the plan names, a few of them, for the question."""
    names = packages(plan)
    shown = ", ".join(names[:SHOWN_PACKAGES])
    more = f", and {len(names) - SHOWN_PACKAGES} more" if len(names) > SHOWN_PACKAGES else ""
    return f"it installs {shown}{more}" if names else "it installs nothing by name"


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty() and sys.stderr.isatty()


def ask(project: Path, summary: str, details: Sequence[str] = ()) -> bool:
    """One question on the terminal; anything but yes is no."""
    from .safe import shown

    lines = "".join(f"  {shown(line)}\n" for line in details)
    try:  # a Ctrl-C while the question is still being written ends its line too
        sys.stderr.write(
            f"virtualenv-ready: install the requirements of {shown(f'{project} ({summary})')}?\n{lines}"
            "  Installing can run the project's build code and its packages' install hooks. [y/N] "
        )
        sys.stderr.flush()
        answer = sys.stdin.readline()
    except (OSError, EOFError):
        return False
    except KeyboardInterrupt:
        sys.stderr.write("\n")  # the terminal echoed ^C after the question: what follows starts a line of its own
        sys.stderr.flush()
        raise
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
    now = inputs(plan)
    answer = previous(plan.project)
    known = answer.trusted if answer is not None and answer.inputs == now.digest else None
    if known is None and interactive():
        details = [_sentence(installs(plan)), *_listing(now)]
        changed = since(answer, now)
        details += [_sentence(changed)] if changed else []
        known = ask(plan.project, plan.summary, details)
        remember(plan.project, now, known)
        answer = previous(plan.project)
    if known:
        return True
    LOGGER.log(PROBLEM, "%s", refusal(plan, answer, now, later))
    return False


def refusal(plan: InstallPlan, answer: Answer | None, now: Inputs, later: str) -> str:
    """The line a run that installed nothing prints: why, what changed, what it would install, how to go on."""
    head = f"virtualenv-ready: env created, but {plan.summary} of {plan.project} was not installed: "
    if answer is not None and answer.inputs == now.digest and not answer.trusted:
        return (
            f"{head}you said no to these inputs on {when(answer)}; `virtualenv-ready trust {plan.project}` to change "
            f"that, then run {later}"
        )
    changed = since(answer, now)
    why = f"its inputs changed {changed}" if changed else "this project is not trusted yet"
    return (
        f"{head}`ready` is only the default seeder (from `virtualenv-ready enable` or virtualenv.ini) and {why}; "
        f"{installs(plan)}. Trust it with `virtualenv-ready trust {plan.project}`, then run {later}"
    )


def _listing(now: Inputs) -> list[str]:
    from .tree import MAX_FILES

    if now.complete:
        return []
    return [f"(Only the first {MAX_FILES} files of the project were looked at.)"]


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


__all__ = [
    "Answer",
    "Changes",
    "Inputs",
    "ask",
    "changes",
    "consented",
    "digest",
    "forget",
    "inputs",
    "installs",
    "interactive",
    "lookup",
    "named_paths",
    "packages",
    "previous",
    "refusal",
    "remember",
    "since",
    "store_path",
    "was",
    "when",
]
