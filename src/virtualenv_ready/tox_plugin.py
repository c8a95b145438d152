"""tox 4 plugin: ``ready = true`` makes a tox env through the ``ready`` seeder and keeps it in sync with its inputs.

tox imports this module on every run, so it imports nothing but tox's hook marker (already loaded by tox); our own
modules and tox's runner classes are imported inside the hooks that need them (logging is loaded already).

Order inside one env (see docs/tox.md): the ``ready`` seeder installs the plan when the env is created; on later runs
the plan is re-synced right before tox's first install step; then tox installs ``deps`` (or ``pylock``),
``dependency_groups`` and the package with its ``extras``; tox's installs after that are accepted as the env's new
state, so the next run does not undo them. With a runner that does not create envs through virtualenv (tox-uv's
``uv-venv-runner`` and ``uv-venv-lock-runner``) no seeder runs: the first of those syncs installs the plan.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from tox.plugin import impl

from . import pipes  # noqa: F401 - guards the package's log lines and keeps them off virtualenv's report

if TYPE_CHECKING:
    from pathlib import Path

    from tox.config.sets import ConfigSet, EnvConfigSet
    from tox.session.state import State
    from tox.tox_env.api import ToxEnv
    from tox.tox_env.installer import InstallArguments
    from tox.tox_env.register import ToxEnvRegister
    from tox.util.json_types import JsonValue

    from .model import ReadyConfig

LOGGER = logging.getLogger("virtualenv_ready")
SEEDER_ENV = "VIRTUALENV_SEEDER"
_STATE = "_virtualenv_ready_state"  # attribute on a tox env: how far this run got with it
_SYNCED = "synced"  # checked (and re-synced if needed) before tox's own installs
_ACCEPTED = "accepted"  # tox's installs of this run recorded as the env's state
GROUPS = "ready_groups"
_FILTERED = "_virtualenv_ready_plain_session"  # attribute on a tox env: the session our activators were taken from
_INSTALLING = ("virtualenv-ready: re-sync ", "virtualenv-ready: make ")  # how a sync in tox says it installs
# this tox run: its config file (hints name its form), whether the notice for plain envs was given
_RUN: dict[str, object] = {}
# tox's envs that create through virtualenv and build packages: they never get ready's plan
_PACKAGE_ENVS = ("virtualenv-pep-517", "virtualenv-cmd-builder")
_PEP723 = "virtualenv-pep-723"  # tox's runner of PEP 723 scripts (newer tox releases), also through virtualenv
# tox-uv's envs (name, a run env?): no seeder; their commands get what pass_env lists, as tox's runner's do
_TOX_UV_ENVS = (
    ("uv-venv-runner", True),
    ("uv-venv-lock-runner", True),
    ("uv-venv-pep-723", True),
    ("uv-venv-pep-517", False),
    ("uv-venv-cmd-builder", False),
)


_ToxEnvBase: Any = object  # tox's env classes are imported in the hooks; the mixin comes first in their bases


class _KeepsCredentials(_ToxEnvBase):  # type: ignore[misc]
    """A tox env whose commands do not get the ``VIRTUALENV_READY_*`` values that carry credentials unless ``pass_env``
    names them one by one (tox passes ``VIRTUALENV_*``, a glob may pass them), and whose logs show them masked; our
    sync still reads them (:func:`ready_config`)."""

    @property
    def environment_variables(self) -> dict[str, str]:
        from .tox_envs import withheld

        every = self.every_environment_variable
        if self.name == self.core["provision_tox_env"]:
            return every  # the provisioned tox needs everything; it keeps them from its own envs' commands
        hidden = withheld(every, self.conf["pass_env"])
        return {k: v for k, v in every.items() if k not in hidden} if hidden else every

    @property
    def every_environment_variable(self) -> dict[str, str]:
        """What tox gives the commands, before the credentials are taken out (for virtualenv and our sync)."""
        every: dict[str, str] = super().environment_variables
        return every

    def _log_execute(self, request: Any, status: Any) -> None:
        """tox writes each command's environment into the env's log: ours goes there with its credentials masked (a
        variable named in ``pass_env`` reaches the command, and the provisioned tox gets everything)."""
        from copy import copy

        from .tox_envs import masked

        shown = masked(request.env)
        if shown is not request.env:
            request = copy(request)
            request.env = shown
        super()._log_execute(request, status)


class _Withholding(_KeepsCredentials):
    """A tox env made by virtualenv: its commands do not get the credentials (:class:`_KeepsCredentials`), virtualenv
    (the seeder) still gets them."""

    def virtualenv_env_vars(self) -> dict[str, str]:
        from .tox_envs import withheld

        env: dict[str, str] = super().virtualenv_env_vars()
        every = self.every_environment_variable
        env.update({name: every[name] for name in withheld(every, self.conf["pass_env"])})
        return env


class _ActivatorsWhenReady(_ToxEnvBase):  # type: ignore[misc]
    """A tox env whose virtualenv session writes our activators only when the env is made ready (``ready = true``):
    tox's other envs get virtualenv's own scripts, as without this package."""

    def _made_ready(self) -> bool:
        return bool(self.conf["ready"])

    @property
    def session(self) -> Any:
        made = super().session
        if not self._made_ready():
            _without_our_activators(self, made)
        return made


@impl
def tox_add_core_config(core_conf: ConfigSet, state: State) -> None:
    """Remember the config file (hints name its form); warn when tox provisions a tox without this plugin."""
    _RUN["config_file"] = getattr(state.conf, "src_path", None)
    from .tox_envs import missing, names_us

    if "requires" not in core_conf:  # tox defines it before calling this hook (provision.py); older ones may not
        return
    requires: list[object] = list(core_conf["requires"])
    lacking = [] if names_us(requires) else missing(requires)
    ready = _ready_envs(state) if lacking else []
    if ready:
        LOGGER.warning(
            "virtualenv-ready: tox provisions itself (for %s) without virtualenv-ready, so ready = true of %s is "
            "ignored there; add virtualenv-ready to requires in the [tox] config",
            ", ".join(lacking),
            ", ".join(ready),
        )


def _ready_envs(state: State) -> list[str]:
    """The envs that set ``ready = true`` (an env whose config does not load yet is skipped: tox says why later).

    Before provisioning tox has not built any env, so our keys are added here (tox adds them when it builds one)."""
    found = []
    for name in dict.fromkeys(state.conf):
        try:
            env_conf = state.conf.get_env(name)
            if "ready" not in env_conf:
                tox_add_env_config(env_conf, state)
            if env_conf.load("ready"):
                found.append(name)
        except Exception:  # a warning must not fail the run
            LOGGER.debug("virtualenv-ready: could not read ready of %s", name, exc_info=True)
    return found


@impl
def tox_add_env_config(env_conf: EnvConfigSet, state: State) -> None:
    """The ``ready*`` keys of every environment."""
    env_conf.add_config(
        keys=["ready"],
        of_type=bool,
        default=False,
        desc="create the env with the virtualenv-ready seeder and re-sync it when its inputs change",
    )
    from .options import tox_options

    for opt in tox_options():
        # ready_groups set but empty selects no group (as tox's dependency_groups); unset (None): ready's default
        default: list[str] | None = None if opt.dest == GROUPS else []
        env_conf.add_config(keys=[str(opt.tox_key)], of_type=list[str], default=default, desc=str(opt.tox_help))


@impl(trylast=True)
def tox_register_tox_env(register: ToxEnvRegister) -> None:
    """Replace tox's ``virtualenv`` runner by a subclass that hands ready envs to the ``ready`` seeder, and its
    virtualenv packaging envs by subclasses that keep them plain."""
    from tox.tox_env.python.virtual_env.runner import VirtualEnvRunner

    from .compat import named_like

    for name in _PACKAGE_ENVS:
        _plain_packager(register, name)
    _plain_runner(register, _PEP723)
    for name, run in _TOX_UV_ENVS:
        _credentials_kept(register, name, run=run)
    if "virtualenv" not in register.env_runners or register.runner("virtualenv") is not VirtualEnvRunner:
        # another plugin replaced it: keep theirs; ready envs are then made ready before tox's first install
        return

    class ReadyRunner(_Withholding, _ActivatorsWhenReady, VirtualEnvRunner):
        """tox's ``virtualenv`` runner; with ``ready = true`` virtualenv gets the ``ready`` seeder and the keys."""

        def virtualenv_env_vars(self) -> dict[str, str]:
            env = super().virtualenv_env_vars()
            if self.conf["ready"]:
                env.update(_installer_env(env))
                env.update(ready_settings(self))
            else:
                env.update(plain_settings(self, env))
            return env

        def create_python_env(self) -> None:
            from tox.report import HandledError

            from .errors import ReadyError

            try:
                super().create_python_env()
            except ReadyError as exc:  # the seeder's one line, as tox's own failures read; not an internal error
                msg = f"virtualenv-ready: {exc}"
                raise HandledError(msg) from None

        def python_cache(self) -> dict[str, JsonValue]:
            cache = super().python_cache()
            if self.conf["ready"]:
                # the seeder only runs at creation: turning ready on (or off) recreates the env
                cache["virtualenv-ready"] = True
            return cache

    # named like tox's runner, so that installing this plugin does not recreate existing envs
    register.add_run_env(named_like(ReadyRunner, VirtualEnvRunner))


