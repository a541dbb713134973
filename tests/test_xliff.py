"""serge-publish xliff export / import: XLIFF 1.2 that translate-toolkit reads, a lossless
round trip by segment id, broken units and newer translations reported, never imported."""
from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import xliff as ttk_xliff

from build_helpers import ROOT
from catalog_helpers import BIN, make_project
from serge_publish.catalog import format_catalog, read_catalog
from serge_publish.cli import main
from serge_publish.commands.catalog import update_command

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
X = "{urn:oasis:names:tc:xliff:document:1.2}"
TRANSLATED = {
    "s1": "Aux frontières de la victoire",
    "s4": "Serge est né en 1890 à <i>Bruxelles</i>.",
    "s5": "Il écrivit <t>Mémoires d’un révolutionnaire</t> en exil<n1/>.",
    "s6": "Voir <a1>l’archive</a1> &amp; <a2>son <i>index</i></a2>.",
    "s8": "Lisez <x1/> &lt;encore&gt;<n1/>.",
}
FUZZY = {"s7": "Le seul sens de la vie."}


def project_for(tmp_path):
    project = make_project(tmp_path / "p")
    update_command(project, ("fr",))
    path = project.po_path("fr", "sample")
    po = read_catalog(path)
    for entry in po:
        if entry.msgctxt in TRANSLATED:
            entry.msgstr = TRANSLATED[entry.msgctxt]
        if entry.msgctxt in FUZZY:
            entry.msgstr, entry.flags = FUZZY[entry.msgctxt], ["fuzzy"]
    path.write_text(format_catalog(po), encoding="utf-8")
    return project


def run(capsys, project, *args: str):
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys, project, tmp_path):
    code, out, _ = run(capsys, project, "xliff", "export", "--lang", "fr", "--output",
                       str(tmp_path / "x"))
    assert code == 0 and "sample.fr.xlf (12 units)" in out
    return tmp_path / "x" / "sample.fr.xlf"


def units(path):
    tree = etree.parse(str(path))
    return tree, {u.get("id"): u for u in tree.iterfind(".//x:trans-unit", NS)}


def msgstrs(project):
    return {e.msgctxt: (e.msgstr, e.fuzzy) for e in read_catalog(project.po_path("fr", "sample"))
            if not e.obsolete}


def test_export_has_ids_inline_codes_states_notes_and_languages(tmp_path, capsys):
    project = project_for(tmp_path)
    tree, found = units(export(capsys, project, tmp_path))
    file = tree.find("x:file", NS)
    assert tree.getroot().get("version") == "1.2"
    assert (file.get("source-language"), file.get("target-language"), file.get("original")) \
        == ("en", "fr", "locale/fr/LC_MESSAGES/sample.po")
    assert list(found) == [f"s{n}" for n in range(1, 13)]
    s6 = etree.tostring(found["s6"].find("x:source", NS), encoding="unicode", with_tail=False)
    assert ('>See <g id="a1" ctype="link">the archive</g> &amp; <g id="a2" ctype="link">its '
            '<g id="i1" ctype="italic">index</g></g>.</source>') in s6
    s8 = found["s8"].find("x:target", NS)
    assert [(c.tag.split("}")[1], c.get("id")) for c in s8] == [("x", "x1"), ("x", "n1")]
    assert s8.text == "Lisez " and s8[0].tail == " <encore>"
    states = {i: (u.find("x:target", NS).get("state"), u.get("approved")) for i, u in found.items()}
    assert states["s4"] == ("translated", "yes") and states["s7"] == (
        "needs-review-translation", None) and states["s2"] == ("new", None)
    notes = [n.text for n in found["s5"].iterfind("x:note", NS)]
    assert "<n1/> = reference to note 1" in notes and "<t>…</t> = title of a work" in notes


def test_translate_toolkit_reads_the_export_and_xliff2po_converts_it(tmp_path, capsys):
    project = project_for(tmp_path)
    path = export(capsys, project, tmp_path)
    store = ttk_xliff.xlifffile.parsefile(str(path))
    by_id = {u.getid().split("\x04")[-1]: u for u in store.units}
    assert len(store.units) == 12 and {i.rsplit("s", 1)[-1] for i in by_id} == {
        str(n) for n in range(1, 13)}
    s7 = next(u for i, u in by_id.items() if i.endswith("s7"))
    s1 = next(u for i, u in by_id.items() if i.endswith("s1"))
    assert s7.isfuzzy() and not s1.isfuzzy() and s1.target == TRANSLATED["s1"]
    entry = read_catalog(project.po_path("fr", "sample")).find("s1", "msgctxt")
    assert s1.getlocations() == [":".join(entry.occurrences[0])]
    out = tmp_path / "back.po"
    subprocess.run([str(BIN / "xliff2po"), str(path), str(out)], check=True,
                   capture_output=True)
    text = out.read_text(encoding="utf-8")
    assert 'msgid "On the borders of victory"\nmsgstr "Aux frontières de la victoire"' in text


