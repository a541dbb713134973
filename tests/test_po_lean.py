"""The build's lean catalogue reader (``parse_catalog(..., lean=True)``) reads what applying
a catalogue needs exactly as the full reader does: strings, flags, line numbers, obsolete
marks, the header's metadata, and the same errors; only comments may be left out. And the
cheaper application of a catalogue (``replace_segments``, fallbacks made only when used)
gives the same edition and statuses."""
from __future__ import annotations

import gc
import random
from dataclasses import replace
from pathlib import Path

import pytest

from serge_publish.catalog import apply_catalog
from serge_publish.catalog.po import parse_catalog
from serge_publish.commands.build_plan import gc_paused
from serge_publish.errors import CatalogError
from serge_publish.model import map_segments, replace_segments
from serge_publish.sourcexml import read_source
from tests.test_po_fast import MUTATIONS, _catalogue

ROOT = Path(__file__).resolve().parents[1]
READ = ("msgctxt", "msgid", "msgstr", "msgid_plural", "msgstr_plural", "flags", "linenum",
        "obsolete", "previous_msgctxt", "previous_msgid", "previous_msgid_plural")


def _fields(text: str, lean: bool) -> object:
    try:
        po = parse_catalog(text.encode("utf-8"), "x.po", lean=lean)
    except CatalogError as exc:
        return ("error", exc.message, exc.where, exc.hint)
    return (dict(po.metadata), po.metadata_is_fuzzy,
            [{name: getattr(e, name) for name in READ} for e in po])


@pytest.mark.parametrize("seed", range(40))
def test_lean_reading_reads_what_applying_needs_as_the_full_reader(seed):
    rng = random.Random(seed)
    lines = _catalogue(rng, 30).split("\n")
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(lines))
        lines[at] = rng.choice(MUTATIONS)(lines[at])
    text = "\n".join(lines)
    assert _fields(text, lean=True) == _fields(text, lean=False)


def test_lean_reading_leaves_out_comments_only():
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '# translator\n#. extracted\n#: source/a.xml:3\n#, fuzzy, c-format\n'
            'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n')
    full = parse_catalog(text.encode(), "x.po")[0]
    lean = parse_catalog(text.encode(), "x.po", lean=True)[0]
    assert (full.tcomment, full.comment, full.occurrences) == \
        ("translator", "extracted", [("source/a.xml", "3")])
    assert (lean.tcomment, lean.comment, lean.occurrences) == ("", "", [])
    assert lean.flags == full.flags == ["fuzzy", "c-format"]
    assert (lean.msgctxt, lean.msgid, lean.msgstr, lean.linenum) == ("s1", "a", "b", 10)


def test_the_shipped_catalogues_apply_alike_read_lean_or_full():
    applied = 0
    for path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        source = ROOT / "source" / f"{path.stem}.xml"
        if not source.is_file():
            continue
        doc = read_source(source)
        raw = path.read_bytes()
        full = apply_catalog(doc, parse_catalog(raw, path), "fr", po_path="x.po")
        lean = apply_catalog(doc, parse_catalog(raw, path, lean=True), "fr", po_path="x.po")
        assert lean == full
        applied += 1
    assert applied


def test_replace_segments_is_map_segments_of_the_segment():
    doc = read_source(next(iter(sorted((ROOT / "source").glob("*.xml")))))
    seen: list[str] = []

    def mark(segment):
        seen.append(segment.id)
        return replace(segment, lang="xx")

    expected = map_segments(doc, lambda ref: replace(ref.segment, lang="xx"))
    assert replace_segments(doc, mark) == expected
    assert seen == [s.id for s in (seg for _, blocks in doc.sections
                                   for seg in _segments(blocks))]


def _segments(blocks):
    for block in blocks:
        yield from block.segments
        yield from _segments(block.children)


def test_gc_paused_restores_the_collector_as_it_was():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with gc_paused():
            raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()          # left off, as it was
    finally:
        gc.enable()


def test_an_applied_catalogue_is_freed_as_soon_as_dropped():
    """No reference cycle keeps a catalogue alive after it is applied (the build reads
    hundreds; the cyclic GC is paused while it plans, see gc_paused)."""
    import weakref

    path = next(p for p in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
                if (ROOT / "source" / f"{p.stem}.xml").is_file())
    doc = read_source(ROOT / "source" / f"{path.stem}.xml")
    with gc_paused():
        po = parse_catalog(path.read_bytes(), path, lean=True)
        entry = weakref.ref(po[-1])
        result = apply_catalog(doc, po, "fr", po_path="x.po")
        del po
        assert entry() is None
    assert result.statuses