def _plain_packager(register: ToxEnvRegister, name: str) -> None:
    """tox's packaging env ``name`` (when tox's own, not another plugin's) seeded like app-data, without our
    activators, under its own class name (existing ``.pkg`` envs are not recreated)."""
    from .compat import named_like

    try:
        original: Any = register.package(name)
    except KeyError:
        return
    if not original.__module__.startswith("tox."):
        return

    class PlainPackager(_Withholding, _ActivatorsWhenReady, original):  # type: ignore[misc]
        def virtualenv_env_vars(self) -> dict[str, str]:
            from .tox_envs import package_env_vars

            env: dict[str, str] = super().virtualenv_env_vars()
            env.update(package_env_vars(env))
            return env

        def _made_ready(self) -> bool:
            return False  # a packaging env is never made ready

    register.add_package_env(named_like(PlainPackager, original))


def _credentials_kept(register: ToxEnvRegister, name: str, *, run: bool) -> None:
    """tox-uv's env ``name`` (when tox-uv's own) keeping the index credentials out of its commands and logs as tox's
    runner's envs do, under its own class name (existing envs are not recreated)."""
    from .compat import named_like

    try:
        original: Any = register.runner(name) if run else register.package(name)
    except KeyError:
        return
    if not original.__module__.startswith("tox_uv."):
        return

    class CredentialsKept(_KeepsCredentials, original):  # type: ignore[misc]
        pass

    kept = named_like(CredentialsKept, original)
    if run:
        register.add_run_env(kept)
    else:
        register.add_package_env(kept)


