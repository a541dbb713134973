"""What update keeps in memory (issue 8): a merge whose memory is never asked leaves no
reference cycle holding its catalogues (the commands make the cyclic collector rare, so
such a cycle kept every merged catalogue of a language alive); the finished translations
read for the memory give what the whole catalogue gives."""
from __future__ import annotations

import gc
import weakref

from serge_publish import catalog
from serge_publish.catalog.memory import (
    digest_of,
    entries_of,
    finished_pairs,
    memory_digest,
    memory_entries,
)

TEMPLATE = (b'msgctxt "a"\nmsgid "One."\nmsgstr ""\n\n'
            b'msgctxt "b"\nmsgid "Two <n1/>."\nmsgstr ""\n')
OLD = (b'msgctxt "a"\nmsgid "One."\nmsgstr "Un."\n\n'
       b'msgctxt "b"\nmsgid "Two <n3/>."\nmsgstr "Deux <n3/>."\n\n'
       b'#, fuzzy\nmsgctxt "c"\nmsgid "Three."\nmsgstr "Trois."\n\n'
       b'msgctxt "d"\nmsgid "Four."\nmsgstr ""\n\n'
       b'#~ msgctxt "e"\n#~ msgid "Five."\n#~ msgstr "Cinq."\n')


def test_a_merge_asking_nothing_frees_its_catalogues_without_the_collector():
    template = catalog.parse_catalog(TEMPLATE, "t.pot")
    old = catalog.parse_catalog(OLD, "o.po")
    entry = weakref.ref(old[0])
    asked: list[int] = []
    memory = catalog.TranslationMemory(loader=lambda m: asked.append(1))   # as update's
    gc.disable()
    try:
        merged, stats = catalog.merge_catalog(template, old, tag="fr", team="French",
                                              memory=memory)
        assert (stats.kept, asked) == (2, [])         # nothing to fill: never asked
        merged_entry = weakref.ref(merged[0])
        del old, merged, memory
        assert entry() is None and merged_entry() is None      # freed by reference counts
    finally:
        gc.enable()


def test_a_deferred_addition_is_made_when_the_memory_is_first_asked():
    memory = catalog.TranslationMemory(loader=lambda m: m.add("Hello.", "Bonjour."))
    memory.add("Good night.", "Bonne nuit.")
    memory.add_entries((("Thanks.", "Merci."),))
    assert memory.exact("Hello.").target == "Bonjour."
    assert memory.exact("Good night.").target == "Bonne nuit."
    assert memory.exact("Thanks.").target == "Merci."


def test_finished_pairs_give_what_the_catalogue_gives():
    po = catalog.parse_catalog(OLD, "o.po")
    finished = finished_pairs(po)
    assert finished == (("One.", "Un."), ("Two <n3/>.", "Deux <n3/>."), ("Five.", "Cinq."))
    assert entries_of(finished) == memory_entries(po)
    assert entries_of(finished)[1] == ("Two <n1/>.", "Deux <n1/>.")     # renumbered
    assert digest_of(finished) == memory_digest(po)
    assert digest_of(()) == memory_digest([]) != digest_of(finished)
