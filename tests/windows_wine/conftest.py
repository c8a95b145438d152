"""The Windows layer: one wine prefix and one host venv per test session, shared by every test here.

Every test module here is in the xdist group ``wine`` (pyproject sets ``--dist loadgroup``): one worker runs them in
order, so the registry values a test writes never meet another test's creation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from winekit import AMPERSAND, HOSTILE, LONG, NON_ASCII, Created, Wine, boot, create, need_kit, shutdown

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(scope="session")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    """The session's prefix and host venv (about 40 s to make; removed at the end)."""
    kit = need_kit()
    work = tmp_path_factory.mktemp("wine")
    session = boot(work / "prefix", kit, work)
    try:
        yield session
    finally:
        shutdown(session)


@pytest.fixture(scope="session")
def hostile_env(wine: Wine, wheelhouse: Path) -> Created:
    """An env whose path has every character cmd.exe can carry but that trips naive scripts, and is long."""
    return create(wine, wheelhouse, wine.work / HOSTILE, sub=LONG)


@pytest.fixture(scope="session")
def ampersand_env(wine: Wine, wheelhouse: Path) -> Created:
    """An env whose path has ``&``, ``^`` (cmd.exe cannot carry them: no .cmd file is written) and non-ASCII."""
    return create(wine, wheelhouse, wine.work / AMPERSAND, "--no-setuptools", sub=NON_ASCII)
