"""Turn samples into the Markdown report, the PASS/FAIL lines and the JSON record."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scenarios import GROUPS, PARALLEL, PLANNING_SIZES, SCENARIOS, SIZES

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Target:
    """One performance target; `ok` is None when the run did not measure what it needs."""

    text: str
    measured: str
    ok: bool | None
    info: bool = False  # reported, no limit


def fmt(seconds: float) -> str:
    """Milliseconds under a second (start-up figures), seconds above."""
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def stats(samples: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """Median, min, max per row; the median is what ratios and targets use (robust to a noisy neighbour)."""
    return {
        row: {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}
        for row, v in samples.items()
        if v
    }


def ratio(summary: dict[str, dict[str, float]], row: str, group: str) -> float | None:
    """Median over the group's baseline median."""
    base = GROUPS[group].baseline
    if base is None or base not in summary or row not in summary:
        return None
    return summary[row]["median"] / summary[base]["median"]


def table(summary: dict[str, dict[str, float]]) -> str:
    """One Markdown table; each group starts with its baseline (ratio 1.00)."""
    lines = ["| set | scenario | median | min | max | n | ratio |", "|---|---|---:|---:|---:|---:|---:|"]
    for group in GROUPS.values():
        rows = [(row, title) for s in SCENARIOS if s.group == group.name for row, title in s.rows.items()]
        rows = [r for r in rows if r[0] in summary]
        rows.sort(key=lambda r: r[0] != group.baseline)
        for row, title in rows:
            fig = summary[row]
            r = ratio(summary, row, group.name)
            shown = f"{r:.2f}x" if r is not None else ""
            lines.append(
                f"| {group.name} | {title} | {fmt(fig['median'])} | {fmt(fig['min'])} | {fmt(fig['max'])} "
                f"| {int(fig['n'])} | {shown} |"
            )
    return "\n".join(lines)


def targets(summary: dict[str, dict[str, float]]) -> list[Target]:
    """The performance targets, each checked on medians measured side by side in this run."""

    def med(row: str) -> float | None:
        return summary[row]["median"] if row in summary else None

    def over(a: str, b: str) -> float | None:
        x, y = med(a), med(b)
        return None if x is None or y is None else x / y

    found: list[Target] = []
    vr = "`virtualenv --seeder ready`"
    floor = "the floor (`virtualenv --no-seed && uv pip install -r` + seed wheels)"
    manual = "`virtualenv && pip install -r`"
    checks = [
        (f"uv, warm: {vr} / {floor}", "ready-uv-warm", "floor-warm", 1.10),
        (f"uv, cold: {vr} / {floor}, cold", "ready-uv-cold", "floor-cold", 1.10),
        (f"re-run into an up-to-date env: {vr} / `virtualenv --no-seed` re-run", "ready-rerun", "noseed-rerun", 1.20),
        (f"pip, warm: `--ready-installer pip` / {manual}", "ready-pip-warm", "virtualenv-pip-warm", 1.05),
        (f"pip, cold: `--ready-installer pip` / {manual}", "ready-pip-cold", "virtualenv-pip-cold", 1.05),
        (
            "start-up: `virtualenv venv` with the plugin installed / without",
            "virtualenv-plugin",
            "virtualenv-bare",
            1.05,
        ),
    ]
    locked = "`virtualenv --no-seed && uv sync --frozen` + seed wheels"
    checks += [
        (f"locked, warm: {vr} / {locked}", "ready-locked-warm", "floor-locked-warm", 1.10),
        (f"locked, cold: {vr} / {locked}, cold", "ready-locked-cold", "floor-locked-cold", 1.05),
        *((f"{size} wheels, warm: {vr} / {floor}", f"size-{size}-ready", f"size-{size}-floor", 1.10) for size in SIZES),
        (f"{PARALLEL} at once: {vr} / {floor}, wall time of all", "parallel-ready", "parallel-floor", 1.10),
        ("tox-uv + ready / tox-uv, first run", "tox-uv-ready-first", "tox-uv-first", 1.05),
        ("tox-uv + ready / tox-uv, second run", "tox-uv-ready-second", "tox-uv-second", 1.05),
        (
            "no-op `virtualenv-ready sync` / `uv sync --frozen` no-op, whole process",
            "sync-locked-noop",
            "uv-sync-noop",
            2.0,
        ),
        ("no-op `virtualenv-ready sync --check` / `uv sync --frozen` no-op", "sync-locked-check", "uv-sync-noop", 2.0),
    ]
    for text, a, b, limit in checks:
        r = over(a, b)
        found.append(
            Target(f"{text} <= {limit:.2f}x", "" if r is None else f"{r:.2f}x", None if r is None else r <= limit)
        )
    absolute = [
        ("no-op `virtualenv-ready sync`: its own work (in-process) < 50 ms", "sync-noop-own", 0.050),
        (
            "start-up: what virtualenv imports from virtualenv-ready adds < 10 ms (-X importtime)",
            "import-importtime",
            0.010,
        ),
    ]
    absolute.append((f"planning {PLANNING_SIZES[-1]} dependencies (`--ready-dry-run`, whole) < 5 s", "plan-30k", 5.0))
    for text, row, limit in absolute:
        value = med(row)
        found.append(Target(text, "" if value is None else fmt(value), None if value is None else value < limit))
    for temp in ("warm", "cold"):
        r = over(f"ready-uv-{temp}", f"uv-{temp}")
        if r is not None:
            found.append(
                Target(f"uv, {temp}: {vr} / `uv venv && uv pip install -r` (no limit)", f"{r:.2f}x", True, True)
            )
    return found


