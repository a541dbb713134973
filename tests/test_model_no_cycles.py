"""map_segments, replace_segments and filter_blocks leave no reference cycle behind: the
function they are given (and all it holds) is freed as soon as the call returns, without
the cyclic GC (which the build pauses while planning)."""
from __future__ import annotations

import gc
import weakref

from catalog_helpers import sample_document
from serge_publish.model import (
    filter_blocks,
    iter_segments,
    map_segments,
    published,
    replace_segments,
)


class _Fn:
    """A callable whose lifetime a weak reference tells."""
    def __init__(self, body):
        self.body = body

    def __call__(self, arg):
        return self.body(arg)


def _freed_without_gc(run) -> bool:
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        fn = _Fn(lambda x: x)
        alive = weakref.ref(fn)
        run(fn)
        del fn
        return alive() is None
    finally:
        if enabled:
            gc.enable()


def test_map_segments_keeps_nothing_alive():
    doc = sample_document()
    assert _freed_without_gc(lambda fn: map_segments(doc, lambda ref: fn(ref.segment)))
    refs = []
    assert _freed_without_gc(lambda fn: map_segments(doc, _Fn(lambda ref: refs.append(ref)
                                                              or ref.segment)))


def test_filter_blocks_and_replace_segments_keep_nothing_alive():
    doc = sample_document()
    assert _freed_without_gc(lambda fn: filter_blocks(doc, lambda b: fn(True)))
    assert _freed_without_gc(lambda fn: replace_segments(doc, fn))


def test_map_segments_and_filter_blocks_give_the_same_documents_as_before():
    doc = sample_document()
    seen = []

    def mark(ref):
        seen.append((ref.section, tuple(b.kind for b in ref.path)))
        return ref.segment
    assert map_segments(doc, mark) == doc
    assert seen == [(r.section, tuple(b.kind for b in r.path)) for r in iter_segments(doc)]
    assert filter_blocks(doc, lambda b: True) == doc
    without_notes = filter_blocks(doc, lambda b: b.kind != "note")
    assert all(r.block.kind != "note" and all(b.kind != "note" for b in r.path)
               for r in iter_segments(without_notes))
    assert published(doc) == filter_blocks(doc, lambda b: b.kind not in ("comments",
                                                                         "duplicate"))
