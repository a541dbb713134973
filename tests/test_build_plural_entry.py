"""A segment has no plural forms: an entry given msgid_plural and msgstr[n] (no msgstr)
is not silently printed in the source language with an empty record. The build warns at
its line and records why (build.invalid-translation, in build-report.json with its
place), as for any invalid translation; check reports it before (test_check.py)."""
from __future__ import annotations

import json

from build_helpers import edit_catalogue, run

SOURCE = "Victor Serge: on the borders of victory"


def test_a_plural_entry_falls_back_to_the_source_with_its_place_and_why(make_root):
    root = make_root("editions")
    path = edit_catalogue(root, "fr", "alpha", lambda i, e: e.msgid)
    text = path.read_text(encoding="utf-8")
    entry = f'msgctxt "s1"\nmsgid "{SOURCE}"\nmsgstr "{SOURCE}"\n'
    assert entry in text
    line = text[:text.index(entry)].count("\n") + 2          # its msgid's
    path.write_text(text.replace(entry, f'msgctxt "s1"\nmsgid "{SOURCE}"\nmsgid_plural '
                                        f'"{SOURCE}s"\nmsgstr[0] "Victor Serge : aux '
                                        'frontières"\nmsgstr[1] "Victor Serge : aux '
                                        'frontières"\n'), encoding="utf-8")
    rel = "locale/fr/LC_MESSAGES/alpha.po"

    code, out, err = run("--project", str(root), "build", "--jobs", "1", "--lang", "fr")
    assert code == 0, err
    assert "Traceback" not in err
    why = ("the entry has plural forms (msgid_plural, msgstr[n]), which a segment never "
           "has: remove msgid_plural and the msgstr[n] lines, keep one msgstr")
    assert (f"{rel}:{line}: warning: segment s1: {why}; the source text is used "
            "[build.invalid-translation]") in err
    page = (root / "build" / "fr" / "alpha.html").read_text(encoding="utf-8")
    assert SOURCE in page and "aux frontières" not in page
    report = json.loads((root / "build" / "build-report.json").read_text(encoding="utf-8"))
    fallbacks = [f for f in report["languages"]["fr"]["essays"]["alpha"]["fallbacks"]
                 if f["id"] == "s1"]
    assert fallbacks == [{"id": "s1", "state": "invalid", "where": f"{rel}:{line}",
                          "message": why}]
