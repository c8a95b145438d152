"""Untimed set-up: the tool environments compared, the isolated process environment, version facts."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# pinned to what the dev env has, so the envs with and without the plugin differ only by it and its dependencies
VIRTUALENV_DEPS = ("virtualenv", "distlib", "filelock", "platformdirs", "python-discovery", "packaging")
PLUGIN_DEPS = ("pluggy", "dependency-groups", "uv")


@dataclass(frozen=True)
class Tools:
    """Paths of everything the scenarios run; built once per benchmark run."""

    base_python: Path  # the interpreter every created env is based on
    bare: Path  # env with virtualenv only: "virtualenv-ready not installed"
    plugin: Path  # env with virtualenv + virtualenv-ready[uv] installed from this checkout (not editable)
    uv: Path
    cache: Path
    app_data: Path
    ini_empty: Path
    ini_ready: Path
    policy: Path  # an empty org policy, so a machine-wide one cannot change what is measured

    def bin(self, env: Path, name: str) -> str:
        """A console script of one of the tool envs."""
        return str(env / "bin" / name)


def base_python() -> Path:
    """The real interpreter behind the running one (a venv's python would be re-resolved by every tool anyway)."""
    base = Path(getattr(sys, "_base_executable", sys.executable))
    return base if base.exists() else Path(sys.executable)


def find_uv() -> Path:
    """uv from the `uv` package of the running Python, else PATH: the set-up needs it to build the tool envs."""
    try:
        from uv import find_uv_bin

        return Path(find_uv_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if not found:
            msg = "uv not found: run the benchmark with a Python that has the `uv` package (pip install uv)"
            raise SystemExit(msg) from None
        return Path(found)


def clean_env(tools: Tools, **extra: str) -> dict[str, str]:
    """The process environment of every timed command: no user config of pip, uv, virtualenv or this plugin.

    The caller's PIP_*/UV_*/VIRTUALENV_* settings (an index, find-links, constraints) would change what is
    measured, so they are dropped and each tool is pointed at benchmark-owned config and caches.
    """
    drop = ("PIP_", "UV_", "VIRTUALENV_", "VIRTUAL_ENV", "CONDA_", "PYTHON")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env |= {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
        "UV_NO_CONFIG": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        "VIRTUALENV_OVERRIDE_APP_DATA": str(tools.app_data),
        "VIRTUALENV_CONFIG_FILE": str(tools.ini_empty),
        "VIRTUALENV_READY_POLICY": str(tools.policy),
        # the key that signs records, and beside it this package's memos: the benchmark's own, not the user's
        "VIRTUALENV_READY_RECORD_KEY": str(tools.cache / "record-key"),
    }
    env |= extra
    return env


def _run(argv: list[str], **kwargs: object) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode:
        msg = f"set-up failed: {' '.join(argv)}\n{result.stdout}{result.stderr}"
        raise SystemExit(msg)


def prepare(cache: Path) -> Tools:
    """Build or refresh the two tool envs; the plugin is reinstalled from the checkout, so its current code is timed."""
    cache.mkdir(parents=True, exist_ok=True)
    uv = find_uv()
    python = base_python()
    pins = [f"{name}=={metadata.version(name)}" for name in VIRTUALENV_DEPS]
    plugin_pins = [f"{name}=={metadata.version(name)}" for name in PLUGIN_DEPS]
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}"
    bare, plugin = cache / f"env-bare-{tag}", cache / f"env-plugin-{tag}"
    this = [f"virtualenv-ready[uv] @ {ROOT.as_uri()}", "--reinstall-package", "virtualenv-ready", *plugin_pins]
    for env, extra in ((bare, []), (plugin, this)):
        if not (env / "bin" / "python").exists():
            _run([str(uv), "venv", "--quiet", "--python", str(python), str(env)])
        # exact: a package left over from an earlier run would change entry-point scanning and imports
        # bytecode now: otherwise the first timed sample would pay for compiling it
        install = [str(uv), "pip", "install", "--quiet", "--exact", "--compile-bytecode"]
        _run([*install, "--python", str(env / "bin" / "python"), *pins, *extra])
    ini_empty, ini_ready = cache / "virtualenv-empty.ini", cache / "virtualenv-ready-default.ini"
    ini_empty.write_text("[virtualenv]\n", encoding="utf-8")
    ini_ready.write_text("[virtualenv]\nseeder = ready\n", encoding="utf-8")  # what `virtualenv-ready enable` writes
    policy = cache / "policy-empty.toml"
    policy.write_text("# no organisation policy: the benchmark measures the defaults\n", encoding="utf-8")
    return Tools(python, bare, plugin, uv, cache, cache / "app-data", ini_empty, ini_ready, policy)


TOX_VARIANTS = ("plain", "ready", "uv", "uv-ready")


def prepare_tox(tools: Tools) -> dict[str, Path]:
    """The four tox envs (tox; tox + this checkout; tox + tox-uv; all three), built once, the plugin reinstalled."""
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}"
    plugin = [f"virtualenv-ready[uv] @ {ROOT.as_uri()}", "--reinstall-package", "virtualenv-ready"]
    pins = [f"{name}=={metadata.version(name)}" for name in (*VIRTUALENV_DEPS, *PLUGIN_DEPS)]
    made = {}
    for variant in TOX_VARIANTS:
        env = tools.cache / f"env-tox-{variant}-{tag}"
        if not (env / "bin" / "python").exists():
            _run([str(tools.uv), "venv", "--quiet", "--python", str(tools.base_python), str(env)])
        extra = (["tox-uv"] if variant.startswith("uv") else []) + (plugin if variant.endswith("ready") else [])
        install = [str(tools.uv), "pip", "install", "--quiet", "--exact", "--compile-bytecode"]
        _run([*install, "--python", str(env / "bin" / "python"), "tox", *pins, *extra])
        made[variant] = env
    return made


def _out(argv: list[str], env: dict[str, str] | None = None) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True, env=env).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def facts(tools: Tools) -> dict[str, str]:
    """Machine and versions for the report header: a table means nothing without them."""
    py = tools.bin(tools.plugin, "python")
    embedded = "import virtualenv.seed.wheels.embed as e; print(e.BUNDLE_SUPPORT[e.MAX]['pip'])"
    ensurepip = "import ensurepip; print(ensurepip.version())"
    commit = _out(["git", "-C", str(ROOT), "describe", "--always", "--dirty"])
    version = _out([py, "-c", "import virtualenv_ready; print(virtualenv_ready.__version__)"])
    python = _out([str(tools.base_python), "-c", "import sys; print(sys.version.split()[0])"])
    return {
        "cpu": _cpu(),
        "cores": str(os.cpu_count()),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{python} ({tools.base_python})",
        "virtualenv": _out([py, "-c", "import virtualenv; print(virtualenv.__version__)"]),
        "uv": _out([str(tools.uv), "--version"]).removeprefix("uv "),
        "pip (virtualenv seed)": _out([py, "-c", embedded]).removeprefix("pip-").split("-")[0],
        "pip (python -m venv, ensurepip)": _out([str(tools.base_python), "-c", ensurepip]),
        "virtualenv-ready": f"{version} (git {commit})",
    }


__all__ = ["ROOT", "TOX_VARIANTS", "Tools", "base_python", "clean_env", "facts", "find_uv", "prepare", "prepare_tox"]
