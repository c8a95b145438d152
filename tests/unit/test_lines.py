"""``lines``: the one validation every line handed to an installer goes through, fed hostile strings."""

from __future__ import annotations

import stat
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.lines import carry, check_line, editable_line, requirement_line, write_private
from virtualenv_ready.reqfile import read_tree

if TYPE_CHECKING:
    from pathlib import Path

HOSTILE = [
    "alpha\n--index-url http://evil.invalid/simple",
    "alpha\r--find-links http://evil.invalid",
    "alpha\x0b--extra-index-url http://evil.invalid",
    "alpha\x85-i http://evil.invalid",
    "alpha\u2028-f http://evil.invalid",
    "alpha --index-url http://evil.invalid",
    "--index-url=http://evil.invalid",
    "-r /etc/passwd",
    "alpha # comment",
    "# only a comment",
    "alpha \\",
    "alpha @ http://host.invalid/${HOME}/x.whl",
    "alpha\x1b]52;c;aGk=\x07",
    "alpha\x00",
    "alpha\t-i http://evil.invalid",
    "",
    "   ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_are_refused_with_where_they_came_from(text: str) -> None:
    with pytest.raises(ReadyError, match=r"^pylock\.toml: packages\[3\]: ") as info:
        requirement_line(text, "pylock.toml: packages[3]")
    assert "\n" not in str(info.value)
    assert "\x1b" not in str(info.value)
    with pytest.raises(ReadyError):
        check_line(text)


@given(st.text(alphabet=st.characters(categories=["Cc", "Zl", "Zp"]), min_size=1), st.text(max_size=5))
def test_any_control_character_or_line_break_is_refused(bad: str, tail: str) -> None:
    with pytest.raises(ReadyError):
        check_line(f"alpha{bad}{tail}")


@given(
    st.sampled_from(["alpha", "beta>=1", "gamma[x]==2; python_version > '3'"]),
    st.lists(st.from_regex(r"[0-9a-f]{8}", fullmatch=True), max_size=3),
)
def test_parsed_requirements_are_re_serialised_with_their_hashes(text: str, hashes: list[str]) -> None:
    line = requirement_line(text, "here", [f"sha256:{h}" for h in hashes])
    assert line.split(" --hash=")[1:] == [f"sha256:{h}" for h in hashes]
    assert check_line(line) == line


def test_a_hash_value_must_be_a_hash() -> None:
    with pytest.raises(ReadyError, match="here"):
        requirement_line("alpha", "here", ["sha256:00 --index-url http://evil.invalid"])


def test_paths_are_made_absolute_against_their_base(tmp_path: Path) -> None:
    assert requirement_line("./w/a-1-py3-none-any.whl", "here", base=tmp_path) == f"{tmp_path}/w/a-1-py3-none-any.whl"
    assert editable_line("./lib[x]", "here", tmp_path) == f"{tmp_path}/lib[x]"
    assert editable_line("git+https://h.invalid/r.git#egg=r", "here", tmp_path) == "git+https://h.invalid/r.git#egg=r"


def test_written_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    path = write_private(folder / "step0.txt", ["alpha", "beta>=1 --hash=sha256:00ff"])
    assert path.read_text() == "alpha\nbeta>=1 --hash=sha256:00ff\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_private(path, ["gamma"])  # a retry writes a fresh file
    assert path.read_text() == "gamma\n"
    with pytest.raises(ReadyError):
        write_private(folder / "bad.txt", ["alpha\n-i http://evil.invalid"])


def test_an_open_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o755)
    with pytest.raises(ReadyError, match="a temporary folder others can open"):
        write_private(folder / "step0.txt", ["alpha"])


def test_options_a_file_carries_go_on_the_command_line_others_are_refused(tmp_path: Path) -> None:
    (tmp_path / "links").mkdir()
    path = tmp_path / "r.txt"
    path.write_text("alpha --hash=sha256:aa\n--index-url=https://idx.invalid/simple\n-f links\n--no-index\n-e ./lib\n")
    found = carry(read_tree([path]).entries, tmp_path)
    assert found.lines == ["alpha --hash=sha256:aa"]
    assert found.editables == [f"{tmp_path}/lib"]
    assert found.options == [
        "--index-url",
        "https://idx.invalid/simple",
        "--find-links",
        f"{tmp_path}/links",
        "--no-index",
    ]
    for refused in (
        "--pre",
        "--trusted-host h.invalid",
        "--prefer-binary",
        "alpha --global-option=x",
        "-e ./lib --hash=sha256:aa",
    ):
        path.write_text(f"{refused}\n")
        with pytest.raises(ReadyError, match=r"r\.txt:1: .* cannot be handed on exactly"):
            carry(read_tree([path]).entries, tmp_path)


