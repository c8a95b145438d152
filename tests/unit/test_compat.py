"""The reliances on virtualenv's and tox's insides still hold with the releases installed here."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from virtualenv_ready.compat import named_like, virtualenv_entry_points

if TYPE_CHECKING:
    import pytest


def test_inside_virtualenv_its_entry_point_scan_is_reused() -> None:
    import virtualenv.run.plugin.base  # noqa: F401 - what a virtualenv run has loaded when it asks for plugins

    found = virtualenv_entry_points("virtualenv.seed")
    assert found is not None, "virtualenv's PluginLoader.entry_points() is gone: see virtualenv_ready.compat"
    assert sorted(ep.name for ep in found) == sorted(ep.name for ep in entry_points(group="virtualenv.seed"))
    assert "ready" in {ep.name for ep in found}


def test_outside_virtualenv_nothing_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "virtualenv.run.plugin.base", raising=False)
    assert virtualenv_entry_points("virtualenv.seed") is None
    assert "virtualenv.run.plugin.base" not in sys.modules


def test_named_like_takes_the_name_tox_records() -> None:
    class Original:
        pass

    class Ours(Original):
        pass

    renamed = named_like(Ours, Original)
    assert renamed is Ours
    assert (type(renamed()).__name__, renamed.__qualname__) == ("Original", Original.__qualname__)
    assert issubclass(renamed, Original)


def test_a_session_hands_out_the_list_it_runs() -> None:
    """tox's plain envs drop our activators from this list before the session runs them."""
    from virtualenv.run.session import Session

    from virtualenv_ready.compat import session_activators

    session = Session.__new__(Session)
    live: list[object] = [object()]
    session._activators = live  # type: ignore[attr-defined]  # what Session.__init__ stores and run() iterates
    assert session_activators(session) is live, "Session.activators no longer returns the live list"
    assert session_activators(object()) is None  # tox's subprocess session has none
