"""The essays' pages a plan job renders are kept for their render job in memory while
those so kept are within a budget of bytes, in a spool file of the process beyond it
(build_render._keep_page): each is given back once, with its bytes and diagnostics
whichever way it was kept, and what is given back, replaced or forgotten leaves the
budget. A page that cannot be spooled stays in memory; one that cannot be read back, or
was spooled by another process, is not given (its render job renders it again)."""
from __future__ import annotations

import tempfile

import pytest

from serge_publish.commands import build_render
from serge_publish.errors import Diagnostic

PAGE = "<!DOCTYPE html>\n<html lang=\"fr\">…</html>\n".encode() * 500
OTHER = PAGE.replace(b"fr", b"de")


@pytest.fixture(autouse=True)
def _no_pages():
    build_render.forget_pages()
    yield
    build_render.forget_pages()


@pytest.fixture
def small_budget(monkeypatch):
    monkeypatch.setattr(build_render, "PAGES_RAW", len(PAGE) + 10)


def test_a_page_within_the_budget_is_kept_as_it_is_and_given_back_once():
    told = (Diagnostic("render.test", "a warning", "essay.md:3"),)
    build_render._keep_page("k", PAGE, told)
    assert build_render._PAGES["k"][0] is PAGE          # in memory, not copied
    assert build_render._RAW[0] == len(PAGE)
    assert build_render._page("k") == (PAGE, list(told))
    assert build_render._page("k") is None            # given once
    assert build_render._RAW[0] == 0
    assert build_render._SPOOL.file is None           # nothing spooled: no file


def test_pages_beyond_the_budget_are_spooled_and_given_back_the_same(small_budget):
    told = (Diagnostic("render.test", "a warning"),)
    build_render._keep_page("a", PAGE, ())
    build_render._keep_page("b", OTHER, told)
    build_render._keep_page("c", PAGE, ())
    assert build_render._PAGES["a"][0] is PAGE
    assert build_render._PAGES["b"][0] is None and build_render._PAGES["c"][0] is None
    assert build_render._RAW[0] == len(PAGE)
    assert build_render._page("c") == (PAGE, [])
    assert build_render._page("b") == (OTHER, list(told))
    assert build_render._page("a") == (PAGE, [])
    build_render._keep_page("d", OTHER, ())                      # the budget freed
    assert build_render._PAGES["d"][0] is OTHER
    build_render.forget_pages()
    assert build_render._SPOOL.file is None and not build_render._PAGES


def test_a_page_kept_again_or_forgotten_leaves_the_budget():
    build_render._keep_page("k", PAGE, ())
    build_render._keep_page("k", PAGE[:100], ())
    assert build_render._RAW[0] == 100
    build_render.forget_pages()
    assert build_render._RAW[0] == 0 and not build_render._PAGES


def test_a_page_that_cannot_be_spooled_stays_in_memory(small_budget, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    build_render._keep_page("a", PAGE, ())
    build_render._keep_page("b", OTHER, ())
    assert build_render._PAGES["b"][0] is OTHER
    assert build_render._page("b") == (OTHER, [])


def test_a_spooled_page_that_cannot_be_read_back_is_not_given(small_budget):
    build_render._keep_page("a", PAGE, ())
    build_render._keep_page("b", OTHER, ())
    build_render._SPOOL.file.truncate(0)
    assert build_render._page("b") is None


def test_a_process_forked_with_spooled_pages_forgets_them(small_budget, monkeypatch):
    build_render._keep_page("a", PAGE, ())
    build_render._keep_page("b", OTHER, ())
    build_render._keep_page("c", OTHER, ())
    parent = build_render._SPOOL.file
    monkeypatch.setattr(build_render._SPOOL, "pid", -1)          # as in a forked child
    assert build_render._page("b") is None
    assert "c" not in build_render._PAGES and build_render._page("a") == (PAGE, [])
    build_render._keep_page("d", OTHER, ())
    build_render._keep_page("e", OTHER, ())                      # a file of its own
    assert build_render._SPOOL.file is not parent and not parent.closed
    assert build_render._page("e") == (OTHER, [])
    parent.close()


def test_a_build_whose_planning_fails_keeps_no_page(make_root, monkeypatch):
    """The pages the plan jobs of the build's own process rendered are given up when
    planning fails after them (``serve`` builds again in the same process: a failed
    build must not hold them, nor their spool file, until the next one succeeds)."""
    from build_helpers import run
    from serge_publish.commands import build_plan
    from serge_publish.errors import BuildError
    root = make_root("two-essays")
    kept: list[int] = []
    make_plan = build_plan.Planner.make_plan

    def failing(self, *args, **kwargs):
        make_plan(self, *args, **kwargs)
        kept.append(len(build_render._PAGES))
        raise BuildError("planning failed after the pages were rendered")
    monkeypatch.setattr(build_plan.Planner, "make_plan", failing)
    code, _, err = run("--project", str(root), "build", "--jobs", "1")
    assert code != 0 and "planning failed" in err
    assert kept and kept[0] > 0                        # pages were kept by then
    assert build_render._PAGES == {} and build_render._RAW[0] == 0
    assert build_render._SPOOL.file is None
