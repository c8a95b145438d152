"""The docs site: built with warnings as errors, its references generated from the code, the changelog compiled
from news fragments by towncrier."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from argparse import _SubParsersAction
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import ROOT
from virtualenv_ready.cli import build_parser
from virtualenv_ready.options import OPTIONS

if TYPE_CHECKING:
    from types import ModuleType

pytestmark = pytest.mark.xdist_group("docs")  # one worker builds the site once for the module

DOCS = ROOT / "docs"
FRAGMENTS = DOCS / "changelog"
FRAGMENT_NAME = re.compile(r"\+[a-z0-9][a-z0-9-]*\.(feature|bugfix|doc|misc)\.md")


def need_module(name: str) -> None:
    """Skip locally when a docs tool is missing; fail under CI, where .ci/run and tox install the docs extra."""
    if importlib.util.find_spec(name) is not None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed but CI is set: install the docs extra (pip install -e '.[docs]')")
    pytest.skip(f"{name} is not installed (the docs extra)")


def load_extension(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_ext_{name}", DOCS / "_ext" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def option_names() -> list[tuple[str, list[str]]]:
    """Every name each option of the table has, as the reference must show it."""
    return [
        (opt.flag, [opt.flag, opt.env_var, opt.ini_key, *filter(None, (opt.project_key, opt.tox_key))])
        for opt in OPTIONS
    ]


SMART = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--", "\u2014": "---", "\u2026": "..."}
)


def plain(text: str) -> str:
    """Text as Markdown source and a built page both read: Sphinx's smart quotes undone, whitespace one space."""
    return " ".join(text.translate(SMART).split())


def text_of(page: Path) -> str:
    """The visible text of a built page (tags gone, entities decoded), so a name split by markup is still found."""
    return plain(html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for module in ("sphinx", "furo", "myst_parser", "sphinx_argparse_cli", "towncrier"):
        need_module(module)
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_the_extension_lists_every_option_with_every_name() -> None:
    rendered = load_extension("options_table").entries()
    assert [entry.flag for entry in rendered] == [opt.flag for opt in OPTIONS]
    for (flag, names), entry in zip(option_names(), rendered, strict=True):
        shown = {*entry.cells(), entry.env_var, entry.ini_key}
        assert set(names) <= shown, flag


def test_the_built_reference_names_every_option(site: Path) -> None:
    page = text_of(site / "options.html")
    missing = [f"{flag}: {name}" for flag, names in option_names() for name in names if name not in page]
    assert not missing, "the option reference lacks:\n" + "\n".join(missing)
    raw = (site / "options.html").read_text(encoding="utf-8")
    for opt in OPTIONS:  # each option's entry, linked from the summary table
        assert f'id="{opt.flag.lstrip("-")}"' in raw, opt.flag
        assert f'href="#{opt.flag.lstrip("-")}"' in raw, opt.flag


def test_the_built_cli_reference_follows_the_parser(site: Path) -> None:
    page = text_of(site / "cli.html")
    parser = build_parser()
    (sub,) = (action for action in parser._actions if isinstance(action, _SubParsersAction))
    for name, command in sub.choices.items():
        assert f"virtualenv-ready {name}" in page
        for action in command._actions:
            for flag in action.option_strings:
                assert flag in page, f"{name} {flag}"
            if action.help:
                assert plain(action.help) in page, f"{name}: {action.help}"


def test_every_guide_is_a_page_and_the_chart_is_on_the_performance_page(site: Path) -> None:
    guides = sorted(path.stem for path in DOCS.glob("*.md"))
    assert {"benchmark", "config", "security", "tox", "cli", "options", "changelog"} <= set(guides)
    assert [name for name in guides if not (site / f"{name}.html").is_file()] == []
    assert (site / "_images" / "benchmark.svg").is_file()
    assert "benchmark.svg" in (site / "benchmark.html").read_text(encoding="utf-8")


def test_the_changelog_page_shows_released_and_unreleased(site: Path) -> None:
    page = text_of(site / "changelog.html")
    assert "0.1.0" in page
    fragments = sorted(FRAGMENTS.glob("+*.md"))
    for fragment in fragments:
        # the fragment's first words without Markdown's marks, as the page shows them
        words = plain(re.sub(r"\*\*|`", "", fragment.read_text(encoding="utf-8")))[:40]
        assert words in page, fragment.name


def test_fragment_names() -> None:
    bad = [
        path.name
        for path in FRAGMENTS.iterdir()
        if path.name != "template.md.jinja" and not FRAGMENT_NAME.fullmatch(path.name)
    ]
    assert not bad, "name news fragments +<slug>.<type>.md, type feature, bugfix, doc or misc:\n" + "\n".join(bad)


def towncrier_draft(root: Path) -> subprocess.CompletedProcess[str]:
    need_module("towncrier")
    return subprocess.run(
        [sys.executable, "-m", "towncrier", "build", "--draft", "--version", "9.9.9", "--dir", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_towncrier_draft_compiles_the_fragments() -> None:
    run = towncrier_draft(ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("## 9.9.9 (")
    for fragment in FRAGMENTS.glob("+*.md"):
        assert fragment.read_text(encoding="utf-8").strip().splitlines()[0] in run.stdout, fragment.name


def test_towncrier_refuses_a_fragment_of_unknown_type(tmp_path: Path) -> None:
    shutil.copy2(ROOT / "pyproject.toml", tmp_path)
    shutil.copy2(ROOT / "CHANGELOG.md", tmp_path)
    shutil.copytree(FRAGMENTS, tmp_path / "docs" / "changelog")
    (tmp_path / "docs" / "changelog" / "+fine.feature.md").write_text("a feature\n", encoding="utf-8")
    good = towncrier_draft(tmp_path)
    assert good.returncode == 0, good.stderr
    assert "- a feature" in good.stdout
    (tmp_path / "docs" / "changelog" / "+oops.feat.md").write_text("a typo in the type\n", encoding="utf-8")
    bad = towncrier_draft(tmp_path)
    assert bad.returncode != 0
    assert "+oops.feat.md" in bad.stdout + bad.stderr
