"""An essay's translation holding a character XML cannot hold (a vertical tab, what a Word
soft line break becomes, or a NUL, pasted into the catalogue) is not printed with the
character silently dropped (``DougEnaa``): the build warns at the catalogue's line, as for
the project's texts (build.forbidden-character, one rule: serge_publish.xmlchars), and
prints the source's text, as for any other invalid translation; ``status`` counts it
invalid; --strict makes it a catalogue error (exit 4)."""
from __future__ import annotations

import json

import pytest

from build_helpers import edit_catalogue, run
from serge_publish.catalog.po import read_catalog
from serge_publish.commands.catalog import status_command
from serge_publish.project import find_project

SOURCE = "Victor Serge: on the borders of victory"


@pytest.mark.parametrize("character,name", [("\x0b", "U+000B"), ("\x00", "U+0000")])
def test_a_control_character_in_a_translation_falls_back_to_the_source_with_a_warning(
        make_root, character, name):
    root = make_root("editions")
    path = edit_catalogue(root, "fr", "alpha", lambda i, e: (
        f"Victor Serge :{character}aux frontières de la victoire" if e.msgctxt == "s1"
        else e.msgid))
    line = read_catalog(path).find("s1", by="msgctxt").linenum
    rel = "locale/fr/LC_MESSAGES/alpha.po"

    code, out, err = run("--project", str(root), "build", "--jobs", "1", "--lang", "fr")
    assert code == 0, err
    assert "Traceback" not in err
    assert (f"{rel}:{line}: warning: segment s1: the translation holds {name}, a character "
            "XML cannot hold (replace it with a space") in err
    assert "the source text is used [build.forbidden-character]" in err
    page = (root / "build" / "fr" / "alpha.html").read_text(encoding="utf-8")
    assert SOURCE in page and "aux frontières" not in page and character not in page
    report = json.loads((root / "build" / "build-report.json").read_text(encoding="utf-8"))
    fallbacks = [f for f in report["languages"]["fr"]["essays"]["alpha"]["fallbacks"]
                 if f["id"] == "s1"]
    assert [(f["state"], f["where"]) for f in fallbacks] == [("invalid", f"{rel}:{line}")]
    assert name in fallbacks[0]["message"]

    status = {e.essay: e for e in status_command(find_project(root), ("fr",))[0].essays}
    assert status["alpha"].counts.invalid == 1

    code, _, err = run("--project", str(root), "build", "--jobs", "1", "--lang", "fr",
                       "--strict")
    assert code == 4 and "build.forbidden-character" in err
