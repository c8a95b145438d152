"""The record: its file round trip (schema 1, key for key), a corrupt or foreign file, and the freshness answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from virtualenv_ready import record
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.record import COMPLETE, INCOMPLETE, Record, Today, differences, unchanged

WRITTEN = {
    "schema": 1,
    "tool": "virtualenv-ready 0.0",
    "status": "complete",
    "project": "/p",
    "python": "bin/python",
    "bin_dir": "bin",
    "options": {"installer": "auto", "groups": None},
    "summary": "requirements.txt",
    "fingerprint": "f" * 64,
    "inputs": {"/p/requirements.txt": "a" * 64},
    "candidates": ["requirements.txt"],
    "installer": None,
    "commands": [["uv", "pip", "install"]],
    "installed": {"alpha": "1.0"},
    "durations": {"plan": 0.1},
    "seed": {"pip": None, "download": False},
    "seed_via": "uv",
    "seed_commands": [],
    "updated": "2024-01-01T00:00:00+00:00",
    "later": {"kept": True},
}


def _fresh() -> Record:
    return Record.from_dict(WRITTEN)


def _today(**changes: object) -> Today:
    values: dict[str, object] = {
        "options": {"installer": "auto", "groups": None},
        "candidates": ("requirements.txt",),
        "digests": {"/p/requirements.txt": "a" * 64},
        "installed": {"alpha": "1.0"},
    }
    values.update(changes)
    return Today(**values)  # type: ignore[arg-type]


def test_round_trip_keeps_every_key_in_order(tmp_path: Path) -> None:
    record.write(tmp_path, _fresh())
    data = json.loads((tmp_path / record.NAME).read_text(encoding="utf-8"))
    assert list(data) == [*WRITTEN, "mac"]
    assert {k: v for k, v in data.items() if k not in {"tool", "updated", "mac"}} == {
        k: v for k, v in WRITTEN.items() if k not in {"tool", "updated"}
    }
    again = record.read(tmp_path)
    assert again is not None
    assert again.commands == (("uv", "pip", "install"),)
    assert again.extra == {"later": {"kept": True}}
    assert (tmp_path / record.NAME).read_text(encoding="utf-8").endswith("}\n")


def test_absent_keys_stay_absent(tmp_path: Path) -> None:
    record.update(tmp_path, status=INCOMPLETE, project="/p", options={})
    data = json.loads((tmp_path / record.NAME).read_text(encoding="utf-8"))
    assert list(data) == ["schema", "tool", "status", "project", "options", "updated", "mac"]
    record.mark_incomplete(tmp_path, "https://u:secret@idx.invalid/simple failed")
    data = json.loads((tmp_path / record.NAME).read_text(encoding="utf-8"))
    assert data["error"] == "https://****@idx.invalid/simple failed"
    assert data["project"] == "/p"


def test_a_missing_record_is_none(tmp_path: Path) -> None:
    assert record.read(tmp_path) is None


@pytest.mark.parametrize(("text", "why"), [("{not json", "unreadable record"), ('{"schema": 7}', "schema 7 is not 1")])
def test_a_corrupt_or_foreign_record_names_the_fix(tmp_path: Path, text: str, why: str) -> None:
    (tmp_path / record.NAME).write_text(text, encoding="utf-8")
    with pytest.raises(ReadyError, match=why):
        record.read(tmp_path)
    assert record.read_or_none(tmp_path) is None


def test_unchanged_when_everything_matches() -> None:
    assert unchanged(_fresh(), _today())


@pytest.mark.parametrize(
    "changes",
    [
        {"options": {"installer": "pip", "groups": None}},
        {"candidates": ("requirements.txt", "pyproject.toml")},
        {"digests": {"/p/requirements.txt": "b" * 64}},
        {"digests": {}},
        {"installed": {"alpha": "2.0"}},
        {"installed": {"alpha": "1.0", "zeta": "1.0"}},
    ],
)
def test_any_change_is_not_unchanged(changes: dict[str, object]) -> None:
    assert not unchanged(_fresh(), _today(**changes))


def test_an_unfinished_record_is_never_unchanged() -> None:
    from dataclasses import replace

    assert not unchanged(replace(_fresh(), status=INCOMPLETE), _today())
    assert not unchanged(replace(_fresh(), fingerprint=None), _today())


def test_differences_say_what_moved() -> None:
    rec = _fresh()
    assert differences(rec, {"/p/requirements.txt": "a" * 64}, "f" * 64, {"alpha": "1.0"}) == []
    found = differences(rec, {"/p/requirements.txt": "b" * 64, "/p/pyproject.toml": "c"}, "g", {})
    assert found == ["changed /p/requirements.txt", "new input /p/pyproject.toml", "alpha 1.0 was removed"]
    assert differences(rec, {"/p/requirements.txt": "a" * 64}, "g", {"alpha": "2.0"}) == [
        "the options or sources changed",
        "alpha is 2.0, the record says 1.0",
    ]
    assert differences(rec, {}, "f" * 64, {"alpha": "1.0"}) == ["input gone: /p/requirements.txt"]


def test_an_incomplete_record_says_why() -> None:
    rec = Record(status=INCOMPLETE, error="boom")
    assert differences(rec, {}, "f", {})[0] == "the last install did not finish (boom)"
    assert Record(status=COMPLETE).complete


def test_seed_request_matches() -> None:
    rec = _fresh()
    assert rec.seeded_as(None)
    assert rec.seeded_as({"pip": None, "download": False})
    assert not rec.seeded_as({"pip": "25.0", "download": False})


# --- signed by this user ---------------------------------------------------------------------------------------


def _written(venv: Path) -> dict[str, object]:
    record.write(venv, _fresh())
    data: dict[str, object] = json.loads((venv / record.NAME).read_text(encoding="utf-8"))
    return data


def test_a_record_this_user_wrote_verifies(tmp_path: Path) -> None:
    data = _written(tmp_path)
    assert isinstance(data["mac"], str)
    assert len(data["mac"]) == 64
    assert record.examine(tmp_path)[1] is None
    assert record.read(tmp_path) is not None


def test_the_key_is_made_on_first_use_with_mode_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import stat
    import sys

    key = tmp_path / "data" / "key"
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(key))
    assert not key.exists()
    _written(tmp_path)
    assert key.stat().st_size == 32
    if sys.platform != "win32":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_an_unsigned_record_is_foreign_and_says_so(tmp_path: Path) -> None:
    data = _written(tmp_path)
    del data["mac"]
    (tmp_path / record.NAME).write_text(json.dumps(data), encoding="utf-8")
    found, why = record.examine(tmp_path)
    assert found is None
    assert why == "its record is not signed by you: treated as an env made elsewhere"
    assert record.read(tmp_path) is None


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.__setitem__("status", "incomplete"),
        lambda d: d.__setitem__("options", {"requirements": ["~/.netrc"], "installer": "pip"}),
        lambda d: d.__setitem__("mac", "0" * 64),
        lambda d: d.__setitem__("mac", None),
        lambda d: d.__setitem__("added", 1),
    ],
)
def test_an_edited_record_is_foreign(tmp_path: Path, edit: object) -> None:
    data = _written(tmp_path)
    edit(data)  # type: ignore[operator]
    (tmp_path / record.NAME).write_text(json.dumps(data), encoding="utf-8")
    found, why = record.examine(tmp_path)
    assert found is None
    assert why is not None
    assert "not written by you" in why


def test_an_edited_byte_is_foreign(tmp_path: Path) -> None:
    _written(tmp_path)
    path = tmp_path / record.NAME
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"alpha": "1.0"', '"alpha": "1.1"'), encoding="utf-8")
    assert record.read(tmp_path) is None


def test_a_record_from_another_users_key_is_foreign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(tmp_path / "one" / "key"))
    _written(tmp_path)
    assert record.read(tmp_path) is not None
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(tmp_path / "two" / "key"))
    assert record.read(tmp_path) is None
    assert not (tmp_path / "two" / "key").exists()  # reading never makes a key


def test_update_never_keeps_what_a_foreign_record_says(tmp_path: Path) -> None:
    data = _written(tmp_path)
    data["options"] = {"requirements": ["~/.netrc"]}
    (tmp_path / record.NAME).write_text(json.dumps(data), encoding="utf-8")
    record.update(tmp_path, status=INCOMPLETE)
    again = record.read(tmp_path)
    assert again is not None
    assert again.options is None
    assert again.installed is None


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="POSIX modes and owners")
@pytest.mark.parametrize(("mode", "why"), [(0o644, "has mode 0o644; run `chmod 600"), (0o640, "has mode 0o640")])
def test_a_key_others_can_read_is_an_error_naming_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int, why: str
) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"k" * 32)
    key.chmod(mode)
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(key))
    with pytest.raises(ReadyError, match=why.replace("(", r"\(")):
        record.write(tmp_path, _fresh())


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="symlinks need privileges")
def test_a_key_that_is_a_symlink_is_never_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere"
    target.write_bytes(b"k" * 32)
    target.chmod(0o600)
    key = tmp_path / "key"
    key.symlink_to(target)
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(key))
    with pytest.raises(ReadyError, match="cannot read the key"):
        record.write(tmp_path, _fresh())
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "planted")
    monkeypatch.setenv("VIRTUALENV_READY_RECORD_KEY", str(dangling))
    with pytest.raises(ReadyError):
        record.write(tmp_path, _fresh())
    assert not (tmp_path / "planted").exists()  # nothing written through the link


def test_activation_keys_a_creation_states_a_sync_keeps() -> None:
    from virtualenv_ready.record import activation_keys

    made = {"activators": ["bash"], "prompt": None}
    assert activation_keys(None, made) == {"activation": made, "scripts": None}  # virtualenv writes them after
    known = Record(activation=made, scripts=("bin/activate",))
    assert activation_keys(known, None) == {"activation": made, "scripts": ("bin/activate",)}
    assert activation_keys(known, made) == {"activation": made, "scripts": None}  # made again: not yet confirmed
    assert activation_keys(None, None) == {}
    again = Record.from_dict({"schema": 1, "scripts": ["bin/activate"], "activation": made})
    assert again.scripts == ("bin/activate",)
    assert again.to_dict()["scripts"] == ("bin/activate",)