def _plain_runner(register: ToxEnvRegister, name: str) -> None:
    """tox's other virtualenv run env ``name`` (PEP 723 scripts): without ``ready = true`` plain, as the
    ``virtualenv`` runner's envs; with it, made ready by the first sync (as with tox-uv's runners)."""
    from .compat import named_like

    if name not in register.env_runners:
        return
    original: Any = register.runner(name)
    if not original.__module__.startswith("tox."):
        return

    class PlainRunner(_Withholding, _ActivatorsWhenReady, original):  # type: ignore[misc]
        def virtualenv_env_vars(self) -> dict[str, str]:
            env: dict[str, str] = super().virtualenv_env_vars()
            if not self.conf["ready"]:
                env.update(plain_settings(self, env))
            return env

    register.add_run_env(named_like(PlainRunner, original))


def plain_settings(tox_env: ToxEnv, env: dict[str, str]) -> dict[str, str]:
    """The ``VIRTUALENV_*`` values of a run env without ``ready = true``: app-data where ``ready`` is only a default
    (said once per run, with how to turn it on), and ready without the project where tox installs it."""
    from pathlib import Path

    from .tox_envs import run_env_vars, turn_on_hint

    settings, plain = run_env_vars(env, _package_root(tox_env), tox_installs_project(tox_env))
    if plain and not _RUN.get("told"):
        _RUN["told"] = True
        config_file = _RUN.get("config_file")
        LOGGER.warning(
            "virtualenv-ready: ready is the default seeder, but tox envs are made ready only where the config says so; "
            "%s",
            turn_on_hint(config_file if isinstance(config_file, Path) else None),
        )
    return settings


def _without_our_activators(tox_env: Any, session: Any) -> None:
    """Leave our activators out of a plain env's session (once: tox asks for the session often) unless the user
    named the activators."""
    if getattr(tox_env, _FILTERED, None) is session:
        return
    setattr(tox_env, _FILTERED, session)
    from .compat import session_activators
    from .tox_envs import activators_chosen, is_ours

    activators = session_activators(session)
    if activators is None or activators_chosen(tox_env.virtualenv_env_vars()):
        return
    activators[:] = [activator for activator in activators if not is_ours(activator)]


