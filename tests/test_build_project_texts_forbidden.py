"""A project text (the project's name, description...) translated with a character XML
cannot hold (a control character pasted into _project.po) goes into the OPF, the
navigation and the pages: the source's text is used instead, as for an essay's
translation, with a warning at the catalogue's line, never a traceback (nor the character
dropped, gluing two words); --strict makes it a catalogue error (exit 4)."""
from __future__ import annotations

import zipfile

from build_helpers import edit_catalogue, run
from serge_publish.catalog.po import read_catalog, write_catalog

PROJECT_PO = ("locale", "fr", "LC_MESSAGES", "_project.po")


def test_a_control_character_in_the_project_name_falls_back_with_a_warning(make_root):
    root = make_root("editions")
    for essay in ("alpha", "beta"):
        edit_catalogue(root, "fr", essay, lambda i, e: e.msgid)
    path = root.joinpath(*PROJECT_PO)
    po = read_catalog(path)
    entry = next(e for e in po if e.msgctxt == "name")
    entry.msgstr, entry.flags = "Essais\x01 de test", []
    write_catalog(path, po)
    line = read_catalog(path).find("name", by="msgctxt").linenum

    code, out, err = run("--project", str(root), "build", "--jobs", "1", "--lang", "fr")
    assert code == 0, err
    assert "Traceback" not in err
    assert f"_project.po:{line}: warning: the project's text 'name' holds U+0001, which " \
        "XML cannot hold (replace it with a space): the source's text is used" in err
    assert "[build.forbidden-character]" in err
    with zipfile.ZipFile(root / "build" / "fr" / "anthology.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
    assert "Test essays" in opf and "Essais" not in opf and "\x01" not in opf
    # marked as the source's language, as an untranslated text is
    assert '<dc:title xml:lang="en">Test essays</dc:title>' in opf

    code, _, err = run("--project", str(root), "build", "--jobs", "1", "--lang", "fr",
                       "--strict")
    assert code == 4 and "build.forbidden-character" in err
