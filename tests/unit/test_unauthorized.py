"""The one line an index that answers 401 gets, and when the question is asked at all (no sockets here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.installers import unauthorized
from virtualenv_ready.installers.unauthorized import name_unauthorized, unauthorized_message
from virtualenv_ready.model import IndexOptions


def test_the_message_names_the_index_masked_and_the_three_ways() -> None:
    line = unauthorized_message("installing x", "https://me:s3cret@pkgs.acme.test/simple/", sent=True)
    assert "\n" not in line
    assert "s3cret" not in line
    assert line.startswith("installing x failed: the index https://****@pkgs.acme.test/simple/ answered 401")
    assert "to the credentials given" in line
    assert "netrc entry for pkgs.acme.test" in line
    assert "PIP_KEYRING_PROVIDER=subprocess" in line
    assert line.endswith("(VIRTUALENV_READY_INDEX_URL=https://USER:TOKEN@pkgs.acme.test/simple/)")
    assert "to the credentials given" not in unauthorized_message("x", "https://pkgs.acme.test/", sent=False)


@pytest.mark.parametrize(
    ("index", "env", "asked"),
    [
        (IndexOptions(index_url="https://a.test/simple"), {}, ["https://a.test/simple"]),
        (
            IndexOptions(index_url="https://a.test/simple", extra_index_urls=("http://b.test/",)),
            {},
            ["https://a.test/simple", "http://b.test/"],
        ),
        (IndexOptions(index_url="https://a.test/simple", no_index=True), {}, []),
        (IndexOptions(find_links=("/wheels",)), {}, []),
        (IndexOptions(index_url="https://a.test/simple"), {"UV_KEYRING_PROVIDER": "subprocess"}, []),
        (
            IndexOptions(index_url="https://a.test/simple"),
            {"PIP_KEYRING_PROVIDER": "disabled"},
            ["https://a.test/simple"],
        ),
    ],
)
def test_which_indexes_are_asked(
    index: IndexOptions, env: dict[str, str], asked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def probe(url: str, env: object) -> bool | None:
        seen.append(url)
        return False if url == "http://b.test/" else None

    monkeypatch.setattr(unauthorized, "answers_401", probe)
    failure = ReadyError("installing failed")
    if "http://b.test/" in asked:
        with pytest.raises(ReadyError, match=r"the index http://b.test/ answered 401") as info:
            name_unauthorized(index, env, "installing", failure)
        assert info.value.__cause__ is failure
    else:
        name_unauthorized(index, env, "installing", failure)
    assert seen == asked


def test_netrc_is_read_as_the_installers_read_it(tmp_path: Path) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine pkgs.acme.test login me password s3cret\n", encoding="utf-8")
    netrc.chmod(0o600)
    assert unauthorized._netrc_entry("pkgs.acme.test", {"HOME": str(tmp_path)}) == ("me", "s3cret")
    assert unauthorized._netrc_entry("other.test", {"NETRC": str(netrc)}) is None
    assert unauthorized._netrc_entry("pkgs.acme.test", {"NETRC": str(tmp_path / "missing")}) is None


def test_the_hint_survives_the_masking_every_error_line_gets() -> None:
    """Errors are masked once more when shown: the placeholder stays readable, real user-info never does."""
    from virtualenv_ready.errors import ReadyError, error_line

    line = error_line(ReadyError(unauthorized_message("x", "https://me:s3cret@pkgs.acme.test/simple/", sent=True)))
    assert "VIRTUALENV_READY_INDEX_URL=https://USER:TOKEN@pkgs.acme.test/simple/" in line
    assert "s3cret" not in line
    assert "https://****@pkgs.acme.test/simple/ answered 401" in line
