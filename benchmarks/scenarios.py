"""What is timed: each scenario turns a fresh work folder into one sample (seconds per named row)."""

from __future__ import annotations

import re
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from envs import clean_env

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from envs import Tools

Sample = dict[str, float]


@dataclass(frozen=True)
class Context:
    """Everything a sample needs that is made once per benchmark run (untimed)."""

    tools: Tools
    wheels: Path
    root: Path  # this run's folder, outside any project (the ready seeder looks for a pyproject.toml upwards)
    details: dict[str, object] = field(default_factory=dict)
    tox_envs: dict[str, Path] = field(
        default_factory=dict
    )  # filled by the set-up when the tox group runs  # diagnostics for the JSON (e.g. slowest imports)
    # what app-data seeds for this Python (`pip==26.3`, ...) and the folders its wheels are in: the floor installs
    # the same seed wheels as the ready seeder, in the same uv run as the project (filled in by the set-up)
    seed_pins: list[str] = field(default_factory=list)
    seed_folders: list[str] = field(default_factory=list)

    @property
    def project(self) -> Path:
        """The benchmarked project: a folder with the pinned requirements.txt and nothing else."""
        return self.root / "project"

    @property
    def requirements(self) -> Path:
        return self.project / "requirements.txt"

    @property
    def locked(self) -> Path:
        """The same pinned set as a virtual uv project with a uv.lock (made once per run from the wheelhouse)."""
        return self.root / "locked"

    @property
    def existing(self) -> Path:
        """Envs made once per run for the re-run, sync and activation scenarios."""
        return self.root / "existing"


@dataclass(frozen=True)
class Group:
    """Rows compared with each other; ratios are against the baseline row."""

    name: str
    title: str
    baseline: str | None


@dataclass(frozen=True)
class Scenario:
    """One thing timed; `rows` names every figure its sample returns (the first is the scenario itself)."""

    name: str
    group: str
    rows: dict[str, str]
    sample: Callable[[Context, Path], Sample]
    weight: int = 1  # samples per round: cheap, noisy scenarios get more


GROUPS = {
    "startup": Group("startup", "Plain `virtualenv venv`, no requirements", "virtualenv-bare"),
    "import": Group("import", "What virtualenv imports from virtualenv-ready (5 entry-point modules)", None),
    "warm": Group("warm", "35 wheels from a local wheelhouse, warm installer cache", "floor-warm"),
    "cold": Group("cold", "35 wheels from a local wheelhouse, cold installer cache (fresh per run)", "floor-cold"),
    "rerun": Group("rerun", "Re-run when nothing changed (35 wheels already installed, warm cache)", "noseed-rerun"),
    "sync": Group("sync", "`virtualenv-ready sync` no-op", "python-startup"),
    "activation": Group("activation", "Activation cost, per call (mean of 20 calls per sample)", "activate-sh"),
    "proxy": Group(
        "proxy", "The org policy's network proxy: its own cost, and a local install with and without it", None
    ),
    "planning": Group(
        "planning", "`--ready-dry-run` of a virtual uv project with N `[project]` dependencies", "plan-empty"
    ),
    "locked-warm": Group("locked-warm", "The 35 wheels locked in a uv.lock, warm installer cache", "floor-locked-warm"),
    "locked-cold": Group(
        "locked-cold", "The 35 wheels locked in a uv.lock, cold installer cache (fresh per run)", "floor-locked-cold"
    ),
    "size": Group("size", "N small wheels (generated), warm cache: `--seeder ready` against the floor", None),
    "parallel": Group("parallel", "8 creations at once into 8 folders, one warm cache (wall time of all 8)", None),
    "tox": Group("tox", "tox, 4 envs of the 35 wheels, `run-parallel -p 4 --notest`, warm caches", "tox-uv-first"),
}


class StepFailedError(RuntimeError):
    """A timed command failed: the figures would be meaningless, so the run stops with its output."""