def test_constraint_files_become_constraint_lines(tmp_path: Path) -> None:
    (tmp_path / "c2.txt").write_text("beta<2\n")
    path = tmp_path / "c.txt"
    path.write_text("alpha<3 # pinned\n-c c2.txt\n")
    found = carry(read_tree([path], constraint=True).entries, tmp_path)
    assert (found.lines, found.constraints) == ([], ["alpha<3", "beta<2"])
    path.write_text("-r c2.txt\n")
    with pytest.raises(ReadyError, match="-r inside a constraints file"):
        read_tree([path], constraint=True)


def test_a_plugins_requirement_files_are_read_into_lines(tmp_path: Path) -> None:
    from virtualenv_ready.lines import flattened
    from virtualenv_ready.model import Source

    (tmp_path / "base.txt").write_text("alpha  # pinned below\n\nbeta\\\n>=1\n", encoding="utf-8")
    (tmp_path / "req.txt").write_text("-r base.txt\nzeta\n-c c.txt\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("omega<2\n", encoding="utf-8")
    source = flattened(Source("plugin", lines=("delta",), requirement_files=(tmp_path / "req.txt",)))
    assert (source.lines, source.constraints, source.requirement_files) == (
        ("delta", "alpha", "beta>=1", "zeta"),
        ("omega<2",),
        (),
    )
    assert {path.name for path in source.inputs} == {"req.txt", "base.txt", "c.txt"}


def test_a_named_relative_path_becomes_an_absolute_file_url(tmp_path: Path) -> None:
    wheel = tmp_path / "w" / "a-1-py3-none-any.whl"
    assert requirement_line("a @ ./w/a-1-py3-none-any.whl", "here", base=tmp_path) == f"a @ {wheel.as_uri()}"
    assert requirement_line("a @ https://h.invalid/a.whl", "here", base=tmp_path) == "a @ https://h.invalid/a.whl"


_NUMBER = st.integers(min_value=0, max_value=10**6).map(str)
_PIN = st.builds(
    "{}=={}{}{}{}".format,
    st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?", fullmatch=True),
    st.lists(_NUMBER, min_size=1, max_size=4).map(".".join),
    st.one_of(st.just(""), st.builds("{}{}".format, st.sampled_from(["a", "b", "rc"]), _NUMBER)),
    st.one_of(st.just(""), _NUMBER.map(".post{}".format)),
    st.one_of(st.just(""), _NUMBER.map(".dev{}".format)),
)


@given(st.one_of(_PIN, st.text(alphabet="Aa0=._-+!*<>~ ;[],@:/", max_size=30)))
def test_a_plain_pin_is_written_as_packaging_writes_it(text: str) -> None:
    """The fast path for `name==version` lines: whatever it passes through, packaging re-serialises unchanged."""
    from packaging.requirements import InvalidRequirement, Requirement

    from virtualenv_ready.lines import _PINNED

    if not _PINNED.match(text):
        return
    try:
        expected = str(Requirement(text))
    except InvalidRequirement:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"{text!r} passed as a plain pin, but packaging refuses it")
    assert requirement_line(text, "here") == expected == text


def test_pins_outside_the_fast_path_are_still_parsed() -> None:
    assert requirement_line("Flask == 3.1", "here") == "Flask==3.1"  # spaces: parsed, then written as packaging does
    assert requirement_line("a==01.2", "here") == "a==01.2"
    assert requirement_line("a[x]==1", "here") == "a[x]==1"
    assert requirement_line("a==1; python_version > '3'", "here") == 'a==1; python_version > "3"'
    with pytest.raises(ReadyError, match="not a requirement"):
        requirement_line("a==1==2", "here")


def test_pips_option_parser_is_built_only_for_a_line_with_options(tmp_path: Path) -> None:
    """Most requirement files hold no options; building pip's option table costs every creation that reads one."""
    from virtualenv_ready import reqfile

    plain = tmp_path / "plain.txt"
    plain.write_text("alpha==1.0\n  beta  \n# a comment\n", encoding="utf-8")
    reqfile._parser.cache_clear()
    entries = read_tree([plain]).entries
    assert [(entry.kind, entry.value, entry.options) for entry in entries] == [
        ("requirement", "alpha==1.0", ()),
        ("requirement", "beta", ()),
    ]
    assert reqfile._parser.cache_info().currsize == 0
    hashed = tmp_path / "hashed.txt"
    hashed.write_text(f"alpha==1.0 --hash=sha256:{'a' * 64}\n", encoding="utf-8")
    (entry,) = read_tree([hashed]).entries
    assert entry.options == (("--hash", f"sha256:{'a' * 64}"),)
    assert reqfile._parser.cache_info().currsize == 1
