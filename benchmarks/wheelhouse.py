"""The local wheelhouse: downloaded once per Python and platform, so timed runs never touch the network."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).parent
REQUIREMENTS_IN = HERE / "requirements.in"
_WHEEL = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)-.+\.whl$")


def folder(cache: Path) -> Path:
    """One wheelhouse per interpreter and platform: wheels built for another Python would not install."""
    tag = f"cp{sys.version_info[0]}{sys.version_info[1]}-{sysconfig.get_platform()}".replace(".", "_")
    return cache / f"wheels-{tag}"


def ensure(cache: Path) -> tuple[Path, Path]:
    """Download the set for the running Python if missing; return (wheel folder, pinned requirements.txt).

    Pinning every downloaded wheel makes all installers install the same set, so the comparison is about
    installing, not about which versions each resolver would pick.
    """
    wheels = folder(cache)
    done = wheels / ".complete"
    if not done.exists():
        wheels.mkdir(parents=True, exist_ok=True)
        print(f"downloading the wheel set into {wheels} (once)", file=sys.stderr)
        argv = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
        argv += ["--only-binary", ":all:", "-d", str(wheels), "-r", str(REQUIREMENTS_IN)]
        subprocess.run(argv, check=True)
        done.write_text("ok\n", encoding="utf-8")
    pins = set()
    for wheel in wheels.glob("*.whl"):
        match = _WHEEL.match(wheel.name)
        if match:
            pins.add(f"{match['name'].replace('_', '-').lower()}=={match['version']}")
    pinned = wheels / "requirements.txt"
    pinned.write_text("\n".join(sorted(pins)) + "\n", encoding="utf-8")
    return wheels, pinned


__all__ = ["REQUIREMENTS_IN", "ensure", "folder"]
