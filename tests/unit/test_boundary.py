"""The boundary judges values the sources parsed: no env is built and no project file is opened here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from virtualenv_ready.boundary import ALLOW_HINT, Boundary, Named, direct_reference, reference_name
from virtualenv_ready.errors import ReadyError
from virtualenv_ready.model import Policy, ReadyConfig


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    (project / ".git").mkdir(parents=True)
    return project.resolve()


def _boundary(root: Path, *, allow: bool = False, policy: Policy | None = None) -> Boundary:
    return Boundary.of(ReadyConfig(root, allow_project_sources=allow, policy=policy))


def _policy(root: Path, **keys: object) -> Policy:
    return Policy(root.parent / "policy.toml", **keys)  # type: ignore[arg-type]


def test_the_root_is_the_checkout(root: Path) -> None:
    (root / "sub").mkdir()
    assert _boundary(root / "sub").root == root


def test_a_file_inside_passes_and_one_outside_is_named(root: Path) -> None:
    boundary = _boundary(root)
    boundary.check([Named(str(root / "requirements.txt"), "inside", "file")])
    outside = root.parent / "secret.txt"
    with pytest.raises(ReadyError) as info:
        boundary.check([Named(str(outside), "where", "file")])
    assert str(info.value) == (
        f"where is outside the project ({root}); a project file may only name files inside it: copy "
        f"{outside.resolve()} into the project and name the copy instead"
    )


@pytest.mark.parametrize(
    ("option", "flag"), [("--requirement", "--ready-requirement"), ("--constraint", "--ready-constraint")]
)
def test_an_include_outside_names_the_options_that_replace_it(root: Path, option: str, flag: str) -> None:
    origin = root / "requirements.txt"
    with pytest.raises(ReadyError) as info:
        _boundary(root).check([Named("../out.txt", "r:1", "include", option=option, origin=origin)])
    text = str(info.value)
    assert f"copy {(root.parent / 'out.txt').resolve()} into the project and name the copy instead" in text, text
    assert f"or delete that line and pass {flag} {(root.parent / 'out.txt').resolve()}" in text, text


def test_a_url_reference_needs_the_users_allowance(root: Path) -> None:
    named = Named("alpha @ https://user:pw@files.invalid/alpha.whl", "req.txt:3", "reference", (root,))
    with pytest.raises(ReadyError) as info:
        _boundary(root).check([named])
    assert str(info.value) == (
        "req.txt:3: alpha @ https://****@files.invalid/alpha.whl in a project file chooses where packages come from (a "
        f"direct URL reference); depend on the name and install from your index, or {ALLOW_HINT}"
    )
    _boundary(root, allow=True).check([named])


def test_a_url_reference_under_a_policy_needs_an_allowed_host(root: Path) -> None:
    policy = _policy(root, allowed_index_hosts=("pkgs.acme.internal",))
    boundary = _boundary(root, allow=True, policy=policy)
    boundary.check([Named("alpha @ https://pkgs.acme.internal/a.whl", "w", "reference")])
    with pytest.raises(
        ReadyError, match="^" + re.escape("w: direct reference https://evil.invalid/a.whl is refused by")
    ):
        boundary.check([Named("alpha @ https://evil.invalid/a.whl", "w", "reference")])


def test_a_relative_path_must_stay_inside_from_every_base(root: Path) -> None:
    (root / "sub").mkdir()
    boundary = _boundary(root)
    boundary.check([Named("./lib", "w", "reference", (root, root / "sub"))])
    with pytest.raises(ReadyError, match=r"^w: \.\./lib is outside the project"):
        boundary.check([Named("../lib", "w", "reference", (root / "sub", root))])
    _boundary(root, allow=True).check([Named("../lib", "w", "reference", (root / "sub", root))])


def test_a_path_outside_under_a_policy_must_be_in_a_listed_folder(root: Path) -> None:
    listed = root.parent / "wheels"
    listed.mkdir()
    boundary = _boundary(root, policy=_policy(root, find_links=(str(listed),)))
    boundary.check([Named(str(listed / "a-1-py3-none-any.whl"), "w", "reference", (root,))])
    with pytest.raises(ReadyError, match="not under a folder the org policy"):
        boundary.check([Named(str(root.parent / "a-1-py3-none-any.whl"), "w", "reference", (root,))])


def test_plain_names_are_not_references(root: Path) -> None:
    _boundary(root).check([Named("alpha>=1", "w", "reference", (root,)), Named("beta[x]; python_version>'3'", "w")])


def test_a_source_option_in_a_project_file_is_refused(root: Path) -> None:
    named = Named("https://index.example/simple", "r.txt:1", "option", option="--index-url", origin=root / "r.txt")
    with pytest.raises(ReadyError) as info:
        _boundary(root).check([named])
    assert str(info.value) == (
        f"r.txt:1: --index-url https://index.example/simple in a project file chooses where packages come from; "
        f"remove it, or {ALLOW_HINT}"
    )
    _boundary(root, allow=True).check([named])


def test_values_of_the_users_own_files_are_the_users_choice_without_a_policy(root: Path) -> None:
    mine = root.parent / "mine.txt"
    values = [
        Named("https://index.example/simple", "m:1", "option", option="--index-url", origin=mine),
        Named("alpha @ https://files.invalid/a.whl", "m:2", "reference", origin=mine),
        Named("${TOKEN}", "m:3", "variable", origin=mine),
        Named("../../etc/passwd", "m:4", "include", option="--requirement", origin=mine),
    ]
    _boundary(root).check(values)
    policy = _policy(root, allowed_index_hosts=("pkgs.acme.internal",))
    with pytest.raises(
        ReadyError, match="^" + re.escape("m:1: --index-url https://index.example/simple is refused by")
    ):
        _boundary(root, policy=policy).check(values)


def test_an_environment_variable_in_a_project_line_is_refused(root: Path) -> None:
    named = Named("${TOKEN}", "r.txt:2", "variable", origin=root / "r.txt")
    with pytest.raises(ReadyError) as info:
        _boundary(root).check([named])
    assert str(info.value) == (
        f"r.txt:2: ${{TOKEN}} would put an environment variable into the install; write the value, or {ALLOW_HINT}"
    )
    _boundary(root, allow=True).check([named])


def test_includes_stay_inside_and_name_no_variable(root: Path) -> None:
    boundary = _boundary(root)
    origin = root / "requirements.txt"
    boundary.guard(origin, 1, "--requirement", "base.txt")
    boundary.guard(origin, 1, "--requirement", "https://files.invalid/r.txt")
    with pytest.raises(ReadyError, match=r"requirements\.txt:2: --constraint \.\./c\.txt is outside the project"):
        boundary.guard(origin, 2, "--constraint", "../c.txt")
    with pytest.raises(ReadyError, match="an environment variable in an included path could name any file"):
        boundary.guard(origin, 3, "--requirement", "${HOME}/r.txt")


def test_the_first_refused_value_stops_the_check(root: Path) -> None:
    values = [
        Named("alpha", "first", "reference"),
        Named(str(root.parent / "x"), "second", "file"),
        Named(str(root.parent / "y"), "third", "file"),
    ]
    with pytest.raises(ReadyError, match=r"^second"):
        _boundary(root).check(values)


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ("alpha>=1", None),
        ("alpha @ https://files.invalid/a.whl", ("url", "https://files.invalid/a.whl")),
        ("git+https://files.invalid/r.git#egg=a", ("url", "git+https://files.invalid/r.git#egg=a")),
        ("./lib[extra]", ("path", "./lib")),
        ("dist/a-1.tar.gz", ("path", "dist/a-1.tar.gz")),
        ("a-1-py3-none-any.whl", ("path", "a-1-py3-none-any.whl")),
        ("alpha @ file:///srv/a", ("path", "/srv/a")),
        ("", None),
    ],
)
def test_direct_reference_spellings(requirement: str, expected: tuple[str, str] | None) -> None:
    assert direct_reference(requirement) == expected


def test_reference_name() -> None:
    assert reference_name("alpha[x] @ https://files.invalid/a.whl") == "alpha"
    assert reference_name("alpha==1 --hash=sha256:00") == ""
