"""What update keeps in memory (issue 8): a merge whose memory is never asked leaves no
reference cycle holding its catalogues (the commands make the cyclic collector rare, so
such a cycle kept every merged catalogue of a language alive); the finished translations
read for the memory give what the whole catalogue gives."""
from __future__ import annotations

import gc
import weakref

import pytest

from serge_publish import catalog
from serge_publish.catalog.memory import (
    digest_of,
    entries_of,
    finished_pairs,
    memory_digest,
    memory_entries,
)

# two projects compared after updating them a moment apart: dated alike
pytestmark = pytest.mark.usefixtures("same_minute")

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


# ---------------------------------------------------------------- reading the catalogues

def test_a_catalogue_is_read_once_after_it_is_written_never_parsed_for_the_memory(
        make_root, capsys, monkeypatch):
    """Creating every catalogue: the memory of each essay reads the catalogues written
    before it from what the run wrote (the file checked by its state, not read again)."""
    import shutil

    from test_catalog_cache import run, tree

    from serge_publish.commands import catalog as commands
    root, fresh = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, fresh):
        for lang in ("fr", "es", "de"):
            shutil.rmtree(r / "locale" / lang)
        shutil.rmtree(r / ".serge-cache")
    reads: list[str] = []
    read = commands._read

    def counting_read(path):
        reads.append(str(path.relative_to(root)))
        return read(path)
    parsed: list[str] = []
    parse = catalog.parse_catalog

    def counting_parse(data, path, **kwargs):
        parsed.append(str(path))
        return parse(data, path, **kwargs)
    monkeypatch.setattr(commands, "_read", counting_read)
    monkeypatch.setattr(catalog, "parse_catalog", counting_parse)
    lines = run(capsys, root, "update", "--jobs", "1")
    essays = sorted(f"locale/{lang}/LC_MESSAGES/{essay}.po"
                    for lang in ("fr", "es", "de") for essay in ("alpha", "beta"))
    assert sorted(reads) == essays                  # each once: its bytes checked back
    assert not [p for p in parsed if p.endswith(".po")]
    monkeypatch.setattr(commands, "_read", read)
    assert run(capsys, fresh, "update", "--jobs", "1") == \
        [line.replace(str(root), str(fresh)) for line in lines]
    assert tree(root) == tree(fresh)


def test_the_memory_reads_a_catalogue_again_once_its_file_changed(make_root):
    """The finished translations are kept with the digest of the bytes they were read
    from, the run's view of the file (``digest``, read once a run, then what the run
    wrote): not read again (not even a stat) while that stays, read again once the run
    sees the file changed (as the essay's own turn reads it)."""
    from serge_publish.commands import catalog as commands
    from serge_publish.project import find_project
    root = make_root("two-essays")
    project = find_project(root)
    job = commands._Job(project, ("alpha", "beta"), {}, {"fr": []}, {}, {})
    language = commands._Language(job, "fr")
    path = language.path("alpha")
    first = language.finished_pairs(path)
    assert language.finished_pairs(path) is first            # not read again
    po = catalog.read_catalog(path)
    entry = next(e for e in po if not e.obsolete and not e.msgid_plural)
    entry.msgstr = "Changé."
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    catalog.save_catalog(path, po)                          # a translator's save
    assert language.finished_pairs(path) is first     # the run's view: no stat each time
    language.digests[path] = commands.file_digest(path)     # the run reads the file again
    again = language.finished_pairs(path)
    assert again is not first and ("Changé." in dict(again).values())
    assert again == finished_pairs(catalog.read_catalog(path))
