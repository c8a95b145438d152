"""The status line's words and numbers come from the installer's own lines; a narrow window cuts names, not the
phase."""

from __future__ import annotations

import io

import pytest

from virtualenv_ready.progress import Status, fit

UV_COLD = [
    "Using Python 3.11.7 environment at: venv",
    "Resolved 4 packages in 3ms",
    "   Downloading numpy (15.0MiB)",
    "   Downloaded numpy",
    "   Building gamma==1.0",
    "      Built gamma==1.0",
    "Prepared 4 packages in 95ms",
    "Uninstalled 1 package in 1ms",
    "Installed 4 packages in 2ms",
    " + alpha==1.0",
]


def phases(lines: list[str]) -> list[str]:
    status = Status("installing requirements.txt with uv", io.StringIO())
    seen = []
    for line in lines:
        status.feed(line)
        seen.append(f"{status.phase} {status.detail}".strip())
    return seen


def test_uv_cold_run_shows_uvs_own_counts() -> None:
    assert phases(UV_COLD) == [
        "resolving",
        "resolved 4 packages",
        "downloading numpy",
        "downloading numpy",
        "building gamma",
        "building gamma",
        "installing",
        "installing",
        "installed 4 packages",
        "installed 4 packages",
    ]


def test_uv_warm_run_never_says_downloading() -> None:
    seen = phases(["Resolved 33 packages in 1ms", "Installed 31 packages in 2ms", " + attrs==25.1"])
    assert seen == ["resolved 33 packages", "installed 31 packages", "installed 31 packages"]
    assert not any("download" in phase or "/" in phase for phase in seen)


def test_uv_with_nothing_to_do() -> None:
    assert phases(["Checked 1 package in 0.8ms"]) == ["1 package already installed"]
    assert phases(["Audited 3 packages in 1ms"]) == ["3 packages already installed"]


def test_pip_counts_are_what_pip_installs() -> None:
    seen = phases(
        [
            "Collecting alpha",
            "  Downloading alpha-1.0.tar.gz (2 kB)",
            "Building wheel for alpha (pyproject.toml): started",
            "Building editable for demo (pyproject.toml): started",
            "Installing collected packages: alpha, demo",
            "Successfully installed alpha-1.0 demo-0.1",
        ]
    )
    assert seen == [
        "resolving (1 found)",
        "downloading alpha-1.0.tar.gz",
        "building alpha",
        "building demo",
        "installing 2 packages",
        "installed 2 packages",
    ]


WHAT = "installing requirements.txt + pyproject.toml [dev] with uv"


@pytest.mark.parametrize("width", [200, 90, 75, 60, 40, 30, 10])
def test_a_narrow_window_cuts_the_names_first_then_what_never_the_phase(width: int) -> None:
    line = fit(WHAT, "building", "a-very-long-package-name-indeed", "(3s)", width)
    assert len(line) <= width
    full = f"{WHAT}: building a-very-long-package-name-indeed (3s)"
    if len(full) <= width:
        assert line == full
    elif width >= len("building (3s)") + 3:
        assert "building" in line and line.endswith(" (3s)"), line
        if len(f"{WHAT}: building (3s)") + 3 <= width:
            assert line.startswith(f"{WHAT}: building a"), line  # the names are cut, what is whole
        else:
            assert line.endswith(": building (3s)"), line  # no names; what cut if need be
            assert line == f"{WHAT}: building (3s)" or "…" in line, line
    else:
        assert line == "building (3s)"[:width]


def test_no_width_no_cut() -> None:
    assert fit(WHAT, "installed 3 packages", "", "(1s)", None) == f"{WHAT}: installed 3 packages (1s)"


def test_the_width_is_the_terminal_drawn_on_not_stdouts(monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl
    import os
    import pty
    import struct
    import sys
    import termios

    from virtualenv_ready import progress

    if sys.platform == "win32":
        pytest.skip("pseudo-terminals are POSIX")
    master, slave = pty.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
        monkeypatch.delenv("COLUMNS", raising=False)
        monkeypatch.setattr(sys, "stdout", io.StringIO())  # redirected: shutil would fall back to 80 columns
        with os.fdopen(os.dup(slave), "w") as terminal:
            assert progress._width(terminal) == 199
            line = fit(WHAT, "building", "x" * 100, "(1s)", progress._width(terminal))
            assert len(line) > 80 and line.startswith(f"{WHAT}: building xxx")
    finally:
        os.close(master)
        os.close(slave)
