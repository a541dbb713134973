"""A packed edition (build_plan.pack_edition) unpacks to the same edition, and its first
part alone (unpack_head) to what an anthology says of the essay; an anthology whose
chapters are remembered is made from those parts alone, byte for byte as from the whole
editions."""
from __future__ import annotations

import pytest

from serge_publish.commands import build_render
from serge_publish.commands.build_plan import make_plan, pack_edition, unpack_edition, unpack_head
from serge_publish.errors import Report
from serge_publish.project import find_project
from serge_publish.writers import epub
from tests.build_helpers import ROOT


@pytest.fixture(scope="module")
def plan():
    return make_plan(find_project(ROOT), (), (), 80.0, False, False, Report())


def _published(plan, lang):
    return [item for item in plan.editions.values() if item.lang == lang and item.published]


def test_an_edition_unpacks_to_itself_and_its_head_to_its_title_and_facts(plan):
    items = [item for item in plan.editions.values() if item.edition is not None]
    assert items
    for item in items:
        edition = item.edition
        assert unpack_edition(item.packed) == edition
        assert unpack_edition(pack_edition(edition)) == edition
        head = unpack_head(item.packed)
        assert (head.document.front, head.document.body, head.document.back) == ((), (), ())
        assert head.document.title == edition.document.title
        assert head.document.metadata == edition.document.metadata
        assert head == type(edition)(**{**vars(edition), "document": head.document})
    assert pack_edition(None) == b""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_anthology_of_remembered_chapters_reads_only_the_heads(plan, lang, monkeypatch):
    items = build_render.anthology_order(_published(plan, lang), ())
    assert items
    packed = tuple(item.packed for item in items)
    css = b"body {}"
    for item in items:                       # the essays' EPUBs remember their chapters
        build_render.render_pair(item.packed, css, None, 1)
    assert all(epub.chapter_known(lang, item.essay, item.packed) for item in items)

    def refused(_):
        raise AssertionError("a whole edition unpacked")

    with monkeypatch.context() as patch:
        patch.setattr(build_render, "unpack_edition", refused)
        from_heads = build_render.render_anthology(packed, lang, "en", css)
    with monkeypatch.context() as patch:          # as if nothing were remembered
        patch.setattr(epub, "chapter_known", lambda *_: False)
        whole = build_render.render_anthology(packed, lang, "en", css)
    assert from_heads == whole


def test_an_anthology_with_one_chapter_not_remembered_unpacks_every_edition(plan,
                                                                            monkeypatch):
    items = build_render.anthology_order(_published(plan, "fr"), ())
    packed = tuple(item.packed for item in items)
    first = items[0].essay
    unpacked = []
    real = build_render.unpack_edition

    def counted(data):
        unpacked.append(data)
        return real(data)

    monkeypatch.setattr(epub, "chapter_known",
                        lambda lang, essay, key: essay != first)
    monkeypatch.setattr(build_render, "unpack_edition", counted)
    build_render.render_anthology(packed, "fr", "en", b"body {}")
    assert unpacked == list(packed)
