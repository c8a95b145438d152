"""Credentials are masked in URLs, bare query strings and wherever a remembered secret stands; plain text is
left alone without compiling the patterns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from virtualenv_ready import redact

if TYPE_CHECKING:
    import pytest


def test_urls_and_bare_queries_are_masked() -> None:
    assert (
        redact.redact("get https://u:pw@host.invalid/simple?t=abc ok")
        == "get https://****@host.invalid/simple?t=**** ok"
    )
    assert redact.redact("GET /simple/x/?token=abc&y=1 200") == "GET /simple/x/?token=****&y=**** 200"
    joined = redact.redact("https://a:b@one.invalid,https://c:d@two.invalid")
    assert joined == "https://****@one.invalid,https://****@two.invalid"


def test_plain_text_skips_the_patterns_but_not_the_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "_SECRETS", set())  # this test's secret stays in this test
    redact._patterns.cache_clear()
    redact.remember_secrets(["https://someone:s3cret-value@host.invalid/simple"])
    assert redact.redact("/a/path, a name and s3cret-value") == "/a/path, a name and ****"
    assert redact._patterns.cache_info().misses == 0  # nothing that needed them
    assert redact.redact("k=v") == "k=v"  # a pair outside a query: compiled, matched nothing
    assert redact._patterns.cache_info().misses == 1
