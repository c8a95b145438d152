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
    assert list(data) == list(WRITTEN)
    assert {k: v for k, v in data.items() if k not in {"tool", "updated"}} == {
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
    assert list(data) == ["schema", "tool", "status", "project", "options", "updated"]
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