def run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one command, output captured (a terminal would add its own cost); fail loudly."""
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode:
        msg = f"{shlex.join(argv)} exited {result.returncode}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        raise StepFailedError(msg)
    return result


def timed(steps: list[list[str]], env: dict[str, str], cwd: Path) -> float:
    """Wall time of the steps run one after the other, like `a && b` in a shell (without the shell)."""
    start = time.perf_counter()
    for argv in steps:
        run(argv, env, cwd)
    return time.perf_counter() - start


# --- commands -------------------------------------------------------------------------------------------------


def ready_argv(
    ctx: Context, installer: str, dest: Path, *extra: str, project: Path | None = None, wheels: Path | None = None
) -> list[str]:
    """`virtualenv --seeder ready` installing the pinned set offline; activators as a user gets them (all)."""
    project = project or ctx.project
    return [
        ctx.tools.bin(ctx.tools.plugin, "virtualenv"), "--seeder", "ready", "--ready-installer", installer,
        "--ready-no-index", "--ready-find-links", str(wheels or ctx.wheels), "--ready-project", str(project),
        "--ready-requirement", str(project / "requirements.txt"), *extra, str(dest),
    ]  # fmt: skip


def floor_steps(
    ctx: Context, dest: Path, *, project: Path | None = None, wheels: Path | None = None
) -> list[list[str]]:
    """The floor for any virtualenv plugin: `virtualenv --no-seed && uv pip install -r`, with the seed wheels.

    virtualenv without the plugin and without seeding, then one uv run of the project plus the very pip/setuptools
    wheels app-data would seed: everything the ready seeder does, done by hand with nothing in between.
    """
    uv = str(ctx.tools.uv)
    create = [ctx.tools.bin(ctx.tools.bare, "virtualenv"), "--no-seed", str(dest)]
    install = [uv, "pip", "install", "--python", str(dest / "bin" / "python"), "--no-index"]
    for folder in [str(wheels or ctx.wheels), *ctx.seed_folders]:
        install += ["--find-links", folder]
    install += ["-r", str((project or ctx.project) / "requirements.txt"), *ctx.seed_pins]
    return [create, install]


def virtualenv_uv_steps(ctx: Context, dest: Path) -> list[list[str]]:
    """`virtualenv venv && uv pip install -r` by hand (app-data seeding, then uv), the plugin not installed."""
    uv = str(ctx.tools.uv)
    install = [uv, "pip", "install", "--python", str(dest / "bin" / "python"), "--no-index"]
    install += ["--find-links", str(ctx.wheels), "-r", str(ctx.requirements)]
    return [[ctx.tools.bin(ctx.tools.bare, "virtualenv"), str(dest)], install]


def uv_steps(ctx: Context, dest: Path, *, existing: bool = False) -> list[list[str]]:
    """`uv venv && uv pip install -r` (the peer the uv target is measured against)."""
    uv = str(ctx.tools.uv)
    create = [uv, "venv", "--quiet", "--python", str(ctx.tools.base_python), str(dest)]
    create += ["--allow-existing"] if existing else []
    install = [uv, "pip", "install", "--python", str(dest / "bin" / "python"), "--no-index"]
    install += ["--find-links", str(ctx.wheels), "-r", str(ctx.requirements)]
    return [create, install]


def pip_install(ctx: Context, dest: Path) -> list[str]:
    """`venv/bin/pip install -r` offline, with the pip the creator seeded."""
    pip = [str(dest / "bin" / "pip"), "install", "--no-index", "--find-links", str(ctx.wheels)]
    return [*pip, "-r", str(ctx.requirements)]


def virtualenv_pip_steps(ctx: Context, dest: Path) -> list[list[str]]:
    """`virtualenv venv && venv/bin/pip install -r` with virtualenv-ready NOT installed."""
    return [[ctx.tools.bin(ctx.tools.bare, "virtualenv"), str(dest)], pip_install(ctx, dest)]


def venv_pip_steps(ctx: Context, dest: Path) -> list[list[str]]:
    """`python -m venv venv && venv/bin/pip install -r` (ensurepip's pip)."""
    return [[str(ctx.tools.base_python), "-m", "venv", str(dest)], pip_install(ctx, dest)]


def caches(ctx: Context, work: Path, cold: bool) -> dict[str, str]:
    """Installer caches and this package's own: fresh ones per sample when cold, long-lived ones when warm."""
    where = work if cold else ctx.root
    suffix = "cold" if cold else "warm"
    found = {
        "UV_CACHE_DIR": str(where / f"uv-cache-{suffix}"),
        "PIP_CACHE_DIR": str(where / f"pip-cache-{suffix}"),
        # this package's own cache (kept `uv export` answers): cold means cold for it too
        "VIRTUALENV_READY_CACHE_DIR": str(where / f"ready-cache-{suffix}"),
    }
    if cold:  # and for its memos beside the record key (seed wheel digests, lock facts): a first creation's
        found["VIRTUALENV_READY_RECORD_KEY"] = str(work / "record-key-cold")
    return found


# --- scenarios ------------------------------------------------------------------------------------------------


def _startup(which: str) -> Callable[[Context, Path], Sample]:
    def sample(ctx: Context, work: Path) -> Sample:
        tools = ctx.tools
        env = clean_env(tools)
        venv = tools.bare if which == "virtualenv-bare" else tools.plugin
        if which == "virtualenv-ready-default":
            env["VIRTUALENV_CONFIG_FILE"] = str(tools.ini_ready)
        return {which: timed([[tools.bin(venv, "virtualenv"), str(work / "venv")]], env, work)}

    return sample


# `__import__`, not `ep.load()`: importlib.import_module bypasses the C import path that -X importtime
# instruments, so the entry-point modules themselves would be missing from the trace
_IMPORTS = """
import sys, time
from importlib.metadata import entry_points
groups = ("virtualenv.discovery", "virtualenv.create", "virtualenv.seed", "virtualenv.activate")
eps = [ep for group in groups for ep in entry_points(group=group)]
def load(ep):
    __import__(ep.module)
    return getattr(sys.modules[ep.module], ep.attr)
import virtualenv.run
for ep in eps:
    if ep.dist.name != "virtualenv-ready":
        load(ep)
sys.stderr.write("@@mark\\n")
sys.stderr.flush()
start = time.perf_counter()
mine = [load(ep) for ep in eps if ep.dist.name == "virtualenv-ready"]
sys.stderr.write(f"@@own {time.perf_counter() - start} {len(mine)}\\n")
"""
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def importtime(ctx: Context, work: Path) -> Sample:
    """Load virtualenv's built-in plugins first, then ours: only what ours adds is counted.

    Two processes: `-X importtime` (sum of self times after the mark) and a plain one timed in-process
    (importtime's own bookkeeping inflates wall time).
    """
    python = ctx.tools.bin(ctx.tools.plugin, "python")
    env = clean_env(ctx.tools)
    traced = run([python, "-X", "importtime", "-c", _IMPORTS], env, work).stderr
    after = traced.split("@@mark\n", 1)[1]
    modules = [(int(m[1]), m[4]) for m in map(_IMPORT_LINE.match, after.splitlines()) if m]
    plain = run([python, "-c", _IMPORTS], env, work).stderr
    own, loaded = plain.rsplit("@@own ", 1)[1].split()
    ctx.details["import_modules_loaded"] = int(loaded)
    ctx.details.setdefault("import_slowest_self_us", sorted(modules, reverse=True)[:15])
    ctx.details["import_module_count"] = len(modules)
    return {"import-importtime": sum(us for us, _ in modules) / 1e6, "import-wall": float(own)}


def _project(which: str, cold: bool) -> Callable[[Context, Path], Sample]:
    def sample(ctx: Context, work: Path) -> Sample:
        env = clean_env(ctx.tools, **caches(ctx, work, cold))
        dest = work / "venv"
        steps = {
            "ready-uv": lambda: [ready_argv(ctx, "uv", dest)],
            "ready-uv-symlink": lambda: [ready_argv(ctx, "uv", dest, "--symlink-app-data")],
            "ready-pip": lambda: [ready_argv(ctx, "pip", dest)],
            "uv": lambda: uv_steps(ctx, dest),
            "floor": lambda: floor_steps(ctx, dest),
            "virtualenv-uv": lambda: virtualenv_uv_steps(ctx, dest),
            "virtualenv-pip": lambda: virtualenv_pip_steps(ctx, dest),
            "venv-pip": lambda: venv_pip_steps(ctx, dest),
        }[which]()
        return {f"{which}-{'cold' if cold else 'warm'}": timed(steps, env, work)}

    return sample


def existing_env(ctx: Context, name: str) -> Path:
    """An env made once per run (untimed) that the re-run, sync and activation samples reuse unchanged."""
    dest = ctx.existing / name
    if not dest.exists():
        ctx.existing.mkdir(parents=True, exist_ok=True)
        env = clean_env(ctx.tools, **caches(ctx, ctx.existing, cold=False))
        steps = {
            "uv": lambda: uv_steps(ctx, dest),
            "ready": lambda: [ready_argv(ctx, "uv", dest)],
            "virtualenv-pip": lambda: virtualenv_pip_steps(ctx, dest),
            "noseed": lambda: [noseed_argv(ctx, dest)],
            "locked-ready": lambda: [ready_locked_argv(ctx, dest)],
            "locked-uv": lambda: floor_locked_steps(ctx, dest),
        }[name.split("+", maxsplit=1)[0]]()
        timed(steps, {**env, "UV_PROJECT_ENVIRONMENT": str(dest)}, ctx.locked if "locked" in name else ctx.existing)
    return dest


def noseed_argv(ctx: Context, dest: Path) -> list[str]:
    """`virtualenv --no-seed venv`, the plugin not installed: the floor of a re-run into an existing env."""
    return [ctx.tools.bin(ctx.tools.bare, "virtualenv"), "--no-seed", str(dest)]


def _rerun(which: str) -> Callable[[Context, Path], Sample]:
    def sample(ctx: Context, work: Path) -> Sample:
        env = clean_env(ctx.tools, **caches(ctx, work, cold=False))
        dest = existing_env(ctx, which)
        steps = {
            "uv": lambda: uv_steps(ctx, dest, existing=True),
            "ready": lambda: [ready_argv(ctx, "uv", dest)],
            "virtualenv-pip": lambda: virtualenv_pip_steps(ctx, dest),
            "noseed": lambda: [noseed_argv(ctx, dest)],
        }[which]()
        return {f"{which}-rerun": timed(steps, env, ctx.existing)}

    return sample


_SYNC = """
import sys, time
start = time.perf_counter()
from virtualenv_ready.cli import main
code = main(sys.argv[1:])
sys.stderr.write(f"@@own {time.perf_counter() - start}\\n")
sys.exit(code)
"""


def sync_noop(ctx: Context, work: Path) -> Sample:
    """Three figures: the command as users run it, its own work timed in-process, and bare `python -c pass`.

    "Own work" = from before `import virtualenv_ready.cli` to the return of `main(["sync", venv])` in one
    process: everything the command does except starting the interpreter.
    """
    tools = ctx.tools
    env = clean_env(tools)
    venv = existing_env(ctx, "ready+sync")
    python = tools.bin(tools.plugin, "python")
    wall = timed([[tools.bin(tools.plugin, "virtualenv-ready"), "sync", str(venv)]], env, work)
    inner = run([python, "-c", _SYNC, "sync", str(venv)], env, work)
    if "up to date, nothing to do" not in inner.stdout:
        msg = f"sync was not a no-op: {inner.stdout}{inner.stderr}"
        raise StepFailedError(msg)
    own = float(inner.stderr.rsplit("@@own ", 1)[1].split()[0])
    start = timed([[python, "-c", "pass"]], env, work)
    return {"sync-noop": wall, "sync-noop-own": own, "python-startup": start}


def sync_locked(ctx: Context, work: Path) -> Sample:
    """The no-op of a locked project, whole processes: `virtualenv-ready sync` and `sync --check` on the env the
    ready seeder made, `uv sync --frozen` on the env the floor made (both up to date)."""
    tools = ctx.tools
    env = clean_env(tools)
    ready, floor = existing_env(ctx, "locked-ready"), existing_env(ctx, "locked-uv")
    command = tools.bin(tools.plugin, "virtualenv-ready")
    figures = {
        "sync-locked-noop": timed([[command, "sync", str(ready)]], env, work),
        "sync-locked-check": timed([[command, "sync", "--check", str(ready)]], env, work),
    }
    uv = [str(tools.uv), "sync", "--frozen", "--quiet", "--no-config"]
    figures["uv-sync-noop"] = timed([uv], {**env, "UV_PROJECT_ENVIRONMENT": str(floor)}, ctx.locked)
    return figures


CALLS = 20


def activation(ctx: Context, work: Path) -> Sample:
    """Both ways of running one command in the env, alternated call by call, mean per call."""
    venv = existing_env(ctx, "ready+sync")
    env = clean_env(ctx.tools)
    source = ["sh", "-c", f". {shlex.quote(str(venv / 'bin' / 'activate'))} && true"]
    venv_run = [str(venv / "bin" / "venv-run"), "true"]
    totals = {"activate-sh": 0.0, "venv-run": 0.0}
    for _ in range(CALLS):
        totals["activate-sh"] += timed([source], env, work)
        totals["venv-run"] += timed([venv_run], env, work)
    return {name: total / CALLS for name, total in totals.items()}


_PROXY = """
import sys, time
import virtualenv_ready.installers.process, virtualenv_ready.policy  # a real run has these imported already
start = time.perf_counter()
from virtualenv_ready.installers.proxy import Allowance, UserProxies
from virtualenv_ready.installers.proxy_server import PolicyProxy
allowed, user = Allowance(frozenset({"127.0.0.1"}), frozenset(), "policy"), UserProxies(None, None, ())
with PolicyProxy(allowed, user):
    pass
first = time.perf_counter() - start
start = time.perf_counter()
for _ in range(20):
    with PolicyProxy(allowed, user):
        pass
sys.stderr.write(f"@@proxy {first} {(time.perf_counter() - start) / 20}\\n")
"""


def policy_proxy(ctx: Context, work: Path) -> Sample:
    """The proxy's start+stop (in a fresh process: imports and the first run; then the mean of 20 more), and the
    same warm local install with uv under a policy naming the wheelhouse (proxied) and without one."""
    policy = ctx.root / "policy.toml"
    policy.write_text(f"find-links = [{str(ctx.wheels)!r}]\n", encoding="utf-8")
    env = clean_env(ctx.tools, **caches(ctx, work, cold=False))
    first, again = (
        run([ctx.tools.bin(ctx.tools.plugin, "python"), "-c", _PROXY], env, work).stderr.split("@@proxy ")[1].split()
    )
    plain = timed([ready_argv(ctx, "uv", work / "plain")], env, work)
    proxied = timed([ready_argv(ctx, "uv", work / "proxied")], {**env, "VIRTUALENV_READY_POLICY": str(policy)}, work)
    return {
        "proxy-first": float(first),
        "proxy-again": float(again),
        "ready-uv-proxied": proxied,
        "ready-uv-plain": plain,
    }


_PROXY_ROWS = {
    "proxy-first": "start+stop in a fresh process (its own imports included): the cost of the first run",
    "proxy-again": "start+stop once imported (mean of 20)",
    "ready-uv-proxied": "`virtualenv --seeder ready` (uv), warm, under a policy: through the proxy",
    "ready-uv-plain": "the same without a policy (no proxy)",
}
PLANNING_SIZES = (1_000, 8_000, 30_000)


def planning_project(folder: Path, count: int) -> Path:
    """A virtual uv project (``package = false``) with ``count`` dependencies: all of them become lines we write."""
    folder.mkdir(parents=True, exist_ok=True)
    deps = "\n".join(f'  "pkg{number}>=1.{number % 7}",' for number in range(count))
    text = f'[project]\nname = "big"\nversion = "1"\ndependencies = [\n{deps}\n]\n\n[tool.uv]\npackage = false\n'
    (folder / "pyproject.toml").write_text(text, encoding="utf-8")
    return folder


def planning(ctx: Context, work: Path) -> Sample:
    """Dry-run planning at each size: the whole `virtualenv --seeder ready --ready-dry-run` (env creation included,
    ``plan-empty`` is the same with no dependencies), so what grows with the size is the planning."""
    tools = ctx.tools
    env = clean_env(tools)
    sample: Sample = {}
    for count in (0, *PLANNING_SIZES):
        project = planning_project(work / f"plan{count}", count)
        argv = [
            tools.bin(tools.plugin, "virtualenv"), "--seeder", "ready", "--ready-dry-run", "--ready-installer", "pip",
            "--ready-project", str(project), str(work / f"venv{count}"),
        ]  # fmt: skip
        sample[f"plan-{count // 1000}k" if count else "plan-empty"] = timed([argv], env, work)
    return sample


# --- locked projects, project size, parallel creations ----------------------------------------------------------


def make_locked(ctx: Context) -> None:
    """Untimed: the pinned set as the dependencies of a virtual uv project, locked by uv from the wheelhouse alone."""
    import platform
    import sys

    folder = ctx.locked
    folder.mkdir(parents=True, exist_ok=True)
    pins = [line.strip() for line in ctx.requirements.read_text(encoding="utf-8").splitlines() if line.strip()]
    here = (
        f"sys_platform == '{sys.platform}' and platform_machine == '{platform.machine()}' and "
        f"python_version == '{sys.version_info[0]}.{sys.version_info[1]}'"
    )
    deps = "".join(f'  "{pin}",\n' for pin in pins)
    text = (
        f'[project]\nname = "locked"\nversion = "1"\nrequires-python = ">=3.9"\ndependencies = [\n{deps}]\n\n'
        f'[tool.uv]\npackage = false\nenvironments = ["{here}"]\n'
    )
    (folder / "pyproject.toml").write_text(text, encoding="utf-8")
    argv = [str(ctx.tools.uv), "lock", "--quiet", "--no-config", "--no-index", "--find-links", str(ctx.wheels)]
    run([*argv, "--python", str(ctx.tools.base_python)], clean_env(ctx.tools), folder)


def floor_locked_steps(ctx: Context, dest: Path) -> list[list[str]]:
    """The floor of a locked project: `virtualenv --no-seed && uv sync --frozen` into that env, plus the seed wheels
    (run in the locked project with ``UV_PROJECT_ENVIRONMENT`` naming the env)."""
    uv = str(ctx.tools.uv)
    create = [ctx.tools.bin(ctx.tools.bare, "virtualenv"), "--no-seed", str(dest)]
    sync = [uv, "sync", "--frozen", "--quiet", "--no-config"]
    seed = [uv, "pip", "install", "--quiet", "--python", str(dest / "bin" / "python"), "--no-index"]
    for folder in ctx.seed_folders:
        seed += ["--find-links", folder]
    return [create, sync, [*seed, *ctx.seed_pins]]


def ready_locked_argv(ctx: Context, dest: Path) -> list[str]:
    """`virtualenv --seeder ready` in the locked project: it reads the uv.lock and installs exactly that."""
    return [
        ctx.tools.bin(ctx.tools.plugin, "virtualenv"), "--seeder", "ready", "--ready-installer", "uv",
        "--ready-no-index", "--ready-find-links", str(ctx.wheels), "--ready-project", str(ctx.locked), str(dest),
    ]  # fmt: skip


def _locked(which: str, cold: bool) -> Callable[[Context, Path], Sample]:
    def sample(ctx: Context, work: Path) -> Sample:
        dest = work / "venv"
        env = clean_env(ctx.tools, **caches(ctx, work, cold), UV_PROJECT_ENVIRONMENT=str(dest))
        steps = floor_locked_steps(ctx, dest) if which == "floor" else [ready_locked_argv(ctx, dest)]
        return {f"{which}-locked-{'cold' if cold else 'warm'}": timed(steps, env, ctx.locked)}

    return sample


SIZES = (10, 35, 150, 300)
_MODULES = 12  # modules per generated wheel, about 3 kB each: a small real package's shape


def make_size_wheels(ctx: Context) -> Path:
    """Untimed: ``max(SIZES)`` small pure-Python wheels (no dependencies) and one requirements file per size."""
    import base64
    import hashlib
    import zipfile

    folder = ctx.root / "size-wheels"
    folder.mkdir(parents=True, exist_ok=True)
    body = "".join(f"def f{n}(x):\n    return x + {n}\n\n" for n in range(120))
    for number in range(max(SIZES)):
        name = f"benchpkg{number:03d}"
        info = f"{name}-1.0.dist-info"
        files = {f"{name}/mod{m}.py": body for m in range(_MODULES)} | {f"{name}/__init__.py": ""}
        files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
        files[f"{info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        record = []
        with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as wheel:
            for path, text in files.items():
                data = text.encode()
                wheel.writestr(path, data)
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                record.append(f"{path},sha256={digest},{len(data)}")
            wheel.writestr(f"{info}/RECORD", "\n".join([*record, f"{info}/RECORD,,"]) + "\n")
    for size in SIZES:
        project = ctx.root / f"size{size}"
        project.mkdir(exist_ok=True)
        pins = "".join(f"benchpkg{n:03d}==1.0\n" for n in range(size))
        (project / "requirements.txt").write_text(pins, encoding="utf-8")
    return folder


def _size(size: int) -> Callable[[Context, Path], Sample]:
    def sample(ctx: Context, work: Path) -> Sample:
        import random

        project, wheels = ctx.root / f"size{size}", ctx.root / "size-wheels"
        env = clean_env(ctx.tools, **caches(ctx, work, cold=False))
        floor = floor_steps(ctx, work / "floor", project=project, wheels=wheels)
        ready = [ready_argv(ctx, "uv", work / "ready", project=project, wheels=wheels)]
        pair = [("floor", floor), ("ready", ready)]
        random.shuffle(pair)  # neither always runs second, on a page cache the first warmed
        return {f"size-{size}-{name}": timed(steps, env, work) for name, steps in pair}

    return sample


PARALLEL = 8


def parallel(ctx: Context, work: Path) -> Sample:
    """8 floors at once, then 8 `--seeder ready` at once (order shuffled), into 8 folders each, sharing the warm
    caches: the wall time until the last one ends; any failure stops the run (no error is part of the target)."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    env = clean_env(ctx.tools, **caches(ctx, work, cold=False))

    def batch(name: str) -> float:
        made = [
            floor_steps(ctx, work / f"{name}{n}") if name == "floor" else [ready_argv(ctx, "uv", work / f"{name}{n}")]
            for n in range(PARALLEL)
        ]
        start = time.perf_counter()
        with ThreadPoolExecutor(PARALLEL) as pool:
            for future in [pool.submit(timed, steps, env, work) for steps in made]:
                future.result()
        return time.perf_counter() - start

    names = ["floor", "ready"]
    random.shuffle(names)
    return {f"parallel-{name}": batch(name) for name in names}


TOX_ENVS = ("a", "b", "c", "d")


def make_tox_projects(ctx: Context) -> None:
    """Untimed: the 35-wheel project twice, for tox's own installs (`deps = -r`) and for `ready = true`."""
    envs = ",".join(TOX_ENVS)
    for kind, body in (
        ("plain", "deps = -r requirements.txt\n"),
        ("ready", "ready = true\nready_requirements = requirements.txt\n"),
    ):
        folder = ctx.root / f"tox-{kind}"
        folder.mkdir(exist_ok=True)
        (folder / "requirements.txt").write_text(ctx.requirements.read_text(encoding="utf-8"), encoding="utf-8")
        # tox passes no UV_* variable to what it runs unless told: without this tox-uv asks the real index
        text = (
            f"[tox]\nenv_list = {envs}\n\n[testenv]\nskip_install = true\npass_env = UV_*\n{body}"
            "commands = python -c pass\n"
        )
        (folder / "tox.ini").write_text(text, encoding="utf-8")


def _tox(variant: str) -> Callable[[Context, Path], Sample]:
    def sample(ctx: Context, work: Path) -> Sample:
        import shutil

        project = work / "project"
        shutil.copytree(ctx.root / f"tox-{'ready' if variant.endswith('ready') else 'plain'}", project)
        env = clean_env(
            ctx.tools,
            **caches(ctx, work, cold=False),
            PIP_NO_INDEX="1",
            PIP_FIND_LINKS=str(ctx.wheels),
            UV_OFFLINE="1",  # uv has no variable for --no-index: offline, with the wheelhouse as find-links
            UV_FIND_LINKS=str(ctx.wheels),
            VIRTUALENV_READY_NO_INDEX="1",
            VIRTUALENV_READY_FIND_LINKS=str(ctx.wheels),
        )
        tox = [str(ctx.tox_envs[variant] / "bin" / "tox"), "run-parallel", "-p", str(len(TOX_ENVS)), "--notest"]
        first = timed([tox], env, project)
        second = timed([tox], env, project)
        return {f"tox-{variant}-first": first, f"tox-{variant}-second": second}

    return sample


def _one(name: str, group: str, title: str, sample: Callable[[Context, Path], Sample], weight: int = 1) -> Scenario:
    return Scenario(name, group, {name: title}, sample, weight)


# (name, title, {temperature: samples per round}): the pip rows get 2 a round, so a 5-round run has the 9+ samples
# their 5% target needs; the warm floor and ready rows get 3 (a 10% target on ~0.3 s is within one sample's noise
# on a shared machine); `python -m venv` (slowest, no target) is timed warm only
_PROJECT = (
    ("floor", "floor: `virtualenv --no-seed && uv pip install -r` + seed wheels", {"warm": 3, "cold": 1}),
    ("uv", "`uv venv && uv pip install -r`", {"warm": 1, "cold": 1}),
    ("ready-uv", "`virtualenv --seeder ready` (uv)", {"warm": 3, "cold": 1}),
    ("ready-uv-symlink", "`virtualenv --seeder ready --symlink-app-data` (uv)", {"warm": 1}),
    ("virtualenv-uv", "`virtualenv venv && uv pip install -r` by hand", {"warm": 1}),
    ("ready-pip", "`virtualenv --seeder ready --ready-installer pip`", {"warm": 2, "cold": 2}),
    ("virtualenv-pip", "`virtualenv venv && venv/bin/pip install -r`", {"warm": 2, "cold": 2}),
    ("venv-pip", "`python -m venv venv && venv/bin/pip install -r`", {"warm": 1}),
)
#: samples per round of the cheap installs whose 10% targets sit within one sample's noise: the locked warm rows and
#: every size (each size sample times the floor and ready as a shuffled pair)
_CHEAP_INSTALLS = 3
_IMPORT_ROWS = {
    "import-importtime": "`-X importtime`: sum of self times of the modules it adds",
    "import-wall": "in-process wall time of loading its 5 entry points",
}
_SYNC_ROWS = {
    "python-startup": "`python -c pass` (interpreter start-up, for reference)",
    "sync-noop": "`virtualenv-ready sync venv`, whole process",
    "sync-noop-own": "its own work (timed in-process, interpreter start excluded)",
}
_PLANNING_ROWS = {
    "plan-empty": "no dependencies (env creation alone)",
    **{f"plan-{count // 1000}k": f"{count} dependencies" for count in PLANNING_SIZES},
}
_SYNC_LOCKED_ROWS = {
    "uv-sync-noop": "`uv sync --frozen`, no-op (the locked project's env made by the floor), whole process",
    "sync-locked-noop": "`virtualenv-ready sync venv`, no-op (the locked project's env), whole process",
    "sync-locked-check": "`virtualenv-ready sync --check venv` on the same env, whole process",
}
_SIZE_ROWS = {
    f"size-{size}-{which}": f"{size} wheels: {title}"
    for size in SIZES
    for which, title in (("floor", "the floor"), ("ready", "`virtualenv --seeder ready` (uv)"))
}
_PARALLEL_ROWS = {
    "parallel-floor": f"{PARALLEL} floors at once",
    "parallel-ready": f"{PARALLEL} `virtualenv --seeder ready` (uv) at once",
}
_LOCKED = (
    ("floor", "floor: `virtualenv --no-seed && uv sync --frozen` + seed wheels"),
    ("ready", "`virtualenv --seeder ready` (uv) in the locked project"),
)
_TOX_TITLES = {"plain": "plain tox", "ready": "tox + ready", "uv": "tox-uv", "uv-ready": "tox-uv + ready"}
_ACTIVATION_ROWS = {"activate-sh": "`sh -c '. venv/bin/activate && true'`", "venv-run": "`venv/bin/venv-run true`"}
SCENARIOS = [
    _one("virtualenv-bare", "startup", "`virtualenv venv`, the plugin not installed", _startup("virtualenv-bare"), 3),
    _one("virtualenv-plugin", "startup", "`virtualenv venv`, the plugin installed", _startup("virtualenv-plugin"), 3),
    _one(
        "virtualenv-ready-default",
        "startup",
        "`virtualenv venv`, `ready` the default seeder (enable), no project",
        _startup("virtualenv-ready-default"),
        3,
    ),
    Scenario("importtime", "import", _IMPORT_ROWS, importtime, 3),
    *(
        _one(f"{name}-{temp}", temp, title, _project(name, temp == "cold"), weights[temp])
        for temp in ("warm", "cold")
        for name, title, weights in _PROJECT
        if temp in weights
    ),
    _one("noseed-rerun", "rerun", "`virtualenv --no-seed venv` into the existing env", _rerun("noseed")),
    _one("uv-rerun", "rerun", "`uv venv --allow-existing && uv pip install -r`", _rerun("uv")),
    _one("ready-rerun", "rerun", "`virtualenv --seeder ready` into the existing env", _rerun("ready")),
    _one("virtualenv-pip-rerun", "rerun", "`virtualenv venv && pip install -r` into the env", _rerun("virtualenv-pip")),
    Scenario("sync-noop", "sync", _SYNC_ROWS, sync_noop, 3),
    Scenario("activation", "activation", _ACTIVATION_ROWS, activation, 2),
    Scenario("policy-proxy", "proxy", _PROXY_ROWS, policy_proxy, 2),
    Scenario("planning", "planning", _PLANNING_ROWS, planning),
    *(
        _one(
            f"{name}-locked-{temp}",
            f"locked-{temp}",
            title,
            _locked(name, temp == "cold"),
            _CHEAP_INSTALLS if temp == "warm" else 1,
        )
        for temp in ("warm", "cold")
        for name, title in _LOCKED
    ),
    Scenario("sync-locked", "sync", _SYNC_LOCKED_ROWS, sync_locked, 2),
    *(
        Scenario(
            f"size-{size}",
            "size",
            {k: v for k, v in _SIZE_ROWS.items() if k.startswith(f"size-{size}-")},
            _size(size),
            _CHEAP_INSTALLS,
        )
        for size in SIZES
    ),
    Scenario("parallel", "parallel", _PARALLEL_ROWS, parallel),
    *(
        Scenario(
            f"tox-{variant}",
            "tox",
            {f"tox-{variant}-first": f"{title}, first run", f"tox-{variant}-second": f"{title}, second run"},
            _tox(variant),
        )
        for variant, title in _TOX_TITLES.items()
    ),
]


def select(patterns: list[str] | None) -> list[Scenario]:
    """Scenarios whose name or group matches one of the shell-style patterns (all when none given)."""
    if not patterns:
        return list(SCENARIOS)
    from fnmatch import fnmatch

    chosen = [s for s in SCENARIOS if any(fnmatch(s.name, p) or fnmatch(s.group, p) for p in patterns)]
    if not chosen:
        names = ", ".join(s.name for s in SCENARIOS)
        msg = f"--only {','.join(patterns)} matches no scenario; pick from groups {', '.join(GROUPS)} or {names}"
        raise SystemExit(msg)
    return chosen


__all__ = ["CALLS", "GROUPS", "SCENARIOS", "Context", "Group", "Scenario", "StepFailedError", "select"]
