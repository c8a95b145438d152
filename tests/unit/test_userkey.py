"""The record key's HMAC and folder, computed without hmac/hashlib/platformdirs, equal theirs."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import pytest

from virtualenv_ready import userkey


@pytest.mark.parametrize("size", [0, 1, 32, 64, 65, 200])
@pytest.mark.parametrize("payload", [b"", b"{}", os.urandom(1000)])
def test_the_hmac_is_hmac_sha256(size: int, payload: bytes) -> None:
    key = os.urandom(size)
    assert userkey.hmac_sha256(key, payload) == hmac.new(key, payload, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/someone"},
        {"HOME": "/home/someone", "XDG_DATA_HOME": "/data/here/"},
        {"HOME": "/home/someone", "XDG_DATA_HOME": "relative"},
        {"HOME": "/home/someone", "XDG_DATA_HOME": "  "},
        {"HOME": "relative"},
    ],
)
def test_the_key_folder_is_platformdirs(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_dir

    for name in ("HOME", "XDG_DATA_HOME", userkey.KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = userkey._linux_data_dir()
    if found is not None:
        assert found == Path(user_data_dir("virtualenv-ready", appauthor=False))
    assert userkey.key_path() == Path(user_data_dir("virtualenv-ready", appauthor=False)) / "record-key"


def test_a_mac_of_another_key_or_no_mac_does_not_verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "key"))
    mac = userkey.sign(b"payload")
    assert userkey.verify(b"payload", mac)
    assert not userkey.verify(b"payload!", mac)
    assert not userkey.verify(b"payload", mac.upper())
    assert not userkey.verify(b"payload", "\u00e9" + mac[1:])
    assert not userkey.verify(b"payload", None)
