"""The activators' templates are read from beside their modules, byte for byte what the package ships."""

from __future__ import annotations

import sys
from importlib.resources import files

import pytest

from virtualenv_ready.activation._base import read_template

TEMPLATES = [
    ("virtualenv_ready.activation.ci", "activate-ci.sh"),
    ("virtualenv_ready.activation.ci", "activate-ci.cmd"),
    ("virtualenv_ready.activation.elvish", "activate.elv"),
    ("virtualenv_ready.activation.venv_run", "venv-run.sh"),
    ("virtualenv_ready.activation.venv_run", "venv-run.cmd"),
    ("virtualenv_ready.activation.powershell", "activate-policy.ps1"),
    ("virtualenv_ready.activation.powershell", "activate-policy.cmd"),
]


@pytest.mark.parametrize(("package", "name"), TEMPLATES)
def test_a_template_reads_as_the_package_resource(package: str, name: str) -> None:
    __import__(package)
    assert read_template(package, name) == (files(package) / name).read_bytes().decode("utf-8")


def test_a_package_not_on_disk_is_read_through_its_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """A package whose ``__file__`` names no folder (a zip import) still gets its template, through importlib."""
    package = "virtualenv_ready.activation.elvish"
    __import__(package)
    monkeypatch.setattr(sys.modules[package], "__file__", "/nonexistent.zip/virtualenv_ready/activation/elvish/x.py")
    assert read_template(package, "activate.elv") == (files(package) / "activate.elv").read_bytes().decode("utf-8")
