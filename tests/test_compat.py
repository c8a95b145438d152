"""What ``virtualenv_ready.compat`` relies on, through the real tools (the fast checks are in tests/unit)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tox_helpers import entry_point_shim, plugin_installed, run_tox, tox_cache, tox_env_vars


def test_installing_the_plugin_leaves_existing_tox_envs_alone(tmp_path: Path, wheelhouse: Path) -> None:
    """tox recreates an env whose runner's class name changed: ours must pass for tox's own (``named_like``)."""
    project = tmp_path / "proj"
    (project / ".git").mkdir(parents=True)
    ini = """
        [testenv:plain]
        skip_install = true
        ready = false
        commands = python -c 'print("ran")'
    """
    (project / "tox.ini").write_text(textwrap.dedent(ini).lstrip(), encoding="utf-8")
    shim = None if plugin_installed() else entry_point_shim(tmp_path / "shim")
    env = tox_env_vars(wheelhouse, shim)
    without = {**env, "TOX_DISABLED_EXTERNAL_PLUGINS": "tox-uv,virtualenv-ready"}
    first = run_tox(project, without, "run", "-e", "plain")
    assert first.returncode == 0, first.stdout + first.stderr
    venv = project / ".tox" / "plain"
    made_by_tox = tox_cache(venv)
    (venv / "kept").write_text("made before the plugin was installed\n", encoding="utf-8")

    second = run_tox(project, env, "run", "-e", "plain")
    output = second.stdout + second.stderr
    assert second.returncode == 0, output
    assert "recreate" not in output, output
    assert (venv / "kept").is_file()
    assert tox_cache(venv)["ToxEnv"] == made_by_tox["ToxEnv"]
    # and the plugin did load in the second run (its key is known), so the runner that ran was ours
    shown = run_tox(project, env, "config", "-e", "plain", "-k", "ready")
    assert "ready = False" in shown.stdout, shown.stdout + shown.stderr
    unknown = run_tox(project, without, "config", "-e", "plain", "-k", "ready")
    assert "ready = False" not in unknown.stdout, unknown.stdout
