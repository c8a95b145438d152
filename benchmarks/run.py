"""Benchmark virtualenv-ready against uv, pip and venv: `python benchmarks/run.py [--quick]`.

Every figure comes from the same run, scenarios interleaved round-robin so a noisy neighbour hits all
of them alike; the set-up (wheel download, tool envs, warm caches) is never timed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import envs
import report
import scenarios
import wheelhouse

HERE = Path(__file__).resolve().parent


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--repeat", type=int, default=5, metavar="N", help="rounds (default 5; cheap scenarios run 2-3x a round)")
    add("--quick", action="store_true", help="one round, one sample each: a smoke test, not figures")
    groups = ", ".join(scenarios.GROUPS)
    add("--only", metavar="SCENARIO", help=f"comma-separated scenario or group names or patterns; groups: {groups}")
    add("--cache", type=Path, default=HERE / ".cache", help="wheelhouse and tool envs (default benchmarks/.cache)")
    add("--json", type=Path, help="where to write the JSON (default benchmarks/results/<time>.json)")
    add("--chart", type=Path, help="where to write the SVG bar chart (default beside the JSON; needs the bench extra)")
    return parser.parse_args(argv)


def schedule(chosen: list[scenarios.Scenario], quick: bool) -> list[scenarios.Scenario]:
    """One round: every scenario `weight` times, spread out (a, b, c, a, b, c) rather than bunched."""
    most = 1 if quick else max(s.weight for s in chosen)
    return [s for k in range(most) for s in chosen if quick or s.weight > k]


def measure(ctx: scenarios.Context, plan: list[scenarios.Scenario], rounds: int) -> dict[str, list[float]]:
    """The timed part: rounds of the plan, order rotated each round; each sample in a fresh folder."""
    samples: dict[str, list[float]] = {row: [] for s in plan for row in s.rows}
    work_root = ctx.root / "work"
    total = rounds * len(plan)
    done = 0
    for number in range(rounds):
        shift = number % len(plan)
        for scenario in plan[shift:] + plan[:shift]:
            work = work_root / scenario.name
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            figures = scenario.sample(ctx, work)
            shutil.rmtree(work, ignore_errors=True)  # cold caches go with it, untimed
            done += 1
            shown = ", ".join(f"{row} {report.fmt(v)}" for row, v in figures.items())
            print(f"[{done}/{total}] round {number + 1}: {shown}", file=sys.stderr, flush=True)
            for row, value in figures.items():
                samples[row].append(value)
    return samples


def set_up(cache: Path, root: Path, chosen: list[scenarios.Scenario]) -> scenarios.Context:
    """Untimed: wheels, tool envs, the project, warm caches and the envs the re-run scenarios reuse."""
    wheels, requirements = wheelhouse.ensure(cache)
    print("building the tool envs (virtualenv only; virtualenv + this checkout)", file=sys.stderr, flush=True)
    tools = envs.prepare(cache)
    ctx = scenarios.Context(tools, wheels, root)
    ctx.project.mkdir(parents=True)
    shutil.copyfile(requirements, ctx.requirements)
    print("warming virtualenv's app-data, the uv and pip caches (untimed)", file=sys.stderr, flush=True)
    groups = {s.group for s in chosen}
    (root / "warm-up").mkdir()
    scenarios.SCENARIOS[0].sample(ctx, root / "warm-up")  # app-data: virtualenv extracts its seed wheels once
    seeds(ctx, root / "warm-up" / "venv")
    if groups & {"warm", "rerun", "proxy"}:
        scenarios.existing_env(ctx, "uv")  # fills the warm uv cache
        scenarios.existing_env(ctx, "virtualenv-pip")  # fills the warm pip cache
        scenarios.existing_env(ctx, "ready")
        scenarios.existing_env(ctx, "noseed")
    if groups & {"sync", "activation"}:
        scenarios.existing_env(ctx, "ready+sync")
    names = {s.name for s in chosen}
    if groups & {"locked-warm", "locked-cold"} or "sync-locked" in names:
        print("locking the wheel set in a uv project (untimed)", file=sys.stderr, flush=True)
        scenarios.make_locked(ctx)
        scenarios.existing_env(ctx, "locked-uv")  # fills the warm cache from the lock, as the floor reads it
        scenarios.existing_env(ctx, "locked-ready")
    if "size" in groups:
        print("generating the small wheels of the size axis (untimed)", file=sys.stderr, flush=True)
        scenarios.make_size_wheels(ctx)
        biggest = max(scenarios.SIZES)
        warm = envs.clean_env(ctx.tools, **scenarios.caches(ctx, root, cold=False))
        project, wheels = root / f"size{biggest}", root / "size-wheels"
        scenarios.timed(
            scenarios.floor_steps(ctx, root / "warm-up" / "size", project=project, wheels=wheels), warm, root
        )
    if "tox" in groups:
        print("building the four tox envs and their projects (untimed)", file=sys.stderr, flush=True)
        ctx.tox_envs.update(envs.prepare_tox(tools))
        scenarios.make_tox_projects(ctx)
    return ctx


def seeds(ctx: scenarios.Context, seeded: Path) -> None:
    """What plain `virtualenv` (app-data) seeded for this Python, and the folder of virtualenv's bundled wheels."""
    import subprocess

    for info in sorted(seeded.glob("lib/python*/site-packages/*.dist-info")):
        name, version = info.name.removesuffix(".dist-info").split("-")[:2]
        ctx.seed_pins.append(f"{name}=={version}")
    code = "import virtualenv.seed.wheels.embed as e; print(e.BUNDLE_FOLDER)"
    python = ctx.tools.bin(ctx.tools.bare, "python")
    folder = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    ctx.seed_folders.append(folder)
    house = ctx.tools.app_data / "wheel" / "house"  # where a periodic update or --download puts newer seed wheels
    if house.is_dir():
        ctx.seed_folders.append(str(house))
    ctx.details["seed"] = {"pins": ctx.seed_pins, "folders": ctx.seed_folders}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    chosen = scenarios.select(args.only.split(",") if args.only else None)
    # outside the checkout: the ready seeder would take this repository's pyproject.toml as the project
    root = Path(tempfile.mkdtemp(prefix="virtualenv-ready-bench-"))
    try:
        return _run(args, chosen, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run(args: argparse.Namespace, chosen: list[scenarios.Scenario], root: Path) -> int:
    rounds = 1 if args.quick else args.repeat
    ctx = set_up(args.cache.resolve(), root, chosen)
    facts = envs.facts(ctx.tools)
    plan = schedule(chosen, args.quick)
    started = datetime.now(timezone.utc)
    facts["load average before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    clock = time.perf_counter()
    try:
        samples = measure(ctx, plan, rounds)
    except scenarios.StepFailedError as exc:
        print(f"benchmark stopped, a timed command failed: {exc}", file=sys.stderr)
        return 1
    facts["wall time of the timed part"] = f"{time.perf_counter() - clock:.0f} s"
    facts["load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    summary = report.stats(samples)
    found = report.targets(summary)
    when = started.strftime("%Y-%m-%d %H:%M UTC")
    print(report.header(facts, rounds, when))
    print()
    print(report.table(summary))
    print()
    print(report.verdicts(found))
    path = args.json or HERE / "results" / f"{started.strftime('%Y%m%d-%H%M%S')}.json"
    report.write_json(
        path,
        {
            "when": started.isoformat(),
            "argv": sys.argv,
            "rounds": rounds,
            "quick": args.quick,
            "facts": facts,
            "order": [s.name for s in plan],
            "summary": summary,
            "samples": samples,
            "targets": [t.__dict__ for t in found],
            "details": ctx.details,
        },
    )
    print(f"\nJSON: {path}", file=sys.stderr)
    title = f"virtualenv-ready benchmark {when}, {rounds} round(s), load average {facts['load average after']}"
    drawn = report.chart(summary, args.chart or path.with_suffix(".svg"), title)
    if drawn is None:
        print("no chart: install the bench extra (matplotlib) or time warm/cold rows", file=sys.stderr)
    else:
        print(f"chart: {drawn}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
