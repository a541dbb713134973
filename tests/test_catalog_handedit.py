"""A source edited by hand: re-wrapped sentences and spaced note numbers change nothing for
the translators (the msgids, the fuzzy flags, the translations applied); a re-wrap on the
same lines changes no file at all."""
from __future__ import annotations

from catalog_helpers import make_project, noteref
from serge_publish.catalog import (
    apply_catalog,
    content_to_message,
    message_to_content,
    read_catalog,
)
from serge_publish.commands.catalog import extract_command, update_command
from serge_publish.model import Inline, iter_segments
from serge_publish.sourcexml import read_source

S4 = '<s xml:id="s4">Serge was born in 1890 in <emph>Brussels</emph>.</s>'
S4_WRAPPED = ('<s xml:id="s4">\n            Serge was born\tin 1890\r\n'
              '            in  <emph>Brussels</emph>.\n          </s>')
NOTE = '<ref type="noteref" target="#n1">1</ref>'
NOTE_SPACED = '<ref type="noteref" target="#n1">\n  1 </ref>'
S4_FR = "Serge est né en 1890 à <i>Bruxelles</i>."
S5_FR = "Il écrivit <t>Mémoires d'un révolutionnaire</t> en exil.<n1/>"


def hand_edit(project, old: str, new: str) -> None:
    path = project.source_path("sample")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def translate(path) -> None:
    text = path.read_text(encoding="utf-8")
    for msgid, msgstr in (("Serge was born in 1890 in <i>Brussels</i>.", S4_FR),
                          ("He wrote <t>Memoirs of a Revolutionary</t> in exile.<n1/>", S5_FR)):
        text = text.replace(f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    path.write_text(text, encoding="utf-8")


def messages(path):
    return [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.comment, e.obsolete)
            for e in read_catalog(path)]


def test_rewrapping_and_spacing_a_source_by_hand_changes_no_message(tmp_path):
    project = make_project(tmp_path)
    update_command(project, ("fr",))
    po_path, pot_path = project.po_path("fr", "sample"), project.pot_path("sample")
    translate(po_path)
    before = {p: messages(p) for p in (po_path, pot_path)}
    hand_edit(project, S4, S4_WRAPPED)              # the lines after it move: new references
    hand_edit(project, NOTE, NOTE_SPACED)
    extract_command(project)
    results = update_command(project, ("fr",))
    assert results[0].stats.changed == 0 and results[0].stats.kept == 2
    assert {p: messages(p) for p in before} == before
    assert "fuzzy" not in po_path.read_text(encoding="utf-8")
    doc = read_source(project.source_path("sample"))
    result = apply_catalog(doc, read_catalog(po_path), "fr")
    states = {s.id: s.state for s in result.statuses}
    assert states["s4"] == states["s5"] == "translated"
    s5 = next(r.segment for r in iter_segments(result.document) if r.segment.id == "s5")
    assert s5.content[-1] == noteref("1")


def test_a_spaced_note_number_is_read_without_its_spaces(tmp_path):
    project = make_project(tmp_path)
    hand_edit(project, NOTE, NOTE_SPACED)
    segment = next(r.segment for r in iter_segments(read_source(project.source_path("sample")))
                   if r.segment.id == "s5")
    assert segment.content[-1] == noteref("1")
    msgid, legend = content_to_message(segment.content)
    assert msgid.endswith("in exile.<n1/>") and "<n1/> = reference to note 1" in legend


def test_placeholders_ignore_whitespace_around_a_note_number():
    spaced = Inline("noteref", (" 12\n",), (("target", "n12"), ("n", " 12\n")))
    content = ("See the note.", spaced)
    msgid, legend = content_to_message(content)
    assert msgid == "See the note.<n1/>" and legend == ("<n1/> = reference to note 12",)
    assert message_to_content("Voir la note.<n1/>", content, "s1") == ("Voir la note.", spaced)


def test_messages_collapse_xml_whitespace_only():
    msgid, _ = content_to_message(("\n  A\u00a0b \t c\r\n", Inline("emph", (" d  e ",)), " "))
    assert msgid == "A\u00a0b c <i> d e </i>"         # no-break space kept; inner spaces kept


def test_respacing_a_source_on_its_lines_changes_no_file(tmp_path):
    project = make_project(tmp_path)
    update_command(project, ("fr",))
    po_path, pot_path = project.po_path("fr", "sample"), project.pot_path("sample")
    translate(po_path)
    before = {p: p.read_bytes() for p in (po_path, pot_path)}
    hand_edit(project, S4, S4.replace("was born in", " was \t born  in "))
    hand_edit(project, NOTE, NOTE.replace(">1<", "> 1 <"))
    assert not extract_command(project)[0].written
    assert not update_command(project, ("fr",))[0].written
    assert {p: p.read_bytes() for p in before} == before
