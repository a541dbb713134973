"""Stable ids: re-importing a corrected original never renumbers or reuses ids."""
from __future__ import annotations

from pathlib import Path

from serge_publish.commands.import_ import import_command
from serge_publish.model import iter_segments
from serge_publish.project import Config, init_project
from serge_publish.sourcexml import read_source

ORIGINAL = """An essay on ids

By A. Writer

First sentence of the essay. Second sentence here. Third one follows.[1]

A heading

A paragraph that will move. It has two sentences.

Another paragraph stays put. Really it does.

The last paragraph is deleted later.

[1]The only note.
"""


def ids_by_text(path: Path) -> dict[str, str]:
    return {r.segment.text: r.segment.id for r in iter_segments(read_source(path))}


def test_reimport_keeps_moves_edits_and_never_reuses(tmp_path):
    project = init_project(tmp_path / "p", Config())
    original = tmp_path / "essay.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    first = import_command(project, original, "essay", "auto", None, False, None)
    before = ids_by_text(first.path)
    next_before = first.document.next_id

    edited = (ORIGINAL
              .replace("Second sentence here.", "Second sentence, corrected here.")
              .replace("The last paragraph is deleted later.\n\n", "")
              .replace("A paragraph that will move. It has two sentences.\n\n", "")
              .replace("Another paragraph stays put.",
                       "A brand new paragraph arrives.\n\nA paragraph that will move. It has "
                       "two sentences.\n\nAnother paragraph stays put."))
    original.write_text(edited, encoding="utf-8")
    second = import_command(project, original, "essay", "auto", None, True, None)
    after = ids_by_text(second.path)

    for text in ("First sentence of the essay.", "Third one follows.", "A heading",
                 "A paragraph that will move.", "It has two sentences.",
                 "Another paragraph stays put.", "Really it does.", "The only note."):
        assert after[text] == before[text], text
    # the edited sentence keeps its id, so catalogues show it as fuzzy with #|
    assert after["Second sentence, corrected here."] == before["Second sentence here."]
    # the new sentence gets a new number, above everything ever given
    new_id = after["A brand new paragraph arrives."]
    assert int(new_id[1:]) >= next_before
    # the deleted sentence's id is gone and never given again
    deleted = before["The last paragraph is deleted later."]
    assert deleted not in after.values()
    assert second.document.next_id > next_before
    third = import_command(project, original, "essay", "auto", None, True, None)
    assert ids_by_text(third.path) == after
    assert third.kept_ids == len(after)


def test_fresh_import_numbers_in_order(tmp_path):
    project = init_project(tmp_path / "p", Config())
    original = tmp_path / "essay.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    result = import_command(project, original, "essay", "auto", None, False, None)
    ids = [r.segment.id for r in iter_segments(result.document)]
    assert ids == [f"s{i}" for i in range(1, len(ids) + 1)]
    assert result.document.next_id == len(ids) + 1


def test_an_edited_sentence_takes_the_id_of_the_most_similar_one(tmp_path):
    project = init_project(tmp_path / "p", Config())
    original = tmp_path / "essay.txt"
    original.write_text("T\n\nSerge was arrested in France in 1911. Serge was arrested in "
                        "Spain in 1917. The end came later.\n", encoding="utf-8")
    before = ids_by_text(import_command(project, original, "e", "auto", None, False, None).path)
    original.write_text("T\n\nSomething wholly different is said here now. Serge was "
                        "arrested in Spain in 1918. The end came later.\n", encoding="utf-8")
    after = ids_by_text(import_command(project, original, "e", "auto", None, True, None).path)
    assert after["Serge was arrested in Spain in 1918."] == \
        before["Serge was arrested in Spain in 1917."]
    assert after["The end came later."] == before["The end came later."]
    assert after["Something wholly different is said here now."] not in before.values()
