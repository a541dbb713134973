"""The hint of an edition that cannot be built says what works: update makes a missing
catalogue (it does), but cannot read a broken one any more than the build (it stops at
the same line), so for that one the hint is to fix the line or restore the file, never
'serge-publish update'. The same in build and in preview."""
from __future__ import annotations

import pytest

from build_helpers import edit_catalogue, run

REL = "locale/fr/LC_MESSAGES/alpha.po"


@pytest.fixture
def published(make_root):
    """The editions root with alpha and beta translated into French and built: both are
    published, listed in published.toml."""
    root = make_root("editions")
    for essay in ("alpha", "beta"):
        edit_catalogue(root, "fr", essay, lambda i, e: e.msgid)
    code, _, err = run("--project", str(root), "build", "--jobs", "1", "--lang", "fr")
    assert code == 0 and "alpha" in (root / "published.toml").read_text(encoding="utf-8"), err
    return root


def _break(root) -> int:
    """An unterminated string in alpha's catalogue: the line it is on."""
    path = root / REL
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith('msgstr "Victor'))
    lines[at] = lines[at][:-1]
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


@pytest.mark.parametrize("command", [["build", "--jobs", "1"], ["preview"]])
def test_a_broken_catalogue_s_hint_is_to_fix_the_line_or_restore_the_file(published,
                                                                          command):
    line = _break(published)
    code, _, err = run("--project", str(published), *command, "--lang", "fr")
    assert code == 4 and "Traceback" not in err
    assert f"catalogue unreadable ({REL}:{line}: unterminated string)" in err
    hint = err.partition("hint: ")[2]
    assert hint.startswith("fix or restore the catalogue: correct it where the message "
                           f"says, or restore it from version control (git restore {REL}: "
                           "serge-publish update cannot read it either), or remove alpha "
                           "from published.toml to unpublish it"), err
    assert "update --lang" not in hint
    # what the hint says of update holds
    code, _, err = run("--project", str(published), "update", "--lang", "fr")
    assert code == 4 and f"{REL}:{line}: unterminated string" in err


def test_a_missing_catalogue_s_hint_is_update_which_makes_it(published):
    (published / REL).unlink()
    code, _, err = run("--project", str(published), "build", "--jobs", "1", "--lang", "fr")
    assert code == 4 and "Traceback" not in err
    assert f"edition cannot be built: no catalogue {REL}" in err
    assert err.partition("hint: ")[2].startswith(
        "make the catalogue (serge-publish update --lang fr makes it from the template), "
        "or remove alpha from published.toml to unpublish it"), err
    assert run("--project", str(published), "update", "--lang", "fr")[0] == 0
    assert (published / REL).is_file()


def test_preview_of_only_broken_catalogues_hints_to_fix_or_restore_them(published):
    (published / "published.toml").write_text("fr = []\n", encoding="utf-8")
    _break(published)
    code, _, err = run("--project", str(published), "preview", "--lang", "fr", "alpha")
    assert code != 0 and "Traceback" not in err and "no catalogue of fr to show" in err
    hint = err.partition("hint: ")[2]
    assert hint.startswith("fix or restore the catalogue") and f"git restore {REL}" in hint
    assert "update --lang" not in hint


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_an_empty_catalogue_is_said_empty(published, content):
    """A catalogue emptied (a failed save, a bad merge) is not only '0 %': the build says
    it is empty and how to get the translations back; a published edition stays
    published (listed in published.toml) and printed in the source language."""
    (published / REL).write_text(content, encoding="utf-8")
    code, _, err = run("--project", str(published), "build", "--jobs", "1", "--lang", "fr")
    assert code == 0 and "Traceback" not in err, err
    assert (f"{REL}: warning: the catalogue is empty (no header, no message): every segment "
            "is counted untranslated and printed in the source language; restore it from "
            f"version control (git restore {REL}), or run 'serge-publish update'") in err, err
    assert "[build.catalogue-empty]" in err
    code, _, err = run("--project", str(published), "build", "--jobs", "1", "--lang", "fr",
                       "--strict")
    assert code == 4, err
