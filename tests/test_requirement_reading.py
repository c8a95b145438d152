"""``reqfile``: requirements files read exactly as pip's own parser reads them (checked against pip, in the test only)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.reqfile import read_tree

if TYPE_CHECKING:
    from virtualenv_ready.reqfile import Entry


@functools.cache
def session() -> Any:
    from pip._internal.network.session import PipSession

    return PipSession()


def pip_view(path: Path) -> list[tuple[Any, ...]]:
    """What pip's own requirements-file parser reads, includes followed, as comparable tuples."""
    from pip._internal.req.req_file import RequirementsFileParser, get_line_parser

    found = []
    for line in RequirementsFileParser(session(), get_line_parser(None)).parse(str(path), constraint=False):
        opts = line.opts
        requirement = _args(line)
        hashes = sorted(f"{algo}:{h}" for algo, values in (opts.hashes or {}).items() for h in values)
        found.append(
            (
                Path(line.filename).name,
                line.lineno,
                line.constraint,
                requirement,
                tuple(opts.editables or ()) if not requirement else (),
                (opts.index_url,) if opts.index_url and not requirement else (),
                tuple(opts.extra_index_urls or ()) if not requirement else (),
                tuple(opts.find_links or ()) if not requirement else (),
                tuple(opts.trusted_hosts or ()) if not requirement else (),
                bool(opts.no_index) and not requirement,
                tuple(hashes) if requirement else (),
            )
        )
    return found


def _args(line: Any) -> str:
    """The requirement words of pip's parsed line: newer pip keeps them as ``args``, older ones only as
    ``requirement`` when the line is not an editable."""
    if hasattr(line, "args"):
        return str(line.args or "")
    return str(line.requirement) if line.is_requirement and not line.is_editable else ""


def our_view(entries: list[Entry]) -> list[tuple[Any, ...]]:
    def values(entry: Entry, option: str) -> tuple[str, ...]:
        return tuple(v for o, v in entry.options if o == option) if entry.kind != "requirement" else ()

    return [
        (
            entry.path.name,
            entry.number,
            entry.constraint,
            entry.value if entry.kind == "requirement" else "",
            (entry.value,) if entry.kind == "editable" else (),
            values(entry, "--index-url")[-1:],
            values(entry, "--extra-index-url"),
            values(entry, "--find-links"),
            values(entry, "--trusted-host"),
            bool(values(entry, "--no-index")),
            tuple(sorted(entry.hashes)) if entry.kind == "requirement" else (),
        )
        for entry in entries
    ]


REQUIREMENTS = ["alpha", "beta>=1", "gamma[x]==2", "delta; python_version > '3'", "./lib", "eps==1 ; os_name=='nt'"]
OPTIONS = [
    "-i http://one.invalid/simple",
    "-ihttp://one.invalid/simple",
    "--index-url=http://one.invalid/simple",
    "--index-url http://one.invalid/simple",
    "--ind http://one.invalid/simple",
    "--pypi-url http://one.invalid/simple",
    "--extra-index-url http://two.invalid/simple",
    "--extra-index-url=http://two.invalid/simple",
    "--extra http://two.invalid/simple",
    "-f http://three.invalid/links",
    "-fhttp://three.invalid/links",
    "--find-links=http://three.invalid/links",
    "--find http://three.invalid/links",
    "--trusted-host four.invalid",
    "--no-index",
    "-e ./lib",
    "--editable=./lib",
    "-r inc.txt",
    "-rinc.txt",
    "--requirement=inc.txt",
    "-c con.txt",
    "--constraint con.txt",
    "--hash=sha256:aa",
    "--hash sha256:bb",
    "-i http://${READY_TEST_HOST}/simple",
]
PIECES = st.one_of(
    st.sampled_from(REQUIREMENTS),
    st.sampled_from(OPTIONS),
    st.tuples(st.sampled_from(REQUIREMENTS), st.sampled_from(OPTIONS)).map(" ".join),
)
DECORATIONS = st.sampled_from(["", " # note", "  #x", "#nospace", " \\", " # c \\", "\\", "  "])