def edit_every_target(path):
    """A CAT tool at work: every target edited (untranslated ones from a copy of the
    source), inline codes kept."""
    tree, found = units(path)
    for unit in found.values():
        target = unit.find("x:target", NS)
        if not target.text and not len(target):
            source = unit.find("x:source", NS)
            target.text = source.text
            target.extend(copy.deepcopy(child) for child in source)
        target.text = "R: " + (target.text or "")
        target.set("state", "translated")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_a_round_trip_with_every_target_edited_changes_exactly_those(tmp_path, capsys):
    project = project_for(tmp_path)
    before = msgstrs(project)
    path = export(capsys, project, tmp_path)
    edit_every_target(path)
    code, out, err = run(capsys, project, "xliff", "import", str(path))
    assert code == 0, err
    assert "12 updated, 0 unchanged, 0 skipped, written" in out
    after = msgstrs(project)
    po = {e.msgctxt: e for e in read_catalog(project.po_path("fr", "sample"))}
    for sid, (msgstr, _) in before.items():
        expected = "R: " + (msgstr or po[sid].msgid)
        assert after[sid] == (expected, False), sid
    assert run(capsys, project, "check", "--lang", "fr")[0] == 0      # tags intact
    code, out, _ = run(capsys, project, "xliff", "import", str(path))
    assert code == 0 and "0 updated, 12 unchanged" in out


def test_review_states_come_back_fuzzy(tmp_path, capsys):
    project = project_for(tmp_path)
    path = export(capsys, project, tmp_path)
    tree, found = units(path)
    found["s1"].find("x:target", NS).set("state", "needs-review-translation")
    del found["s1"].attrib["approved"]
    found["s7"].find("x:target", NS).set("state", "final")
    tree.write(str(path))
    assert run(capsys, project, "xliff", "import", str(path))[0] == 0
    after = msgstrs(project)
    assert after["s1"] == (TRANSLATED["s1"], True) and after["s7"] == (FUZZY["s7"], False)


@pytest.mark.parametrize("sid,edit,code", [
    ("s4", lambda t: t.remove(t[0]), "check.tag-missing"),
    ("s5", lambda t: t.append(copy.deepcopy(t[-1])), "check.tag-duplicated"),
    ("s8", lambda t: etree.SubElement(t, X + "bpt", id="9"), "xliff.broken-unit"),
])
def test_a_broken_unit_is_reported_and_skipped_the_rest_imported(tmp_path, capsys, sid, edit,
                                                                 code):
    project = project_for(tmp_path)
    path = export(capsys, project, tmp_path)
    edit_every_target(path)
    tree, found = units(path)
    edit(found[sid].find("x:target", NS))
    line = found[sid].sourceline
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    before = msgstrs(project)
    exit_code, out, err = run(capsys, project, "xliff", "import", str(path))
    assert exit_code == 4 and "error: 1 unit(s) not imported" in err
    assert f"{path}:{line}: error: segment {sid}: " in err and f"[{code}]" in err
    assert "11 updated, 0 unchanged, 1 skipped" in out
    after = msgstrs(project)
    assert after[sid] == before[sid]
    assert all(after[s][0].startswith("R: ") for s in after if s != sid)


def test_a_translation_changed_since_the_export_is_not_overwritten(tmp_path, capsys):
    project = project_for(tmp_path)
    path = export(capsys, project, tmp_path)
    edit_every_target(path)
    po_path = project.po_path("fr", "sample")
    po = read_catalog(po_path)
    po.find("s1", "msgctxt").msgstr = "Aux frontières de la victoire et de la défaite"
    po_path.write_text(format_catalog(po), encoding="utf-8")
    code, out, err = run(capsys, project, "xliff", "import", str(path))
    assert code == 4 and "segment s1: the catalogue's translation changed since the export" \
                         in err and "[xliff.conflict]" in err
    assert msgstrs(project)["s1"][0] == "Aux frontières de la victoire et de la défaite"
    assert msgstrs(project)["s4"][0].startswith("R: ")
    code, out, err = run(capsys, project, "xliff", "import", "--force", str(path))
    assert code == 0 and msgstrs(project)["s1"][0] == "R: " + TRANSLATED["s1"]


def test_a_file_of_another_project_is_refused(tmp_path, capsys):
    project = project_for(tmp_path)
    path = export(capsys, project, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        'original="locale/fr/LC_MESSAGES/sample.po"', 'original="../elsewhere.po"'),
        encoding="utf-8")
    code, _, err = run(capsys, project, "xliff", "import", str(path))
    assert code == 4 and "'../elsewhere.po' in 'fr', which is not a catalogue of this " \
                         "project" in err and "Traceback" not in err


