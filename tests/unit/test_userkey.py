"""The record key's HMAC, computed without hmac/hashlib, equals theirs; the key's folder."""

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


def test_the_key_is_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_dir

    monkeypatch.delenv(userkey.KEY_ENV, raising=False)
    assert userkey.key_path() == Path(user_data_dir("virtualenv-ready", appauthor=False)) / "record-key"


def test_a_mac_of_another_key_or_no_mac_does_not_verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "key"))
    mac = userkey.sign(b"payload")
    assert userkey.verify(b"payload", mac)
    assert not userkey.verify(b"payload!", mac)
    assert not userkey.verify(b"payload", mac.upper())
    assert not userkey.verify(b"payload", "\u00e9" + mac[1:])
    assert not userkey.verify(b"payload", None)
