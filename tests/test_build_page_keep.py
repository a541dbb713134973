"""The essays' pages a plan job renders are kept for their render job as they are while
those so kept are within a budget of bytes, deflated beyond it (build_render._keep_page):
each is given back once, with its bytes and diagnostics whichever way it was kept, and
what is given back, replaced or forgotten leaves the budget."""
from __future__ import annotations

import pytest

from serge_publish.commands import build_render
from serge_publish.errors import Diagnostic

PAGE = "<!DOCTYPE html>\n<html lang=\"fr\">…</html>\n".encode() * 500


@pytest.fixture(autouse=True)
def _no_pages():
    build_render.forget_pages()
    yield
    build_render.forget_pages()


def test_a_page_within_the_budget_is_kept_as_it_is_and_given_back_once():
    told = (Diagnostic("render.test", "a warning", "essay.md:3"),)
    build_render._keep_page("k", PAGE, told)
    data, size, _ = build_render._PAGES["k"]
    assert data is PAGE and size == 0                 # not deflated, not copied
    assert build_render._RAW[0] == len(PAGE)
    assert build_render._page("k") == (PAGE, list(told))
    assert build_render._page("k") is None            # given once
    assert build_render._RAW[0] == 0


def test_pages_beyond_the_budget_are_deflated_and_given_back_the_same(monkeypatch):
    monkeypatch.setattr(build_render, "PAGES_RAW", len(PAGE) + 10)
    other = PAGE.replace(b"fr", b"de")
    build_render._keep_page("a", PAGE, ())
    build_render._keep_page("b", other, ())
    assert build_render._PAGES["a"][1] == 0
    assert build_render._PAGES["b"][1] == len(other)           # deflated: its length
    assert len(build_render._PAGES["b"][0]) < len(other) // 4
    assert build_render._page("b") == (other, [])
    assert build_render._page("a") == (PAGE, [])
    build_render._keep_page("c", other, ())                      # the budget freed
    assert build_render._PAGES["c"][1] == 0


def test_a_page_kept_again_or_forgotten_leaves_the_budget():
    build_render._keep_page("k", PAGE, ())
    build_render._keep_page("k", PAGE[:100], ())
    assert build_render._RAW[0] == 100
    build_render.forget_pages()
    assert build_render._RAW[0] == 0 and not build_render._PAGES
