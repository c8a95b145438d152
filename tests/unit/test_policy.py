"""``policy``: loading the admin's file and applying it on top of the user's config (pure, no env created)."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.model import Policy, ReadyConfig
from virtualenv_ready.policy import ENV_VAR, check_source, enforce, load_policy, policy_path

INDEX = "https://pypi.internal/simple"


def config(**values: object) -> ReadyConfig:
    return ReadyConfig(project=Path("/p"), **values)  # type: ignore[arg-type]


def policy(**values: object) -> Policy:
    return Policy(path=Path("/etc/policy.toml"), **values)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return {ENV_VAR: str(path)}


# --- loading -------------------------------------------------------------------------------------------------------


def test_the_env_var_names_the_file(tmp_path: Path) -> None:
    assert policy_path({ENV_VAR: str(tmp_path / "p.toml")}) == (tmp_path / "p.toml", f"env var {ENV_VAR}")
    path, why = policy_path({})
    assert (path is not None and path.name, why) == ("policy.toml", "site config dir")


def test_a_policy_named_by_the_env_var_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ReadyError, match=rf"^{ENV_VAR}=.*missing.toml: no such policy file; fix the path or unset"):
        load_policy({ENV_VAR: str(tmp_path / "missing.toml")})


def test_every_kind_of_key_is_read(tmp_path: Path) -> None:
    env = write(
        tmp_path,
        f'index-url = "{INDEX}"\nfind-links = ["/wheels"]\nrequire-hashes = true\ntrust = "never"\n'
        'mandatory = ["pre-commit"]\n',
    )
    found = load_policy(env)
    assert found is not None
    assert (found.index_url, found.find_links, found.require_hashes, found.trust, found.mandatory) == (
        INDEX,
        ("/wheels",),
        True,
        "never",
        ("pre-commit",),
    )
    assert found.raw["trust"] == "never"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('index_url = "x"\n', r"unknown policy key 'index_url'; valid keys: index-url, "),
        ('find-links = "/wheels"\n', r"find-links must be a list of strings$"),
        ("constraints = [1]\n", r"constraints must be a list of strings$"),
        ('require-hashes = "yes"\n', r"require-hashes must be true or false$"),
        ("installer = 3\n", r"installer must be a string$"),
        ('trust = "sometimes"\n', r"trust must be one of always, ask, never$"),
    ],
)
def test_a_bad_key_names_the_file_and_the_rule(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(ReadyError, match=rf"^{tmp_path / 'policy.toml'}: {error}"):
        load_policy(write(tmp_path, text))


# --- one source value --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "what", "value", "refused"),
    [
        ({"index_url": INDEX}, "--index-url", INDEX + "/", None),
        ({"index_url": INDEX}, "--ready-index-url", INDEX.replace("://", "://me:t0ken@"), None),  # credentials aside
        ({"index_url": INDEX}, "--ready-index-url", INDEX.replace("://", "://me@") + "/other", "remove it to use"),
        ({"index_url": INDEX}, "--ready-index-url", "https://evil.invalid/simple", f"remove it to use {INDEX}"),
        ({"index_url": INDEX}, "--extra-index-url", "https://pypi.internal/more", None),
        ({"index_url": INDEX}, "--extra-index-url", "https://evil.invalid/x", "its host is not one of pypi.internal"),
        ({"allowed_index_hosts": ("a.internal",)}, "--trusted-host", "A.internal:8080", None),
        ({"allowed_index_hosts": ("a.internal",)}, "--trusted-host", "b.internal", r"\(allowed-index-hosts\)$"),
        ({"allowed_index_hosts": ()}, "--index-url", "https://any.invalid/simple", None),  # no source key: open
        ({"find_links": ("/wheels",)}, "-f", "/wheels", None),
        ({"find_links": ("/wheels",)}, "-f", "/elsewhere", "local sources must be listed there$"),
        ({"find_links": ("/wheels",)}, "-f", "https://x.invalid/", "the policy allows no host; remove it$"),
        # a policy URL with a port allows that port only, as the policy proxy does: another server on the same host
        # (an attacker's index on another port) is refused here, not only at the proxy
        ({"index_url": "http://127.0.0.1:3141/acme/prod"}, "--extra-index-url", "http://127.0.0.1:3141/acme/b", None),
        ({"index_url": "http://127.0.0.1:3141/acme/prod"}, "-f", "http://127.0.0.1:4000/x", "127.0.0.1:3141; remove"),
        ({"index_url": INDEX}, "--extra-index-url", "https://pypi.internal:8443/more", None),  # a bare host: any port
        ({"allowed_index_hosts": ("a.internal:8080",)}, "-f", "https://a.internal:8080/w", None),
        ({"allowed_index_hosts": ("a.internal:8080",)}, "-f", "https://a.internal/w", "a.internal:8080; remove it$"),
        ({"allowed_index_hosts": ("a.internal",)}, "-f", "https://a.internal:99999/w", "a.internal; remove it$"),
    ],
)
def test_check_source(rules: dict[str, object], what: str, value: str, refused: str | None) -> None:
    if refused is None:
        check_source(policy(**rules), what, value, "requirements.txt:1")
        return
    with pytest.raises(ReadyError, match=rf"^requirements.txt:1: {what} .*is refused by the org policy .*{refused}"):
        check_source(policy(**rules), what, value, "requirements.txt:1")


def test_credentials_in_a_refused_url_are_not_shown() -> None:
    with pytest.raises(ReadyError) as info:
        check_source(policy(index_url=INDEX), "--index-url", "https://user:s3cret@evil.invalid/simple", "cli")
    assert "s3cret" not in str(info.value)


# --- the whole config --------------------------------------------------------------------------------------------


def test_no_policy_changes_nothing() -> None:
    given = config(index_url="https://anything.invalid/simple")
    assert enforce(given, None) is given


def test_the_policy_index_replaces_a_missing_one_and_says_where_it_came_from() -> None:
    enforced = enforce(config(), policy(index_url=INDEX))
    assert enforced.index_url == INDEX
    assert enforced.origin["ready_index_url"] == "org policy /etc/policy.toml (index-url)"
    assert enforced.policy is not None


def test_the_users_copy_of_the_policy_index_keeps_its_credentials() -> None:
    mine = INDEX.replace("://", "://me:t0ken@")
    enforced = enforce(config(index_url=mine, origin={"ready_index_url": "env var X"}), policy(index_url=INDEX))
    assert enforced.index_url == mine
    assert enforced.origin["ready_index_url"] == "env var X"
    plain = enforce(config(index_url=INDEX + "/", origin={"ready_index_url": "env var X"}), policy(index_url=INDEX))
    assert plain.index_url == INDEX  # no credentials: the policy's own spelling


def test_a_foreign_index_names_the_layer_that_set_it() -> None:
    given = config(index_url="https://evil.invalid/simple", origin={"ready_index_url": "env var X"})
    with pytest.raises(ReadyError, match=r"^env var X: --ready-index-url https://evil.invalid/simple is refused"):
        enforce(given, policy(index_url=INDEX))


def test_lists_are_the_policy_first_then_the_user_without_repeats() -> None:
    rules = policy(
        index_url=INDEX,
        extra_index_urls=("https://pypi.internal/a",),
        constraints=("/org/c.txt",),
        mandatory=("pre-commit",),
    )
    given = config(
        extra_index_urls=("https://pypi.internal/b", "https://pypi.internal/a"),
        constraints=("c.txt",),
        mandatory=("pre-commit", "ruff"),
    )
    enforced = enforce(given, rules)
    assert enforced.extra_index_urls == ("https://pypi.internal/a", "https://pypi.internal/b")
    assert enforced.constraints == ("/org/c.txt", "c.txt")
    assert enforced.mandatory == ("pre-commit", "ruff")
    assert enforced.origin["ready_constraint"] == "org policy /etc/policy.toml (constraints)"


@pytest.mark.parametrize(
    ("rules", "no_index"),
    [
        ({"find_links": ("/wheels",)}, True),  # only listed folders: no index at all
        ({"allowed_index_hosts": ("a.internal",)}, None),  # hosts but no source: refused
        ({"find_links": ("/wheels",), "extra_index_urls": ("https://a.internal/x",)}, None),
    ],
)
def test_no_index_set_under_a_source_policy(rules: dict[str, object], no_index: bool | None) -> None:
    if no_index is None:
        with pytest.raises(ReadyError, match=r"^no index is set, so the installer would use its own default index"):
            enforce(config(), policy(**rules))
        return
    enforced = enforce(config(), policy(**rules))
    assert enforced.no_index is no_index
    assert enforced.origin["ready_no_index"] == "org policy /etc/policy.toml (find-links)"
    assert enforce(config(no_index=True), policy(**rules)).no_index  # the user's own --ready-no-index stands


def test_the_policy_installer_wins_over_auto_and_refuses_another() -> None:
    assert enforce(config(), policy(installer="pip")).installer == "pip"
    assert enforce(config(installer="pip"), policy(installer="pip")).installer == "pip"
    with pytest.raises(ReadyError, match=r"--ready-installer uv is refused by the .* which requires pip$"):
        enforce(config(installer="uv"), policy(installer="pip"))


def test_the_policy_can_only_tighten_binaries_and_hashes() -> None:
    enforced = enforce(config(only_binary=("numpy",)), policy(allow_sdists=False, require_hashes=True))
    assert enforced.only_binary == ("numpy", ":all:")
    assert enforced.require_hashes is True
    assert enforced.origin["ready_only_binary"] == "org policy /etc/policy.toml (allow-sdists)"
    loose = enforce(config(require_hashes=True), policy(allow_sdists=True, require_hashes=False))
    assert (loose.only_binary, loose.require_hashes) == ((), True)  # the user's stricter choice stands