# The XLIFF 1.2 rules an export must follow, checked one by one (the schema itself is
# checked below).
XLIFF_STATES = {"final", "needs-adaptation", "needs-l10n", "needs-review-adaptation",
                "needs-review-l10n", "needs-review-translation", "needs-translation", "new",
                "signed-off", "translated"}
CTYPES = {"bold", "italic", "underlined", "link", "image", "pb", "lb"}


def test_the_export_follows_the_xliff_1_2_content_model(tmp_path, capsys):
    project = project_for(tmp_path)
    tree, found = units(export(capsys, project, tmp_path))
    root = tree.getroot()
    assert root.tag == X + "xliff" and root.get("version") == "1.2"
    for file in root.iterfind("x:file", NS):
        assert {"original", "source-language", "datatype"} <= set(file.attrib)
        assert [etree.QName(c).localname for c in file] == ["header", "body"]
    order = {"source": 0, "target": 1, "context-group": 2, "note": 2}
    for unit in found.values():
        names = [etree.QName(c).localname for c in unit]
        assert names[0] == "source" and [order[n] for n in names] == sorted(
            order[n] for n in names)
        assert unit.find("x:target", NS).get("state") in XLIFF_STATES
        assert unit.get("approved") in (None, "yes", "no")
        for code in unit.iter(X + "g", X + "x"):
            ctype = code.get("ctype")
            assert code.get("id") and (ctype in CTYPES or ctype.startswith("x-"))
    assert len(found) == len(set(found))


def test_export_writes_into_the_project_xliff_folder_by_default(tmp_path, capsys):
    project = project_for(tmp_path)
    code, out, _ = run(capsys, project, "xliff", "export", "--lang", "fr")
    path = project.root / "xliff" / "fr" / "sample.fr.xlf"
    assert code == 0 and out == f"wrote {path} (12 units)\n" and path.is_file()
    assert not (project.root / "build").exists()


# The OASIS XLIFF 1.2 strict schema and the W3C xml.xsd it imports, vendored from Debian's
# php-symfony-translation (see tests/fixtures/xliff/README.md); the import points to the
# local xml.xsd, and the parser never reads the network.
SCHEMA = Path(__file__).resolve().parent / "fixtures" / "xliff" / "xliff-core-1.2-strict.xsd"


@pytest.fixture(scope="module")
def xliff_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), etree.XMLParser(no_network=True)))


def schema_errors(schema: etree.XMLSchema, path) -> list[str]:
    schema.validate(etree.parse(str(path)))
    return [f"{path.name}:{e.line}: {e.message}" for e in schema.error_log]


def export_all(capsys, project: Path, lang: str, out: Path) -> list[Path]:
    code = main(["--project", str(project), "xliff", "export", "--lang", lang, "--output",
                 str(out)])
    assert code == 0, capsys.readouterr().err
    return sorted(out.glob(f"*.{lang}.xlf"))


def test_the_shipped_french_export_validates_against_the_xliff_1_2_schema(
        tmp_path, capsys, xliff_schema):
    files = export_all(capsys, ROOT, "fr", tmp_path / "x")
    assert len(files) == len(list((ROOT / "source").glob("*.xml")))
    assert [e for f in files for e in schema_errors(xliff_schema, f)] == []


def test_a_test_root_export_validates_against_the_xliff_1_2_schema(
        tmp_path, capsys, xliff_schema, make_root):
    files = export_all(capsys, make_root("two-essays"), "fr", tmp_path / "x")
    assert len(files) == 2
    assert [e for f in files for e in schema_errors(xliff_schema, f)] == []


def test_every_inline_code_and_state_validates_against_the_xliff_1_2_schema(
        tmp_path, capsys, xliff_schema):
    path = export(capsys, project_for(tmp_path), tmp_path)
    tree, found = units(path)
    states = {u.find("x:target", NS).get("state") for u in found.values()}
    codes = {c.get("ctype") for c in tree.iter(X + "g", X + "x")}
    assert states == {"translated", "needs-review-translation", "new"}
    assert codes == {"italic", "x-title", "link", "x-note-ref", "x-untranslated"}
    assert schema_errors(xliff_schema, path) == []


def test_the_schema_rejects_a_context_group_name_repeated_in_a_file(
        tmp_path, capsys, xliff_schema):
    """Exports once named every location group "po-reference", which the schema's
    U_context-group_name forbids; the validation catches it."""
    path = export(capsys, project_for(tmp_path), tmp_path)
    tree = etree.parse(str(path))
    groups = list(tree.iter(X + "context-group"))
    assert len(groups) > 1 and all(g.get("name") is None for g in groups)
    for group in groups:
        group.set("name", "po-reference")
    tree.write(str(path))
    errors = schema_errors(xliff_schema, path)
    assert errors and all("U_context-group_name" in e for e in errors)