@impl
def tox_on_install(tox_env: ToxEnv, arguments: InstallArguments, section: str, of_type: str) -> None:
    """Before tox's first install step of a run: re-sync the env when its inputs changed (no-op when fresh)."""
    if not _is_ready(tox_env) or getattr(tox_env, _STATE, None) is not None:
        return
    setattr(tox_env, _STATE, _SYNCED)
    sync(tox_env, accept_drift=False)


@impl
def tox_before_run_commands(tox_env: ToxEnv) -> None:
    """After tox's installs: accept what they changed, or make the env ready when no install step ran."""
    if not _is_ready(tox_env) or getattr(tox_env, _STATE, None) == _ACCEPTED:
        return
    accept = getattr(tox_env, _STATE, None) == _SYNCED
    setattr(tox_env, _STATE, _ACCEPTED)
    sync(tox_env, accept_drift=accept)


@impl
def tox_env_teardown(tox_env: ToxEnv) -> None:
    """``--notest`` (no commands): still accept tox's installs of this run, so the next run does not undo them."""
    if not _is_ready(tox_env) or getattr(tox_env, _STATE, None) != _SYNCED:
        return
    setattr(tox_env, _STATE, _ACCEPTED)
    try:
        sync(tox_env, accept_drift=True, install=False)
    except Exception:  # teardown must not turn a finished run into a failure
        LOGGER.debug("virtualenv-ready: could not refresh the record of %s", tox_env.name, exc_info=True)


def _is_ready(tox_env: ToxEnv) -> bool:
    from tox.tox_env.runner import RunToxEnv

    return isinstance(tox_env, RunToxEnv) and "ready" in tox_env.conf and bool(tox_env.conf["ready"])


def tox_installs_project(tox_env: ToxEnv) -> bool:
    """Whether tox installs the project (or its dependencies, or an external package) into this env itself."""
    if "package" not in tox_env.conf:
        return False
    return str(tox_env.conf["package"]) != "skip"


def _package_root(tox_env: ToxEnv) -> Path:
    # tox < 4.66 defines package_root only once a packaging env registered it (not with skip_install)
    try:
        root: Path = tox_env.core["package_root"]
    except KeyError:
        root = tox_env.core["tox_root"]
    return root


def ready_settings(tox_env: ToxEnv) -> dict[str, str]:
    """The ``VIRTUALENV_*`` values that make the ``ready`` seeder do what the env's keys say.

    The project is tox's ``package_root``; when tox installs the package itself, ready leaves the project to tox
    (``--ready-no-project``) so it is not built twice. Where packages come from is not set here: the user's
    ``VIRTUALENV_READY_*`` variables and ``virtualenv.ini`` decide, as on the command line.
    """
    return {name: value for name, (value, _) in _tox_values(tox_env).items()}


def _tox_values(tox_env: ToxEnv) -> dict[str, tuple[str, str]]:
    """:func:`ready_settings` with the tox key each value comes from."""
    from pathlib import Path

    from tox.report import HandledError

    from .options import option

    conf = tox_env.conf
    root: Path = tox_env.core["tox_root"]
    settings = {
        SEEDER_ENV: ("ready", "ready"),
        option("ready_project").env_var: (str(_package_root(tox_env)), "package_root"),
    }
    groups, extras, requirements = (option(dest) for dest in (GROUPS, "ready_extras", "ready_requirement"))
    chosen_groups: list[str] | None = conf[str(groups.tox_key)]
    if chosen_groups is not None:
        # "," is a list of no group: virtualenv ignores an empty variable
        settings[groups.env_var] = (",".join(chosen_groups) or ",", str(groups.tox_key))
    if conf[str(requirements.tox_key)]:
        given: list[str] = conf[str(requirements.tox_key)]
        files = [r if "://" in r else str((root / Path(r).expanduser()).absolute()) for r in given]
        settings[requirements.env_var] = (",".join(files), str(requirements.tox_key))
    chosen: list[str] = conf[str(extras.tox_key)]
    if tox_installs_project(tox_env):
        if chosen:
            msg = (
                f"{conf.name}: ready_extras = {', '.join(chosen)}: tox installs the project here "
                f"(package = {conf['package']}), so its extras are tox's: move them to extras, or set "
                "skip_install = true to let ready install the project editable with them"
            )
            raise HandledError(msg)
        settings[option("ready_no_project").env_var] = ("1", "package")
    elif chosen:
        settings[extras.env_var] = (",".join(chosen), str(extras.tox_key))
    return settings


