"""A merge whose memories hold nothing (a language's first catalogues) asks them nothing
(issue 8): the same catalogue as asking them every entry; an empty memory is one with no
pair of its own and none in its shared base but in its own slot."""
from __future__ import annotations

from test_po_format import _catalog

from serge_publish import catalog
from serge_publish.catalog.memory import SharedMemory, TranslationMemory


def test_an_empty_memory_and_its_base():
    assert TranslationMemory().empty()
    shared = SharedMemory()
    shared.set_slot(0, (("One.", "Un."),), "a.po")
    assert TranslationMemory(base=shared, base_slot=0).empty()
    assert not TranslationMemory(base=shared, base_slot=1).empty()
    memory = TranslationMemory(loader=lambda m: m.add("Two.", "Deux."))
    assert not memory.empty()
    later = TranslationMemory(loader=lambda _: None)
    later.add_entries((("One.", "Un."),))
    assert not later.empty()


def test_a_merge_with_empty_memories_is_the_merge_asking_them(monkeypatch):
    templates = [_catalog(seed, 60) for seed in range(6)]
    for template in templates:
        for entry in template:
            entry.msgstr, entry.msgstr_plural = "", {k: "" for k in entry.msgstr_plural}
    olds = [None, catalog.parse_catalog(b'msgid "x"\nmsgstr "y"\n', "o.po")]

    def merged() -> list[str]:
        return [catalog.format_catalog(catalog.merge_catalog(t, old, tag="fr", team="French",
                                                             memory=TranslationMemory())[0])
                for t in templates for old in olds]
    fast = merged()
    monkeypatch.setattr(TranslationMemory, "empty", lambda self: False)
    assert merged() == fast
