"""A segment in its catalogue twice (one msgctxt, two msgids: a msgctxt changed by hand)
is not silently printed from whichever entry came last: the build warns at the second
entry's line, naming both, and prints the source's text (build.invalid-translation, in
build-report.json with its place and why), as check reports it before (test_check.py);
the other segments of the catalogue are printed as translated."""
from __future__ import annotations

import json

from build_helpers import edit_catalogue, run
from serge_publish.catalog.po import read_catalog

SOURCE = "Victor Serge: on the borders of victory"


def test_a_segment_twice_falls_back_to_the_source_naming_both_lines(make_root):
    root = make_root("editions")
    path = edit_catalogue(root, "fr", "alpha", lambda i, e: f"[fr] {e.msgid}")
    po = read_catalog(path)
    second = next(e for e in po if e.msgctxt == "s2")
    text = path.read_text(encoding="utf-8")
    changed = text.replace('msgctxt "s2"\n', 'msgctxt "s1"\n', 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    first = read_catalog(path, lean=False)   # (read whole: the full parser keeps both)
    lines = [e.linenum for e in first if e.msgctxt == "s1"]
    assert len(lines) == 2 and lines[1] == second.linenum
    rel = "locale/fr/LC_MESSAGES/alpha.po"

    code, out, err = run("--project", str(root), "build", "--jobs", "1", "--lang", "fr")
    assert code == 0, err
    assert "Traceback" not in err
    why = (f"the segment is in the catalogue twice (lines {lines[0]} and {lines[1]}; its "
           "msgctxt changed by hand?), and which to take is not known: give the other entry "
           "its own msgctxt, or run 'serge-publish update'")
    assert f"{rel}:{lines[1]}: warning: segment s1: {why}; the source text is used " \
           "[build.invalid-translation]" in err, err
    page = (root / "build" / "fr" / "alpha.html").read_text(encoding="utf-8")
    assert SOURCE in page and f"[fr] {SOURCE}" not in page
    report = json.loads((root / "build" / "build-report.json").read_text(encoding="utf-8"))
    fallbacks = {f["id"]: f for f in report["languages"]["fr"]["essays"]["alpha"]["fallbacks"]}
    assert fallbacks["s1"] == {"id": "s1", "state": "invalid", "where": f"{rel}:{lines[1]}",
                               "message": why}
    # s2 has no entry of its own now: untranslated; the others are printed translated
    assert fallbacks["s2"]["state"] == "untranslated"
    assert "[fr] " in page
