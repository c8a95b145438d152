"""A policy that names any source key means "only these sources": every key alone and in pairs, every layer.

The layers other than requirements files go through virtualenv's own option parsing (``session_via_cli``: the
command line, ``VIRTUALENV_READY_*`` and ``virtualenv.ini``) and then the config layer, without creating an env;
two real ``virtualenv`` runs at the end show the same on the way users meet it.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import installed
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.policy import SOURCE_KEYS

if TYPE_CHECKING:
    from virtualenv_ready.model import ReadyConfig

ALLOWED = "allowed.internal"
# One value per key; every URL the policy names is on ALLOWED, so "on an allowed host" is one rule for all keys.
POLICY_VALUES = {
    "index-url": f'"https://{ALLOWED}/simple"',
    "extra-index-urls": f'["https://{ALLOWED}/extra"]',
    "allowed-index-hosts": f'["{ALLOWED}"]',
    "find-links": '["{listed}"]',
}
POLICIES = [(key,) for key in SOURCE_KEYS] + list(itertools.combinations(SOURCE_KEYS, 2))
URL_KEYS = {"index-url", "extra-index-urls", "allowed-index-hosts"}
LAYERS = ("cli", "env", "ini", "requirements")
# (what, value, allowed by a policy with these keys): the rule docs/org-rollout.md states
CASES = {
    "foreign index": ("index-url", "https://evil.invalid/simple", lambda keys: False),
    "foreign extra index": ("extra-index-url", "https://evil.invalid/simple", lambda keys: False),
    "foreign find-links URL": ("find-links", "https://evil.invalid/links", lambda keys: False),
    "unlisted folder": ("find-links", "{unlisted}", lambda keys: False),
    "the policy's own index": ("index-url", f"https://{ALLOWED}/simple", lambda keys: bool(URL_KEYS & keys)),
    "another index on an allowed host": (
        "index-url",
        f"https://{ALLOWED}/other",
        lambda keys: bool(URL_KEYS & keys) and "index-url" not in keys,
    ),
    "extra index on an allowed host": (
        "extra-index-url",
        f"https://{ALLOWED}/more",
        lambda keys: bool(URL_KEYS & keys),
    ),
    "listed folder": ("find-links", "{listed}", lambda keys: "find-links" in keys),
}
REQUIREMENTS_SPELLING = {"index-url": "--index-url", "extra-index-url": "--extra-index-url", "find-links": "-f"}


def write_policy(path: Path, keys: tuple[str, ...], listed: Path) -> Path:
    path.write_text("".join(f"{k} = {POLICY_VALUES[k].format(listed=listed.as_posix())}\n" for k in keys))
    return path


def resolve_layer(layer: str, option: str, value: str, project: Path, env: dict[str, str]) -> ReadyConfig:
    """The config of a run where ``layer`` sets ``--ready-<option> value`` (requirements: an option line)."""
    from virtualenv.run import session_via_cli

    from virtualenv_ready.config import resolve
    from virtualenv_ready.plan import make_plan
    from virtualenv_ready.target import Target

    # --ready-no-index: only the source under test is judged here; no index set is a case of its own below
    args = [str(project / "venv"), "--seeder", "ready", "--activators", "", "--ready-no-index"]
    if layer == "cli":
        args += [f"--ready-{option}", value]
    elif layer == "env":
        env[f"VIRTUALENV_READY_{option.replace('-', '_').upper()}"] = value
    elif layer == "ini":
        ini = project / "virtualenv.ini"
        ini.write_text(f"[virtualenv]\nready_{option.replace('-', '_')} = {value}\n")
        env["VIRTUALENV_CONFIG_FILE"] = str(ini)
    options = session_via_cli(args, setup_logging=False, env=env).seeder._options
    config = resolve(options, cwd=project, env=env)
    if layer == "requirements":
        requirements = project / "requirements.txt"
        requirements.write_text(f"{REQUIREMENTS_SPELLING[option]} {value}\nalpha\n")
        # the plan a creation makes reads the project's requirements.txt, where the policy judges the line
        here = Target(Path(sys.prefix), Path(sys.executable), Path(sys.executable).parent, ())
        make_plan(config, here)
    return config


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    found = {"listed": tmp_path / "listed", "unlisted": tmp_path / "unlisted", "project": tmp_path / "proj"}
    for path in found.values():
        path.mkdir()
    (found["project"] / ".git").mkdir()
    return found


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("keys", POLICIES, ids="+".join)
def test_every_source_from_another_layer_must_pass_the_policy(
    keys: tuple[str, ...], case: str, layer: str, folders: dict[str, Path]
) -> None:
    option, value, allowed = CASES[case]
    value = value.format(listed=folders["listed"], unlisted=folders["unlisted"])
    policy = write_policy(folders["project"].parent / "policy.toml", keys, folders["listed"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUALENV_READY_")}
    env["VIRTUALENV_READY_POLICY"] = str(policy)
    if allowed(set(keys)):
        resolve_layer(layer, option, value, folders["project"], env)
        return
    with pytest.raises(ReadyError, match=r"is refused by the org policy") as info:
        resolve_layer(layer, option, value, folders["project"], env)
    text = str(info.value)
    named = {
        "cli": "cli: ",
        "env": f"env var VIRTUALENV_READY_{option.replace('-', '_').upper()}: ",
        "ini": "virtualenv.ini: ",
        "requirements": f"{folders['project'] / 'requirements.txt'}:1: ",
    }[layer]
    assert text.startswith(named), text
    if option == "index-url" and "index-url" in keys:
        key = "index-url"  # a different index than the policy's
    elif "://" not in value:
        key = "find-links"  # local folders must be listed there
    else:
        key = keys[0]  # the first source key the policy sets: its hosts are the allowed ones
    assert f"org policy {policy} ({key})" in text, text
    assert "\n" not in text


@pytest.mark.parametrize("keys", POLICIES, ids="+".join)
def test_no_index_set_is_a_case_of_its_own(keys: tuple[str, ...], folders: dict[str, Path]) -> None:
    """No layer sets an index: the installer's own default index is not a source the policy named."""
    from virtualenv.run import session_via_cli

    from virtualenv_ready.config import resolve

    policy = write_policy(folders["project"].parent / "policy.toml", keys, folders["listed"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUALENV_READY_")}
    env["VIRTUALENV_READY_POLICY"] = str(policy)
    options = session_via_cli([str(folders["project"] / "venv"), "--seeder", "ready"], setup_logging=False, env=env)
    if "index-url" in keys:  # the policy's index is the index
        config = resolve(options.seeder._options, cwd=folders["project"], env=env)
        assert (config.index_url, config.no_index) == (f"https://{ALLOWED}/simple", False)
    elif "find-links" in keys and "extra-index-urls" not in keys:  # only the listed folders
        config = resolve(options.seeder._options, cwd=folders["project"], env=env)
        assert (config.index_url, config.no_index) == (None, True)
        assert config.origin["ready_no_index"] == f"org policy {policy} ({keys[0]})"
    else:  # an extra index, or hosts but no source at all: say so rather than fall back to a default
        with pytest.raises(ReadyError, match=r"^no index is set, so the installer would use its own default index"):
            resolve(options.seeder._options, cwd=folders["project"], env=env)


def test_find_links_only_policy_means_only_these_end_to_end(
    project: Path, wheelhouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from virtualenv import cli_run

    policy = write_policy(tmp_path / "policy.toml", ("find-links",), wheelhouse)
    monkeypatch.setenv("VIRTUALENV_READY_POLICY", str(policy))
    (project / "requirements.txt").write_text("beta\n")
    venv = tmp_path / "venv"
    # no --ready-no-index and no --ready-find-links: the policy alone says where packages come from, offline
    cli_run([str(venv), "--seeder", "ready", "--activators", ""], setup_logging=False)
    assert {"alpha", "beta"} <= set(installed(venv))
    assert "no-index = true" in (venv / ("pip.ini" if os.name == "nt" else "pip.conf")).read_text()

    monkeypatch.setenv("VIRTUALENV_READY_INDEX_URL", "https://evil.invalid/simple")
    with pytest.raises(
        ReadyError,
        match=r"^env var VIRTUALENV_READY_INDEX_URL: --ready-index-url https://evil.invalid/simple is refused by "
        r"the org policy .* \(find-links\): the policy allows no host; remove it$",
    ):
        cli_run([str(tmp_path / "v2"), "--seeder", "ready", "--activators", ""], setup_logging=False)
