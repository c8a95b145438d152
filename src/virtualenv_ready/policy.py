"""The org policy file: admin-owned settings that beat every other layer and refuse what would weaken them."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ReadyError
from .model import SOURCE_KEYS, Policy
from .redact import redact
from .valuetypes import replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cost on every no-op sync)
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from .model import ReadyConfig
    from .options import Origin

ENV_VAR = "VIRTUALENV_READY_POLICY"
TRUST_RULES = ("always", "ask", "never")
_LIST_KEYS = ("extra-index-urls", "allowed-index-hosts", "find-links", "constraints", "only-binary", "mandatory")
_STR_KEYS = ("index-url", "installer", "trust")
_BOOL_KEYS = ("require-hashes", "allow-sdists", "allow-project-sources")
KEYS = _STR_KEYS + _LIST_KEYS + _BOOL_KEYS


def policy_path(env: Mapping[str, str] | None = None) -> tuple[Path | None, str]:
    """Where the policy is read from and why: the env var, else the platform's site config dir."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]), f"env var {ENV_VAR}"
    from .userdirs import site_config_dir

    if os.name == "nt":
        base = Path(env.get("PROGRAMDATA", r"C:\ProgramData")) / "virtualenv-ready"
    else:
        base = Path(site_config_dir("virtualenv-ready"))
    return base / "policy.toml", "site config dir"


def load_policy(env: Mapping[str, str] | None = None) -> Policy | None:
    """The policy in force, or ``None``; a policy named by the env var must exist (fail closed)."""
    path, why = policy_path(env)
    if path is None:
        return None
    if not path.is_file():
        if why.startswith("env var"):
            msg = f"{ENV_VAR}={path}: no such policy file; fix the path or unset the variable"
            raise ReadyError(msg)
        return None
    from .files import load_toml

    data = load_toml(path)
    values: dict[str, Any] = {}
    for key, given in data.items():
        value = given
        if key not in KEYS:
            msg = f"{path}: unknown policy key {key!r}; valid keys: {', '.join(KEYS)}"
            raise ReadyError(msg)
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                msg = f"{path}: {key} must be a list of strings"
                raise ReadyError(msg)
            value = tuple(value)
        elif key in _BOOL_KEYS and not isinstance(value, bool):
            msg = f"{path}: {key} must be true or false"
            raise ReadyError(msg)
        elif key in _STR_KEYS and not isinstance(value, str):
            msg = f"{path}: {key} must be a string"
            raise ReadyError(msg)
        values[key.replace("-", "_")] = value
    if values.get("trust") not in (None, *TRUST_RULES):
        msg = f"{path}: trust must be one of {', '.join(TRUST_RULES)}"
        raise ReadyError(msg)
    return Policy(path=path, raw=data, **values)


def _is_url(value: str) -> bool:
    return "://" in value


def same_index(given: str, policy_url: str) -> bool:
    """Whether ``given`` is the policy's index, credentials aside: a user gives theirs in the URL (from an env var)."""
    from urllib.parse import urlsplit, urlunsplit

    def bare(url: str) -> str:
        try:
            parts = urlsplit(url)
        except ValueError:
            return url
        return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])).rstrip("/")

    return bare(given) == bare(policy_url)


def check_source(policy: Policy, what: str, value: str, origin: str) -> None:
    """Refuse one index, extra index, find-links or trusted-host value the policy does not allow.

    ``what`` is the option as the user wrote it (``--ready-index-url``, or ``--index-url`` in a requirements file).
    """
    if what in {"--index-url", "--ready-index-url"} and policy.index_url:
        if not same_index(value, policy.index_url):
            msg = (
                f"{origin}: {what} {redact(value)} is refused by the {policy.where('index-url')}; "
                f"remove it to use {redact(policy.index_url)}"
            )
            raise ReadyError(msg)
        return
    if not policy.restricts_sources:
        return  # no endpoint is refused (``allowance`` says so too; its module is not loaded for it)
    from .endpoints import allowance, named_endpoint, url_endpoint

    allowed = allowance(policy)
    if allowed is None:
        return
    hosts = allowed.hosts | {endpoint.host for endpoint in allowed.endpoints}
    if what == "--trusted-host":
        if named_endpoint(value)[0] not in hosts:
            msg = f"{origin}: --trusted-host {value} is refused by the {policy.where('allowed-index-hosts')}"
            raise ReadyError(msg)
        return
    if _is_url(value):
        endpoint = url_endpoint(value)
        if endpoint is not None and allowed.permits(endpoint):
            return
        names = sorted(allowed.hosts) + sorted(str(e) for e in allowed.endpoints)
        why = f"its host is not one of {', '.join(names)}" if names else "the policy allows no host"
        where = policy.where(str(policy.source_key))
        msg = f"{origin}: {what} {redact(value)} is refused by the {where}: {why}; remove it"
        raise ReadyError(msg)
    listed = {str(Path(p).absolute()) for p in policy.find_links if not _is_url(p)}
    if str(Path(value).absolute()) in listed:
        return
    msg = f"{origin}: {what} {value} is refused by the {policy.where('find-links')}: local sources must be listed there"
    raise ReadyError(msg)


