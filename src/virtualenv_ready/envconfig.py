"""The effective index settings written into the env as pip's site config, so a later `pip install` keeps them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from .logs import LOGGER

if TYPE_CHECKING:
    from .model import ReadyConfig

MARKER = "# written by virtualenv-ready: the index settings this env was made with (credentials never stored)"


def config_path(venv: Path) -> Path:
    """pip reads `$VIRTUAL_ENV/pip.conf` (POSIX) or `pip.ini` (Windows) as its site-level config."""
    return venv / ("pip.ini" if sys.platform == "win32" else "pip.conf")


def strip_credentials(url: str) -> str:
    """The URL without user-info and query (pip takes credentials from keyring or netrc instead)."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def render(config: ReadyConfig) -> str | None:
    """The pip config text for the effective settings, or ``None`` when nothing differs from pip's defaults."""
    lines = [MARKER, "[global]"]
    if config.index_url:
        lines.append(f"index-url = {strip_credentials(config.index_url)}")
    if config.extra_index_urls:
        lines.append("extra-index-url =")
        lines += [f"    {strip_credentials(u)}" for u in config.extra_index_urls]
    if config.find_links:
        lines.append("find-links =")
        lines += [f"    {strip_credentials(u)}" for u in config.find_links]
    if config.no_index:
        lines.append("no-index = true")
    if config.only_binary:
        lines.append(f"only-binary = {','.join(config.only_binary)}")
    if config.policy is not None:
        if config.policy.require_hashes:
            lines.append("require-hashes = true")
        if config.policy.constraints:
            lines.append("constraint =")
            lines += [f"    {strip_credentials(c)}" for c in config.policy.constraints]
    if len(lines) == 2:
        return None
    return "\n".join(lines) + "\n"


def write_pip_config(venv: Path, config: ReadyConfig) -> Path | None:
    """Write (or refresh) our pip config; a file the user wrote is never overwritten."""
    text = render(config)
    path = config_path(venv)
    if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
        LOGGER.warning("virtualenv-ready: %s exists and was not written by virtualenv-ready; left as it is", path)
        return None
    if text is None:
        if path.exists():
            path.unlink()
        return None
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["config_path", "render", "strip_credentials", "write_pip_config"]
