"""The project table is parsed once per pyproject.toml content, and a memo that is not the user's is no memo."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from virtualenv_ready import tablememo, userkey
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.files import load_toml

if TYPE_CHECKING:
    from pathlib import Path

TEXT = '[project]\nname = "p"\n\n[tool.virtualenv-ready]\ngroups = ["dev"]\nno-lock = true\n'


@pytest.fixture
def pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "data" / "record-key"))
    userkey.sign(b"")  # this user has a key
    path = tmp_path / "proj" / "pyproject.toml"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    real = tablememo.parse_toml

    def counting(path: Path, data: bytes) -> dict[str, Any]:
        seen.append(path)
        return real(path, data)

    monkeypatch.setattr(tablememo, "parse_toml", counting)
    return seen


def test_the_same_content_is_parsed_once(pyproject: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _parses(monkeypatch)
    expected = load_toml(pyproject)["tool"]["virtualenv-ready"]
    assert tablememo.tool_table(pyproject) == expected
    assert tablememo.tool_table(pyproject) == expected
    assert len(seen) == 1
    pyproject.write_text(TEXT.replace('"dev"', '"test"'), encoding="utf-8")
    assert tablememo.tool_table(pyproject) == {"groups": ["test"], "no-lock": True}
    assert len(seen) == 2


def test_no_table_no_file(pyproject: Path) -> None:
    pyproject.write_text('[project]\nname = "p"\n', encoding="utf-8")
    assert tablememo.tool_table(pyproject) == {}
    assert tablememo.tool_table(pyproject) == {}
    assert tablememo.tool_table(pyproject.parent / "nothing.toml") is None


def test_a_memo_not_signed_by_the_user_is_ignored(pyproject: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tablememo.tool_table(pyproject)
    memo = json.loads(tablememo.memo_path().read_text(encoding="utf-8"))
    for digest in memo["entries"]:
        memo["entries"][digest] = {"groups": ["evil"]}
    tablememo.memo_path().write_text(json.dumps(memo), encoding="utf-8")
    seen = _parses(monkeypatch)
    assert tablememo.tool_table(pyproject) == {"groups": ["dev"], "no-lock": True}
    assert len(seen) == 1


def test_invalid_toml_is_the_parsers_error_and_is_not_kept(pyproject: Path) -> None:
    pyproject.write_text("[tool.virtualenv-ready\n", encoding="utf-8")
    with pytest.raises(ReadyError) as caught:
        tablememo.tool_table(pyproject)
    with pytest.raises(ReadyError) as again:
        load_toml(pyproject)
    assert str(caught.value) == str(again.value)
    assert not tablememo.memo_path().exists()


def test_a_user_without_a_key_gets_no_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "nokey" / "record-key"))
    path = tmp_path / "pyproject.toml"
    path.write_text(TEXT, encoding="utf-8")
    assert tablememo.tool_table(path) == {"groups": ["dev"], "no-lock": True}
    assert not (tmp_path / "nokey").exists()


def test_a_value_json_cannot_hold_is_parsed_each_time(pyproject: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject.write_text("[tool.virtualenv-ready]\nwhen = 2020-01-01\n", encoding="utf-8")
    seen = _parses(monkeypatch)
    first = tablememo.tool_table(pyproject)
    assert first == tablememo.tool_table(pyproject)
    assert len(seen) == 2


def test_the_memo_keeps_the_newest(pyproject: Path) -> None:
    for number in range(tablememo.KEPT + 3):
        pyproject.write_text(f"[tool.virtualenv-ready]\ngroups = ['g{number}']\n", encoding="utf-8")
        tablememo.tool_table(pyproject)
    memo = json.loads(tablememo.memo_path().read_text(encoding="utf-8"))
    assert len(memo["entries"]) == tablememo.KEPT
    assert {"groups": [f"g{tablememo.KEPT + 2}"]} in memo["entries"].values()
    assert {"groups": ["g0"]} not in memo["entries"].values()


def test_a_table_with_a_credential_is_never_copied_out_of_the_project(
    pyproject: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "Zq-table-secret"
    pyproject.write_text(
        f'[tool.virtualenv-ready]\nindex-url = "https://acme:{secret}@index.example/simple/"\n', encoding="utf-8"
    )
    seen = _parses(monkeypatch)
    first = tablememo.tool_table(pyproject)
    assert tablememo.tool_table(pyproject) == first
    assert len(seen) == 2  # parsed each time: nothing kept
    assert not tablememo.memo_path().exists() or secret not in tablememo.memo_path().read_text(encoding="utf-8")