def verdicts(found: list[Target]) -> str:
    """PASS/FAIL/SKIP lines, one per target."""
    word = {True: "PASS", False: "FAIL", None: "SKIP"}
    return "\n".join(
        f"{'INFO' if t.info else word[t.ok]}  {t.text}: {t.measured or 'not measured in this run'}" for t in found
    )


def chart(summary: dict[str, dict[str, float]], path: Path, title: str) -> Path | None:
    """A bar chart of the warm and cold rows (median, min-max whiskers) as SVG; None without matplotlib.

    matplotlib comes with the `bench` extra; the Agg backend needs no display.
    """
    try:
        import matplotlib as mpl
    except ImportError:
        return None
    mpl.use("Agg")
    mpl.rcParams["svg.hashsalt"] = "virtualenv-ready"  # stable ids: a re-run changes only what changed
    mpl.rcParams["svg.fonttype"] = "none"  # text stays text (smaller, searchable)
    import matplotlib.pyplot as plt

    panels = []
    for temp in ("warm", "cold", "locked-warm", "locked-cold"):
        rows = [(row, t) for s in SCENARIOS if s.group == temp for row, t in s.rows.items() if row in summary]
        if rows:
            panels.append((GROUPS[temp], rows))
    sizes = [size for size in SIZES if f"size-{size}-ready" in summary and f"size-{size}-floor" in summary]
    if not panels and not sizes:
        return None
    height = sum(len(rows) for _, rows in panels) * 0.42 + 1.2 * len(panels) + (3.0 if sizes else 0)
    ratios = [len(rows) * 0.42 + 1.2 for _, rows in panels] + ([3.0] if sizes else [])
    fig, axes = plt.subplots(len(ratios), 1, figsize=(10, height), squeeze=False, height_ratios=ratios)
    if sizes:
        _size_panel(axes[-1, 0], summary, sizes)
    for ax, (group, listed) in zip(axes[: len(panels), 0], panels, strict=True):
        rows = list(reversed(listed))  # matplotlib draws the first bar at the bottom
        figures = [summary[row] for row, _ in rows]
        medians = [f["median"] for f in figures]
        low = [f["median"] - f["min"] for f in figures]
        high = [f["max"] - f["median"] for f in figures]
        colours = [
            "#1f6feb" if row.startswith("ready-") else "#3d444d" if row.startswith("floor-") else "#8c959f"
            for row, _ in rows
        ]
        ax.barh(range(len(rows)), medians, xerr=[low, high], color=colours, capsize=3, ecolor="#444")
        ax.set_yticks(range(len(rows)), [t.replace("`", "") for _, t in rows], fontsize=8)
        ax.set_xscale("log")
        ax.set_xlabel("seconds (median; whiskers min-max; log scale)", fontsize=8)
        ax.set_title(group.title, fontsize=9)
        for y, f in enumerate(figures):
            ax.annotate(
                fmt(f["median"]), (f["max"], y), xytext=(5, 0), textcoords="offset points", va="center", fontsize=7
            )
        ax.set_xlim(right=max(f["max"] for f in figures) * 1.6)  # room for the last label
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    # no RDF block (creator, date): a re-run changes only the figures
    fig.savefig(path, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    plt.close(fig)
    return path


def _size_panel(ax: Any, summary: dict[str, dict[str, float]], sizes: list[int]) -> None:
    """Ratio of `--seeder ready` to the floor (medians) against the number of wheels, with the 1.10x target."""
    values = [summary[f"size-{n}-ready"]["median"] / summary[f"size-{n}-floor"]["median"] for n in sizes]
    ax.plot(sizes, values, marker="o", color="#1f6feb", label="`--seeder ready` / floor (median)")
    ax.axhline(1.10, color="#cf222e", linestyle="--", linewidth=1, label="target 1.10x")
    ax.axhline(1.0, color="#3d444d", linewidth=0.8)
    for n, value in zip(sizes, values, strict=True):
        ax.annotate(f"{value:.2f}x", (n, value), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7)
    ax.set_xscale("log")
    ax.minorticks_off()
    ax.set_xticks(sizes, [str(n) for n in sizes], fontsize=8)
    ax.set_xlabel("wheels in the project (generated, warm cache; log scale)", fontsize=8)
    ax.set_ylabel("ratio to the floor", fontsize=8)
    ax.set_title(GROUPS["size"].title, fontsize=9)
    ax.legend(fontsize=7, loc="upper right")


def header(facts: dict[str, str], repeat: int, when: str) -> str:
    """Machine, versions and repeat count: the figures below mean nothing without them."""
    lines = [f"Benchmark run {when}, {repeat} round(s) interleaved (round-robin, rotating order)", ""]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    return "\n".join(lines)


def write_json(path: Path, record: dict[str, object]) -> None:
    """The whole run, samples included, for comparing runs later."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")


__all__ = ["Target", "chart", "fmt", "header", "stats", "table", "targets", "verdicts", "write_json"]
