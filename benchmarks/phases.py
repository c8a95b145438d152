"""Where the time of one `virtualenv --seeder ready` (uv) goes, next to the floor: `python benchmarks/phases.py`.

Each command runs under cProfile in its own process (the benchmark's isolated environment, the same project and
wheels); the phases are the cumulative times of virtualenv's own steps and of the installer runs inside them.
cProfile slows Python code down, not the uv processes, so read the Python phases as upper bounds.
"""

from __future__ import annotations

import argparse
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import envs
import scenarios
import wheelhouse
from run import seeds

HERE = Path(__file__).resolve().parent
# (phase, the profiled function it is the cumulative time of)
PHASES = (
    ("parse options, find the interpreter", "run/__init__.py:session_via_cli"),
    ("create (copy/link python, pyvenv.cfg)", "run/session.py:_create"),
    ("seed (app-data, or the ready seeder)", "run/session.py:_seed"),
    ("  of which installer processes", "installers/base.py:run_installer"),
    ("  of which the plan (plugins, sources)", "virtualenv_ready/plan.py:make_plan"),
    ("activation scripts", "run/session.py:_activate"),
)


def cumulative(path: Path) -> dict[str, float]:
    """Cumulative seconds per phase from one cProfile dump."""
    stats = pstats.Stats(str(path))
    found = dict.fromkeys((phase for phase, _ in PHASES), 0.0)
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        for phase, suffix in PHASES:
            file_part, func = suffix.rsplit(":", 1)
            if name == func and filename.replace("\\", "/").endswith(file_part):
                found[phase] += row[3]
    return found


def profiled(argv: list[str], env: dict[str, str], cwd: Path, dump: Path) -> float:
    """Run a console script's module under cProfile; its wall time."""
    python, *rest = argv
    start = time.perf_counter()
    subprocess.run(
        [python, "-m", "cProfile", "-o", str(dump), *rest], env=env, cwd=cwd, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="a fresh uv cache per run")
    parser.add_argument("--rerun", action="store_true", help="into an existing env; the floor: `--no-seed` into one")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep each run's cProfile dump there, for pstats")
    args = parser.parse_args()
    cache = HERE / ".cache"
    wheels, requirements = wheelhouse.ensure(cache)
    tools = envs.prepare(cache)
    root = Path(tempfile.mkdtemp(prefix="virtualenv-ready-profile-"))
    try:
        ctx = scenarios.Context(tools, wheels, root)
        ctx.project.mkdir(parents=True)
        shutil.copyfile(requirements, ctx.requirements)
        (root / "warm-up").mkdir()
        scenarios.SCENARIOS[0].sample(ctx, root / "warm-up")
        seeds(ctx, root / "warm-up" / "venv")
        scenarios.existing_env(ctx, "ready")  # fills the warm uv cache
        rows: dict[str, list[dict[str, float]]] = {"ready": [], "floor": []}
        for number in range(args.repeat):
            for which, samples in rows.items():
                work = root / f"{which}{number}"
                work.mkdir()
                env = envs.clean_env(tools, **scenarios.caches(ctx, work, args.cold))
                dest = scenarios.existing_env(ctx, which.replace("floor", "noseed")) if args.rerun else work / "venv"
                if which == "ready":
                    argv = [tools.bin(tools.plugin, "python"), *scenarios.ready_argv(ctx, "uv", dest)]
                    argv[1:2] = ["-m", "virtualenv"]
                    wall = profiled(argv, env, work, work / "prof")
                    phases = cumulative(work / "prof")
                else:
                    create, install = scenarios.floor_steps(ctx, dest)
                    argv = [tools.bin(tools.bare, "python"), "-m", "virtualenv", *create[1:]]
                    wall = profiled(argv, env, work, work / "prof")
                    phases = cumulative(work / "prof")
                    if not args.rerun:
                        wall += (uv := scenarios.timed([install], env, work))
                        phases["  of which installer processes"] = uv
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(work / "prof", args.keep / f"{which}{number}.prof")
                top = [v for k, v in phases.items() if not k.startswith(" ")]
                if which == "floor":
                    top.append(phases["  of which installer processes"])
                rest = {"the rest (interpreter start, imports, exit)": wall - sum(top)}
                samples.append({"wall (process, profiled)": wall, **phases, **rest})
                shutil.rmtree(work, ignore_errors=True)
        names = list(rows["ready"][0])
        kind = "re-run into an existing env" if args.rerun else f"{'cold' if args.cold else 'warm'} uv cache"
        print(f"median of {args.repeat} profiled run(s), {kind}, seconds\n")
        print("| phase | `virtualenv --seeder ready` | floor |\n|---|---:|---:|")
        for name in names:
            a = statistics.median(r[name] for r in rows["ready"])
            b = statistics.median(r[name] for r in rows["floor"])
            print(f"| {name} | {a:.3f} | {b:.3f} |")
        if args.rerun:
            print("\n(floor: `virtualenv --no-seed` into an env it made before, the plugin not installed)")
        else:
            print(
                "\n(floor: `virtualenv --no-seed` profiled, then its one uv run timed; its 'installer' row is that run)"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
