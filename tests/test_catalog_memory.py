"""Translation memory: close matches are offered unless numbers, tags or negation differ."""
from __future__ import annotations

import polib
import pytest

from serge_publish.catalog.memory import TranslationMemory, guard, memory_entries, negations

CHAPTER = "In chapter 12 Serge describes the famine in Petrograd during the civil war."
NOTE = "Serge saw the revolution from the inside of the party and wrote about it.<n3/>"
SHORT = "Serge is a writer who saw the revolution from the inside of the party."


@pytest.fixture
def memory() -> TranslationMemory:
    memory = TranslationMemory("en")
    memory.add(CHAPTER, "Au chapitre 12, Serge décrit la famine à Petrograd.", "a.po")
    memory.add(NOTE, "Serge a vu la révolution de l'intérieur du parti.<n3/>", "a.po")
    memory.add(SHORT, "Serge est un écrivain qui a vu la révolution de l'intérieur.", "b.po")
    memory.add("Chapter 12", "Chapitre 12", "b.po")
    return memory


def test_a_close_match_is_offered_with_its_source(memory):
    match = memory.suggest(CHAPTER.replace("famine", "hunger"))
    assert match is not None and match.source == CHAPTER and 0.8 <= match.ratio < 1
    assert match.origin == "a.po"


def test_a_different_number_is_refused(memory):
    assert memory.suggest(CHAPTER.replace("12", "1")) is None
    assert memory.suggest("Chapter 1") is None          # msgmerge offers "Chapitre 12"
    assert guard("Chapter 1", "Chapter 12", "en") == "numbers differ"


def test_a_different_negation_is_refused(memory):
    assert memory.suggest(SHORT.replace("is a", "is not a")) is None
    assert memory.suggest(SHORT.replace("is a", "isn’t a")) is None
    assert memory.suggest(SHORT.replace("Serge is", "Serge was")) is not None
    assert guard("It is true.", "It is not true.", "en") == "negation differs"


def test_different_note_references_or_placeholders_are_refused(memory):
    assert memory.suggest(NOTE.replace("<n3/>", "<n1/><n2/>")) is None
    assert memory.suggest(NOTE.replace("<n3/>", "")) is None
    assert memory.suggest(NOTE.replace("the party", "the <i>party</i>")) is None
    assert memory.suggest(NOTE.replace("wrote", "thought")) is not None


def test_old_note_numbers_are_read_as_placeholders_numbered_in_the_sentence(memory):
    """An old catalogue's <n3/> (note 3) is today's <n1/> (the first note reference)."""
    today = NOTE.replace("<n3/>", "<n1/>")
    assert memory.exact(today).target == "Serge a vu la révolution de l'intérieur du parti.<n1/>"
    assert memory.exact(NOTE.replace("<n3/>", "<n7/>")).source == today
    memory.add("A<n4/> and B<n9/>.", "B<n9/> et A<n4/>.")
    assert memory.exact("A<n1/> and B<n2/>.").target == "B<n2/> et A<n1/>."


def test_a_short_rewording_is_offered_by_its_characters():
    memory = TranslationMemory("en")
    for source in ("Rodion's road", "Exile", "Conclusions", "The Bonnot gang",
                   "A revolutionary in Paris"):
        memory.add(source, f"FR {source}")
    for reworded, source in (("Rodion's long road", "Rodion's road"), ("In exile", "Exile"),
                             ("Conclusion", "Conclusions"), ("The Bonnot Gang", "The Bonnot gang"),
                             ("Revolutionaries in Paris", "A revolutionary in Paris"),
                             ("Rodion's long, hard road", "Rodion's road")):
        match = memory.suggest(reworded)
        assert match is not None and match.source == source, reworded
    assert memory.suggest("Early life") is None and memory.suggest("Paris") is None


def test_candidates_come_from_the_index_not_from_every_unit(monkeypatch):
    """A query is compared only with units that share an uncommon word with it."""
    from serge_publish.catalog import memory as module
    memory = TranslationMemory("en")
    for i in range(500):
        memory.add(f"The sentence number {i} of the essay about war.", f"Phrase {i}.")
    memory.add("Serge crossed the border at night.", "Serge passa la frontière de nuit.")
    compared = []
    real = module._similarity
    monkeypatch.setattr(module, "_similarity", lambda q, u: compared.append(u) or real(q, u))
    match = memory.suggest("Serge crossed the border by night.")
    assert match.target == "Serge passa la frontière de nuit."
    assert len(compared) <= module.CANDIDATES


def test_exact_matches_only_from_exact_sources(memory):
    memory.add("Chapter 13", "Chapitre 13", "compendium.po", exact=False)
    assert memory.exact("Chapter 12").target == "Chapitre 12"
    assert memory.exact("Chapter 13") is None
    assert memory.suggest("Chapter 13").target == "Chapitre 13"


def test_negations_per_language():
    assert negations("Il n’est pas là, jamais.", "fr") == 3
    assert negations("Er ist nicht hier.", "de") == 1
    assert negations("It cannot be, he didn't know, nothing.", "en") == 3


def test_entries_read_once_fill_a_memory_as_the_catalogue_does():
    """update reads each catalogue's pairs once (memory_entries) and adds them to the
    memory of every other essay: the same matches as adding the catalogue itself."""
    po = polib.POFile()
    for msgid, msgstr, flags in [
            ("The  war\nbegan.<n3/>", "La guerre commença.<n3/>", []),
            ("The war began again.", "La guerre reprit.", []),
            ("A draft.", "Un brouillon.", ["fuzzy"]), ("Empty.", "", []),
            ("  ", "blank", []), ("The war began.<n3/>", "Autre.<n3/>", [])]:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
    whole, read_once = TranslationMemory(), TranslationMemory()
    whole.add_catalog(po, "x.po")
    read_once.add_entries(memory_entries(po), "x.po")
    for query in ("The war began.<n1/>", "The war began again.", "A draft.",
                  "The war began once again.", "Empty."):
        assert whole.exact(query) == read_once.exact(query)
        assert whole.suggest(query) == read_once.suggest(query)
    assert read_once.exact("The war began.<n1/>").target == "La guerre commença.<n1/>"