def _installer_env(env: dict[str, str]) -> dict[str, str]:
    """uv's own settings from the user's environment (tox passes ``PIP_*`` but not ``UV_*``), for the installer."""
    import os

    return {k: v for k, v in os.environ.items() if k.startswith("UV_") and k not in env}


def ready_config(tox_env: ToxEnv) -> tuple[ReadyConfig, dict[str, str]]:
    """The config the seeder resolves for this env (env vars over ``virtualenv.ini`` over the project file)."""
    import os

    from .config import ini_path, layer, read_ini
    from .options import OPTIONS, Origin, environment_values

    # tox's virtualenv runner passes VIRTUALENV_* into the env; other runners (tox-uv's) do not, yet the user's
    # VIRTUALENV_READY_* settings and virtualenv.ini must decide there too
    env = {k: v for k, v in os.environ.items() if k.startswith("VIRTUALENV_")}
    # our runners keep credentials from the commands, not from ready
    env.update(getattr(tox_env, "every_environment_variable", None) or tox_env.environment_variables)
    env.update(_installer_env(env))
    from_tox = _tox_values(tox_env)
    env.update({name: value for name, (value, _) in from_tox.items()})
    # virtualenv ignores an empty VIRTUALENV_* value; do the same so both paths resolve the same config
    env = {k: v for k, v in env.items() if not (k.startswith("VIRTUALENV_READY_") and not v)}
    given = environment_values(env, read_ini(ini_path(env)))
    for opt in OPTIONS:
        if opt.dest in given and opt.env_var in from_tox:
            given[opt.dest] = (given[opt.dest][0], Origin("tox", f"tox env {tox_env.name} {from_tox[opt.env_var][1]}"))
    return layer(given, cwd=tox_env.core["tox_root"], env=env), env


def sync(tox_env: ToxEnv, *, accept_drift: bool, install: bool = True) -> None:
    """Bring the env up to date with its plan; with ``accept_drift`` packages changed since the last sync (by tox's
    own installs) become the recorded state instead of being reinstalled; ``install=False`` never installs."""
    from tox.report import HandledError

    from . import record
    from .apply import sync as sync_env
    from .errors import ReadyError
    from .lock import dest_lock
    from .mode import Mode
    from .target import Target
    from .valuetypes import replace

    venv: Path = tox_env.conf["env_dir"]
    verbosity = int(getattr(tox_env.options, "verbosity", 2))
    mode = Mode(verbosity=verbosity, accept_drift=accept_drift, install=install, env_name=tox_env.name)
    notes = HeldNotes()
    LOGGER.addFilter(notes)
    try:
        config, env = ready_config(tox_env)
        with dest_lock(venv):  # the same lock as the seeder and `virtualenv-ready sync`
            previous = record.read(venv) if record.path_of(venv).is_file() else None
            python, bin_dir = (previous.python, previous.bin_dir) if previous else (None, None)
            target = replace(Target.from_venv(venv, python, bin_dir), env=env)
            # a runner other than tox's virtualenv one created the env when it has no record: ready installs now
            sync_env(target, config, mode, previous=previous)
    except ReadyError as exc:
        notes.release()  # what planning noticed may explain the failure
        msg = f"virtualenv-ready: {exc}"
        raise HandledError(msg) from None
    finally:
        LOGGER.removeFilter(notes)


class HeldNotes(logging.Filter):
    """Warnings said while the config and plan are made (``uv.lock not used``, a setting ignored), held until the sync
    installs and then said once per tox run; dropped when it installs nothing, so an unchanged env is not told on
    every run what it was told when something was installed."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[logging.LogRecord] = []
        self.released = False

    def filter(self, record: logging.LogRecord) -> bool:
        if self.released or record.levelno != logging.WARNING:
            return True
        if record.getMessage().startswith(_INSTALLING):
            self.release()
            return True
        self.held.append(record)
        return False

    def release(self) -> None:
        """Say the held notes (each once per tox run); from now on let everything through."""
        self.released = True
        said: set[str] = _RUN.setdefault("said", set())  # type: ignore[assignment]
        for record in self.held:
            if record.getMessage() not in said:
                said.add(record.getMessage())
                LOGGER.handle(record)
        self.held.clear()


__all__ = [
    "ready_config",
    "ready_settings",
    "sync",
    "tox_add_env_config",
    "tox_before_run_commands",
    "tox_env_teardown",
    "tox_installs_project",
    "tox_on_install",
    "tox_register_tox_env",
]
