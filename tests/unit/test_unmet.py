"""The check after a lock's install: the project's declared requirements walked through the env's metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtualenv_ready.errors import ReadyError
from virtualenv_ready.model import IndexOptions, InstallPlan, ReadyConfig, Source
from virtualenv_ready.unmet import Dist, Installed, Unmet, check_locked, declared, lock_of, walk

ENV = {
    "implementation_name": "cpython",
    "implementation_version": "3.12.1",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "platform_release": "",
    "platform_system": "Linux",
    "platform_version": "",
    "python_full_version": "3.12.1",
    "platform_python_implementation": "CPython",
    "python_version": "3.12",
    "sys_platform": "linux",
}


def lookup(dists: dict[str, Dist]):  # type: ignore[no-untyped-def]
    return dists.get


def test_everything_met_is_nothing() -> None:
    dists = {"app": Dist("1.0", ("alpha>=1",)), "alpha": Dist("2.0", ())}
    assert walk([("pyproject.toml", "app")], lookup(dists), ENV) == []


def test_a_missing_package_is_named_with_who_asks() -> None:
    dists = {"app": Dist("1.0", ("alpha>=1", "beta"))}
    unmet = walk([("pyproject.toml", "app")], lookup(dists), ENV)
    assert [str(u) for u in unmet] == [
        "app 1.0 requires alpha>=1, but it is not installed",
        "app 1.0 requires beta, but it is not installed",
    ]


def test_a_version_outside_the_specifier_is_named_with_the_version_found() -> None:
    dists = {"app": Dist("1.0", ("Alpha_Lib>=2",)), "alpha-lib": Dist("1.5", ())}
    assert walk([("p", "app")], lookup(dists), ENV) == [Unmet("app 1.0", "Alpha_Lib>=2", "Alpha_Lib 1.5")]


def test_markers_are_evaluated_for_the_target() -> None:
    dists = {"app": Dist("1.0", ('winonly; sys_platform == "win32"', 'old; python_version < "3.9"'))}
    assert walk([("p", "app")], lookup(dists), ENV) == []
    windows = {**ENV, "sys_platform": "win32"}
    assert [u.requirement for u in walk([("p", "app")], lookup(dists), windows)] == ['winonly; sys_platform == "win32"']


def test_extras_asked_pull_in_their_requirements_only() -> None:
    dists = {
        "app": Dist("1.0", ("alpha[fast]",)),
        "alpha": Dist("1.0", ('speedy; extra == "fast"', 'slow; extra == "s"')),
    }
    unmet = walk([("p", "app")], lookup(dists), ENV)
    assert [(u.by, u.requirement) for u in unmet] == [("alpha 1.0", 'speedy; extra == "fast"')]


def test_the_walk_goes_deep_and_visits_each_once() -> None:
    dists = {
        "app": Dist("1.0", ("a", "b")),
        "a": Dist("1.0", ("b", "c>=2")),
        "b": Dist("1.0", ("a",)),
        "c": Dist("1.0", ()),
    }
    assert walk([("p", "app")], lookup(dists), ENV) == [Unmet("a 1.0", "c>=2", "c 1.0")]


def test_prereleases_and_urls_and_bad_lines() -> None:
    dists = {
        "app": Dist("1.0", ("a>=1.0", "b @ https://example.invalid/b.whl", "not a requirement ][")),
        "a": Dist("1.1rc1", ()),
        "b": Dist("0.1", ()),
    }
    assert walk([("p", "app")], lookup(dists), ENV) == []


def write_dist(site: Path, folder: str, meta: str) -> None:
    (site / folder).mkdir(parents=True)
    (site / folder / "METADATA").write_text(meta + "\n\nlong description\nRequires-Dist: not-a-header\n")


def test_installed_reads_headers_only_and_only_when_asked(tmp_path: Path) -> None:
    write_dist(
        tmp_path, "Foo_Bar-1.0.dist-info", "Name: Foo-Bar\nVersion: 1.0\nRequires-Dist: alpha\nRequires-Dist: beta>1"
    )
    (tmp_path / "broken-1.0.dist-info").mkdir()
    write_dist(tmp_path, "old-style-name-2.0.dist-info", "Name: old.style-name\nVersion: 2.0")
    (tmp_path / "foo_bar").mkdir()
    installed = Installed([tmp_path, tmp_path / "missing"])
    assert "foo-bar" in installed
    assert installed("foo-bar") == Dist("1.0", ("alpha", "beta>1"))
    assert installed("broken") is None
    assert installed("old-style-name") == Dist("2.0", ())
    assert installed("nothing") is None


def plan(project: Path, *sources: Source) -> InstallPlan:
    return InstallPlan(project, sources, IndexOptions(), "auto")


def test_the_lock_is_the_first_input_of_an_exact_source(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    own = Source("pyproject.toml", editables=(str(tmp_path),), inputs=(pyproject, tmp_path / "uv.lock"), no_deps=True)
    pylock = Source("pylock.dev.toml", lines=("a==1",), inputs=(tmp_path / "pylock.dev.toml",), no_deps=True)
    resolved = Source("requirements.txt", lines=("a",), inputs=(tmp_path / "requirements.txt",))
    assert lock_of(plan(tmp_path, own, resolved)) is None
    assert lock_of(plan(tmp_path, own, pylock)) == tmp_path / "pylock.dev.toml"


PROJECT = """
[project]
name = "app"
version = "1.0"
dependencies = ["alpha>=2"]
[project.optional-dependencies]
fast = ["speedy"]
[dependency-groups]
dev = ["delta", {include-group = "test"}]
test = ["epsilon"]
lint = ["ruff"]
"""


def test_declared_is_the_installed_project_with_its_extras_and_uvs_groups(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    write_dist(tmp_path / "site", "app-1.0.dist-info", "Name: app\nVersion: 1.0")
    config = ReadyConfig(project=tmp_path, extras=("fast",))
    roots = declared(config, Installed([tmp_path / "site"]), tmp_path / "uv.lock")
    assert [line for _, line in roots] == ["app[fast]", "delta", "epsilon"]


def test_declared_for_a_virtual_project_is_its_static_dependencies(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    config = ReadyConfig(project=tmp_path, extras=("fast",), groups=("lint",))
    roots = declared(config, Installed([tmp_path / "site"]), tmp_path / "pylock.toml")
    assert roots[0] == (f"{tmp_path / 'pyproject.toml'} [project] dependencies", "alpha>=2")
    assert [line for _, line in roots] == ["alpha>=2", "speedy", "ruff"]


def test_a_pylock_checks_its_own_default_groups(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    (tmp_path / "pylock.toml").write_text('lock-version = "1.0"\ndefault-groups = ["test", "unknown"]\n')
    config = ReadyConfig(project=tmp_path, no_project=True)
    roots = declared(config, Installed([]), tmp_path / "pylock.toml")
    assert [line for _, line in roots] == ["epsilon"]


class FakeTarget:
    def __init__(self, site: Path) -> None:
        self.site_packages = (site,)
        self.marker_environment = ENV


def _locked_app(tmp_path: Path, alpha: str) -> tuple[InstallPlan, ReadyConfig, Path, Path]:
    """A project whose installed app requires alpha>=2, alpha ``alpha`` installed from a pylock.toml: (the plan, the
    config, the site-packages, the lock)."""
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    site = tmp_path / "site"
    write_dist(site, "app-1.0.dist-info", "Name: app\nVersion: 1.0\nRequires-Dist: alpha>=2")
    write_dist(site, f"alpha-{alpha}.dist-info", f"Name: alpha\nVersion: {alpha}")
    lock = tmp_path / "pylock.toml"
    lock.write_text('lock-version = "1.0"\n')
    locked = plan(tmp_path, Source("pylock.toml", lines=(f"alpha=={alpha}",), inputs=(lock,), no_deps=True))
    return locked, ReadyConfig(project=tmp_path, groups=()), site, lock


def test_check_names_the_lock_the_requirement_and_the_fix(tmp_path: Path) -> None:
    locked, config, site, lock = _locked_app(tmp_path, "1.0")
    with pytest.raises(ReadyError) as caught:
        check_locked(locked, config, FakeTarget(site))  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"{lock} does not satisfy the project: app 1.0 requires alpha>=2, but alpha 1.0 is installed; regenerate it "
        "from the project (`uv export --format pylock.toml --output pylock.toml`), or pass --ready-no-lock to resolve "
        "from pyproject.toml"
    )
    write_dist(site, "alpha-2.0.dist-info", "Name: alpha\nVersion: 2.0")
    (site / "alpha-1.0.dist-info" / "METADATA").unlink()
    (site / "alpha-1.0.dist-info").rmdir()
    check_locked(locked, config, FakeTarget(site))  # type: ignore[arg-type]


def test_no_lock_no_check(tmp_path: Path) -> None:
    resolved = plan(tmp_path, Source("requirements.txt", lines=("a",), inputs=(tmp_path / "requirements.txt",)))
    check_locked(resolved, ReadyConfig(project=tmp_path), FakeTarget(tmp_path / "nowhere"))  # type: ignore[arg-type]


def test_an_overridden_version_only_needs_to_be_there() -> None:
    dists = {"app": Dist("1.0", ("alpha>=2", "beta")), "alpha": Dist("1.0", ())}
    unmet = walk([("p", "app")], lookup(dists), ENV, frozenset({"alpha", "beta"}))
    assert unmet == [Unmet("app 1.0", "beta", None)]


def test_uv_and_pdm_overrides_are_read_from_pyproject(tmp_path: Path) -> None:
    from virtualenv_ready.unmet import _overridden

    (tmp_path / "pyproject.toml").write_text(
        '[tool.uv]\noverride-dependencies = ["Alpha_Lib==1.0", "not valid ]["]\n'
        '[tool.pdm.resolution.overrides]\nbeta = "1.0"\n'
    )
    assert _overridden(tmp_path / "pyproject.toml") == frozenset({"alpha-lib", "beta"})
    assert _overridden(tmp_path / "missing.toml") == frozenset()


POETRY = """
[tool.poetry]
name = "site"
package-mode = false
[tool.poetry.dependencies]
python = "^3.9"
cleo = "^2.1"
tomli = { version = "^2.0", optional = true }
[tool.poetry.extras]
toml = ["tomli"]
[tool.poetry.group.dev.dependencies]
pytest = ">=8"
[tool.poetry.group.docs]
optional = true
[tool.poetry.group.docs.dependencies]
mkdocs = "*"
[dependency-groups]
lint = ["ruff"]
"""


def test_a_poetry_projects_own_table_when_it_is_not_installed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(POETRY)
    config = ReadyConfig(project=tmp_path, extras=("toml",))
    roots = [line for _, line in declared(config, Installed([]), tmp_path / "pylock.toml")]
    assert roots == ["cleo>=2.1,<3", "tomli>=2.0,<3"]  # no Poetry group: a pylock does not install them


def test_a_poetry_lock_checks_the_non_optional_poetry_groups_or_the_named_ones(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(POETRY)
    lock = tmp_path / "poetry.lock"
    roots = declared(ReadyConfig(project=tmp_path), Installed([]), lock)
    assert [line for _, line in roots] == ["cleo>=2.1,<3", "pytest>=8"]
    assert roots[-1][0].endswith("[tool.poetry.group.dev.dependencies]")
    named = declared(ReadyConfig(project=tmp_path, groups=("docs", "lint")), Installed([]), lock)
    assert [line for _, line in named] == ["cleo>=2.1,<3", "mkdocs", "ruff"]


def test_a_pdm_lock_checks_every_group(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    roots = declared(ReadyConfig(project=tmp_path, no_project=True), Installed([]), tmp_path / "pdm.lock")
    assert [line for _, line in roots] == ["delta", "epsilon", "epsilon", "ruff"]


def test_a_complete_closure_is_walked_once_per_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from virtualenv_ready import unmet, userkey

    monkeypatch.setenv(userkey.KEY_ENV, str(tmp_path / "data" / "record-key"))
    userkey.sign(b"")  # this user has a key: memos are kept
    walks: list[int] = []
    real = unmet.walk

    def counting(*args: object, **kwargs: object) -> list[Unmet]:
        walks.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(unmet, "walk", counting)
    locked, config, site, _ = _locked_app(tmp_path, "2.0")
    check_locked(locked, config, FakeTarget(site))  # type: ignore[arg-type]
    check_locked(locked, config, FakeTarget(site))  # type: ignore[arg-type]
    assert walks == [1]
    (site / "alpha-2.0.dist-info" / "METADATA").write_text("Name: alpha\nVersion: 1.0\n")  # not what was met
    with pytest.raises(ReadyError, match=r"app 1\.0 requires alpha>=2, but alpha 1\.0 is installed"):
        check_locked(locked, config, FakeTarget(site))  # type: ignore[arg-type]
    with pytest.raises(ReadyError, match=r"app 1\.0 requires alpha>=2"):
        check_locked(locked, config, FakeTarget(site))  # type: ignore[arg-type]
    assert walks == [1, 1, 1]