def enforce(config: ReadyConfig, policy: Policy | None) -> ReadyConfig:
    """The config with the policy applied; anything that would weaken it is refused naming file and key."""
    if policy is None:
        return config
    origin = dict(config.origin)
    sources = _enforce_sources(config, policy, origin)
    installer = _enforce_installer(config, policy, origin)
    only_binary = _union(config.only_binary, policy.only_binary)
    if policy.allow_sdists is False:
        only_binary = _union(only_binary, [":all:"])
        origin["ready_only_binary"] = _by(policy, "allow-sdists")
    require_hashes = config.require_hashes or bool(policy.require_hashes)
    if policy.require_hashes:
        origin["ready_require_hashes"] = _by(policy, "require-hashes")
    if policy.constraints:
        origin["ready_constraint"] = _by(policy, "constraints")
    return replace(
        config,
        **sources,
        constraints=_union(policy.constraints, config.constraints),
        only_binary=only_binary,
        require_hashes=require_hashes,
        installer=installer,
        mandatory=_union(policy.mandatory, config.mandatory),
        policy=policy,
        origin=origin,
    )


def _by(policy: Policy, key: str) -> Origin:
    """The origin of a value the policy set: its file and key."""
    from .options import Origin

    return Origin("policy", policy.where(key))


def _said(origin: Mapping[str, object], dest: str) -> str:
    """Where the user's value of an option came from, for a refusal's message."""
    return str(origin.get(dest, "options"))


def _enforce_sources(config: ReadyConfig, policy: Policy, origin: dict[str, Origin]) -> dict[str, Any]:
    """Index, extra indexes, find-links and no-index with the policy applied (``origin`` updated in place)."""
    index_url = config.index_url
    if policy.index_url:
        if index_url:
            check_source(policy, "--ready-index-url", index_url, _said(origin, "ready_index_url"))
        if not index_url or "@" not in index_url.partition("://")[2].partition("/")[0]:
            index_url = policy.index_url  # the user's own copy is kept only for the credentials it carries
            origin["ready_index_url"] = _by(policy, "index-url")
    elif index_url:
        check_source(policy, "--ready-index-url", index_url, _said(origin, "ready_index_url"))
    for url in config.extra_index_urls:
        check_source(policy, "--ready-extra-index-url", url, _said(origin, "ready_extra_index_url"))
    for link in config.find_links:
        check_source(policy, "--ready-find-links", link, _said(origin, "ready_find_links"))
    extra_index_urls = _union(policy.extra_index_urls, config.extra_index_urls)
    find_links = _union(policy.find_links, config.find_links)
    # a list the policy extends keeps the user's origin (messages name it); one only the policy fills is the policy's
    for dest, key, mine in (
        ("ready_extra_index_url", "extra-index-urls", config.extra_index_urls),
        ("ready_find_links", "find-links", config.find_links),
        ("ready_only_binary", "only-binary", config.only_binary),
    ):
        if getattr(policy, key.replace("-", "_")) and not mine:
            origin[dest] = _by(policy, key)
    no_index = config.no_index
    if policy.restricts_sources and not index_url and not no_index:
        # No index set: the installer would add its own default one, which the policy did not name.
        where = policy.where(str(policy.source_key))
        if extra_index_urls or not find_links:
            msg = (
                f"no index is set, so the installer would use its own default index, which the {where} does not "
                "name; set index-url in the policy, or pass --ready-index-url or --ready-no-index"
            )
            raise ReadyError(msg)
        no_index = True  # only the find-links: what an admin who lists only those means
        origin["ready_no_index"] = _by(policy, str(policy.source_key))
    return {
        "index_url": index_url,
        "extra_index_urls": extra_index_urls,
        "find_links": find_links,
        "no_index": no_index,
    }


def _enforce_installer(config: ReadyConfig, policy: Policy, origin: dict[str, Origin]) -> str:
    """The installer the policy requires; another one asked for is refused (``auto`` gives way)."""
    installer = config.installer
    if policy.installer:
        if installer not in ("auto", policy.installer):
            msg = (
                f"{_said(origin, 'ready_installer')}: --ready-installer {installer} is refused by the "
                f"{policy.where('installer')}, which requires {policy.installer}"
            )
            raise ReadyError(msg)
        installer = policy.installer
        origin["ready_installer"] = _by(policy, "installer")
    return installer


def _union(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*first, *second]))


__all__ = [
    "ENV_VAR",
    "KEYS",
    "SOURCE_KEYS",
    "Policy",
    "check_source",
    "enforce",
    "load_policy",
    "policy_path",
    "same_index",
]
