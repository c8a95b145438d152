"""``model``: how a plan's sources become installer runs, its lines, its fingerprint and its dry-run description."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready.model import IndexOptions, InstallPlan, ReadyConfig, Source, Step

HASHED = "alpha==1.0 --hash=sha256:" + "0" * 64


def plan(*sources: Source, project: Path = Path("/p"), **options: object) -> InstallPlan:
    return InstallPlan(project, sources, IndexOptions(), "auto", dict(options))


# --- steps -------------------------------------------------------------------------------------------------------


def test_resolved_sources_share_one_run_with_every_constraint() -> None:
    steps = plan(
        Source("requirements.txt", lines=("beta", "eta"), options=("--index-url", "https://idx.invalid/simple")),
        Source("pyproject.toml [dev]", lines=("zeta", "beta"), editables=("/p",)),
        Source("constraints", constraints=("gamma<2",), constraint_urls=("https://org.invalid/c.txt",)),
        Source("org", lines=("delta",), constraints=("gamma<2", "omega<3")),
    ).steps()
    assert steps == [
        Step(
            lines=("beta", "eta", "zeta", "delta"),
            constraints=("gamma<2", "omega<3"),
            constraint_urls=("https://org.invalid/c.txt",),
            editables=("/p",),
            options=("--index-url", "https://idx.invalid/simple"),
        )
    ]


def test_no_deps_sources_run_after_the_resolved_ones_locked_apart_from_loose() -> None:
    steps = plan(
        Source("loose", lines=("omega==1",), no_deps=True),
        Source("uv.lock", lines=(HASHED,), no_deps=True, constraints=("gamma<2",)),
        Source("requirements.txt", lines=("beta",)),
    ).steps()
    assert steps == [
        Step(lines=("beta",), constraints=("gamma<2",)),
        Step(lines=(HASHED,), no_deps=True),  # constraints only steer a resolver
        Step(lines=("omega==1",), no_deps=True),
    ]


def test_empty_sources_make_no_run_and_say_nothing() -> None:
    empty = plan(Source("python version"), Source("constraints", constraints=("gamma<2",)))
    assert empty.steps() == []
    assert empty.empty
    assert empty.summary == "nothing"


def test_the_summary_names_each_source_that_installs_once() -> None:
    labels = [Source("requirements.txt", lines=("a",)), Source("x"), Source("requirements.txt", lines=("b",))]
    assert plan(*labels, Source("org", lines=("c",))).summary == "requirements.txt + org"


# --- requirement lines ---------------------------------------------------------------------------------------------


def test_requirement_lines_are_every_sources_lines() -> None:
    lines = plan(
        Source("inline", lines=("delta",)), Source("requirements.txt", lines=("alpha", "beta>=1"))
    ).requirement_lines()
    assert lines == ["delta", "alpha", "beta>=1"]


# --- fingerprint ---------------------------------------------------------------------------------------------------


def test_the_fingerprint_follows_what_decides_the_result(tmp_path: Path) -> None:
    inputs = tmp_path / "requirements.txt"
    inputs.write_text("alpha\n", encoding="utf-8")
    source = Source("requirements.txt", requirement_files=(inputs,), inputs=(inputs,))
    first = plan(source, require_hashes=False).fingerprint()
    assert first == plan(source, require_hashes=False).fingerprint()
    assert len(first) == 64
    assert plan(source, require_hashes=True).fingerprint() != first  # an option
    assert plan(source, Source("org", lines=("x",)), require_hashes=False).fingerprint() != first  # a source
    inputs.write_text("alpha\nbeta\n", encoding="utf-8")
    assert plan(source, require_hashes=False).fingerprint() != first  # an input file's content
    inputs.unlink()
    assert plan(source, require_hashes=False).input_hashes() == {str(inputs): "missing"}


def test_the_fingerprint_follows_the_index_too() -> None:
    base = plan(Source("r", lines=("a",)))
    other = InstallPlan(base.project, base.sources, IndexOptions(no_index=True), "auto", {})
    assert other.fingerprint() != base.fingerprint()


# --- describe ------------------------------------------------------------------------------------------------------


def test_describe_lists_each_source_with_what_it_installs() -> None:
    lines = plan(
        Source("requirements.txt", lines=("beta",), requirement_files=(Path("/p/r.txt"),), editables=("/p",)),
        Source("uv.lock", lines=(HASHED,), no_deps=True),
        Source("constraints", constraints=("gamma<2",), constraint_urls=("https://org.invalid/c.txt",)),
        Source("python version"),
    ).describe()
    assert lines == [
        "project: /p",
        "source requirements.txt: beta, -r /p/r.txt, -e /p",
        f"source uv.lock (exact, no dependencies): {HASHED}",
        "source constraints: -c https://org.invalid/c.txt, constraint gamma<2",
    ]


# --- decisive options ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["index_url", "extra_index_urls"])
def test_decisive_options_hold_no_credentials(field: str) -> None:
    url = "https://user:s3cret@pypi.internal/simple"
    value = url if field == "index_url" else (url,)
    decisive = ReadyConfig(project=Path("/p"), **{field: value}).decisive()  # type: ignore[arg-type]
    assert "s3cret" not in repr(decisive)
    assert {"project", "dry_run", "origin", "policy"}.isdisjoint(decisive)