@st.composite
def files(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["line", "line", "line", "comment", "blank", "indented comment"]))
        if kind == "comment":
            lines.append("# a comment" + draw(st.sampled_from(["", " \\"])))
        elif kind == "indented comment":
            lines.append("   # indented" + draw(st.sampled_from(["", " \\", "\\"])))
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "  ", "\\"])))
        else:
            lines.append(draw(PIECES) + draw(DECORATIONS))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\\\n"]))


def compare(folder: Path, text: str) -> None:
    (folder / "inc.txt").write_text("incl>=2\n-i http://five.invalid/simple\n", encoding="utf-8")
    (folder / "con.txt").write_text("conc<3 # pinned\n", encoding="utf-8")
    path = folder / "r.txt"
    path.write_text(text, encoding="utf-8")
    try:
        ours = our_view(read_tree([path]).entries)
    except ReadyError:
        return  # refusing is allowed; reading differently is not
    assert ours == pip_view(path), text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=files())
def test_our_reader_reads_what_pip_reads(
    text: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READY_TEST_HOST", "env.invalid")
    compare(tmp_path_factory.mktemp("req"), text)


@pytest.mark.parametrize(
    "text",
    [
        "pkg # c \\\n--find-links http://hidden.invalid\nnext\n",  # the next line joins pkg's comment
        "# c \\\n--find-links http://shown.invalid\n",  # a comment line is never continued
        "  # c \\\n-i http://shown.invalid\n",
        "alpha \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb\n",
        "-r inc.txt\n-c con.txt\nbeta\n",
        "--ind=http://one.invalid\n--extra=http://two.invalid\n-fhttp://three.invalid\n",
        "a#b\n",  # no space: not a comment
        *[f"{option}\n" for option in OPTIONS if "hash" not in option],
    ],
)
def test_known_spellings_read_as_pip_reads_them(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READY_TEST_HOST", "env.invalid")
    (tmp_path / "inc.txt").write_text("incl>=2\n", encoding="utf-8")
    (tmp_path / "con.txt").write_text("conc<3\n", encoding="utf-8")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert our_view(read_tree([path]).entries) == pip_view(path)  # these are read, not refused


def test_a_comment_line_ending_in_a_backslash_does_not_hide_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("# c \\\n--find-links http://shown.invalid\n", encoding="utf-8")
    (entry,) = read_tree([path]).entries
    assert (entry.number, entry.options) == (2, (("--find-links", "http://shown.invalid"),))


def test_an_include_cycle_through_dot_dot_ends_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    path = tmp_path / "requirements.txt"
    path.write_text("-r d/../requirements.txt\n", encoding="utf-8")
    with pytest.raises(ReadyError, match=r"requirements.txt:1: --requirement d/../requirements.txt: includes .* again"):
        read_tree([path])


def test_fan_out_ends_at_the_read_cap(tmp_path: Path) -> None:
    # each file includes the next one twice (pip reads both): 2**30 reads without a cap
    for number in range(30):
        (tmp_path / f"f{number}.txt").write_text(f"-r f{number + 1}.txt\n-r ./f{number + 1}.txt\n", encoding="utf-8")
    (tmp_path / "f30.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(ReadyError, match="more than 500 requirements files included"):
        read_tree([tmp_path / "f0.txt"])


def test_deep_nesting_ends_at_the_depth_limit(tmp_path: Path) -> None:
    for number in range(40):
        (tmp_path / f"f{number}.txt").write_text(f"-r f{number + 1}.txt\n", encoding="utf-8")
    (tmp_path / "f40.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(ReadyError, match="nest deeper than 32 levels"):
        read_tree([tmp_path / "f0.txt"])


def test_the_guard_sees_an_include_before_its_file_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("-r missing-and-refused.txt\n", encoding="utf-8")

    def guard(file: Path, number: int, option: str, value: str) -> None:
        msg = f"{file}:{number}: {option} {value} refused"
        raise ReadyError(msg)

    with pytest.raises(ReadyError, match=r"r\.txt:1: --requirement missing-and-refused\.txt refused"):
        read_tree([path], guard)
