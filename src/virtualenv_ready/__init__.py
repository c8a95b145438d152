"""virtualenv-ready: `virtualenv venv` that comes out ready to use."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this runs on every virtualenv call
if TYPE_CHECKING:
    from typing import Any

    import pluggy

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # virtualenv imports this package on every call; pluggy costs ~20 ms, so the marker is built on first use
    if name == "hookimpl":
        import pluggy

        marker = pluggy.HookimplMarker("virtualenv_ready")
        globals()["hookimpl"] = marker
        return marker
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


hookimpl: pluggy.HookimplMarker

__all__ = ["__version__", "hookimpl"]
