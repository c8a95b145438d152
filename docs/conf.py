"""Sphinx configuration: the Markdown guides through MyST, the furo theme, references generated from the code."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from virtualenv_ready import __version__

project = "virtualenv-ready"
author = "virtualenv-ready developers"
copyright = "virtualenv-ready developers"
release = version = __version__

extensions = [
    "myst_parser",
    "sphinx_argparse_cli",
    "options_table",  # docs/_ext: the --ready-* reference from virtualenv_ready.options
    "changelog_draft",  # docs/_ext: the unreleased news fragments through towncrier
]
source_suffix = {".md": "markdown"}
root_doc = "index"
# docs/changelog/ holds news fragments and their template: towncrier's input, not pages
exclude_patterns = ["_build", "changelog/*", "Thumbs.db", ".DS_Store"]
myst_heading_anchors = 3
smartquotes = False  # option names like --ready-no-index stay as typed, not with an en dash

html_theme = "furo"
html_title = f"virtualenv-ready {version}"
html_static_path = ["_static"]
html_css_files = ["ready.css"]
