"""Turn samples into the Markdown report, the PASS/FAIL lines and the JSON record."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scenarios import GROUPS, SCENARIOS

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Target:
    """One performance target; `ok` is None when the run did not measure what it needs."""

    text: str
    measured: str
    ok: bool | None


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
    imp = med("import-importtime")
    found.append(
        Target(
            "start-up: what virtualenv imports from virtualenv-ready adds < 10 ms (-X importtime)",
            "" if imp is None else fmt(imp),
            None if imp is None else imp < 0.010,
        )
    )
    vr = "`virtualenv --seeder ready`"
    manual = "`virtualenv && pip install -r`"
    checks = [
        ("start-up: `virtualenv venv` with the plugin installed within 5% of without", "virtualenv-plugin",
         "virtualenv-bare", 1.05, "<="),
        (f"uv, warm: {vr} <= 1.5x `uv venv && uv pip install -r`", "ready-uv-warm", "uv-warm", 1.5, "<="),
        (f"uv, warm: {vr} >= 10x faster than {manual}", "virtualenv-pip-warm", "ready-uv-warm", 10.0, ">="),
        (f"pip, warm: `--ready-installer pip` within 5% of {manual}", "ready-pip-warm", "virtualenv-pip-warm",
         1.05, "<="),
        (f"pip, cold: `--ready-installer pip` within 5% of {manual}", "ready-pip-cold", "virtualenv-pip-cold",
         1.05, "<="),
    ]  # fmt: skip
    for text, a, b, limit, op in checks:
        r = over(a, b)
        ok = None if r is None else (r <= limit if op == "<=" else r >= limit)
        found.append(Target(text, "" if r is None else f"{r:.2f}x", ok))
    own = med("sync-noop-own")
    found.append(
        Target(
            "no-op `virtualenv-ready sync`: < 100 ms of its own work (in-process)",
            "" if own is None else fmt(own),
            None if own is None else own < 0.100,
        )
    )
    return found


def verdicts(found: list[Target]) -> str:
    """PASS/FAIL/SKIP lines, one per target."""
    word = {True: "PASS", False: "FAIL", None: "SKIP"}
    return "\n".join(f"{word[t.ok]}  {t.text}: {t.measured or 'not measured in this run'}" for t in found)


def header(facts: dict[str, str], repeat: int, when: str) -> str:
    """Machine, versions and repeat count: the figures below mean nothing without them."""
    lines = [f"Benchmark run {when}, {repeat} round(s) interleaved (round-robin, rotating order)", ""]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    return "\n".join(lines)


def write_json(path: Path, record: dict[str, object]) -> None:
    """The whole run, samples included, for comparing runs later."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")


__all__ = ["Target", "fmt", "header", "stats", "table", "targets", "verdicts", "write_json"]
