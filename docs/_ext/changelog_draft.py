"""Puts what is not released yet on the changelog page: ``towncrier build --draft`` over ``docs/changelog/``.

A page marks the spot with the line ``<!-- towncrier draft -->``; at build time the line is replaced by the draft's
sections (its version heading dropped, the page gives its own), so the page shows the fragments as the next release
will, and a fragment towncrier cannot read fails the build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MARKER = "<!-- towncrier draft -->"
ROOT = Path(__file__).resolve().parents[2]


def draft(root: Path = ROOT) -> str:
    """The Markdown towncrier would add to CHANGELOG.md for the fragments present, without its version heading."""
    from sphinx.errors import ExtensionError

    run = subprocess.run(
        [sys.executable, "-m", "towncrier", "build", "--draft", "--version", "unreleased", "--dir", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if run.returncode:
        said = " ".join(run.stderr.partition("Error:")[2].split()) or run.stderr.strip()
        msg = f"towncrier build --draft failed in {root}: {said}"
        raise ExtensionError(msg)
    lines = run.stdout.splitlines()
    if lines and lines[0].startswith("## "):
        lines = lines[1:]
    body = "\n".join(lines).strip()
    return body or "No changes yet."


_PAGES: set[str] = set()  # the pages with the marker: read again on every build, the fragments are no source


def _replace(app: Sphinx, docname: str, source: list[str]) -> None:
    if MARKER in source[0]:
        _PAGES.add(docname)
        source[0] = source[0].replace(MARKER, draft())


def _outdated(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    return sorted(_PAGES - removed)


def setup(app: Sphinx) -> dict[str, Any]:
    """Fill the marker on every page that has it."""
    app.connect("source-read", _replace)
    app.connect("env-get-outdated", _outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
