"""update never loses a translator's work: broken line ends, a wrong charset header, a save
while update runs, plural forms, and a way back (the .po~ backup). Through the CLI."""
from __future__ import annotations

import contextlib
import io
import re

import pytest

import serge_publish.catalog as catalog_pkg
from catalog_helpers import make_project
from serge_publish.catalog import read_catalog
from serge_publish.cli import main


def run(project, *args: str):
    """The CLI as a user runs it (errors printed by main): (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(project.root), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path):
    """A tiny project whose French catalogue holds two translations."""
    project = make_project(tmp_path)
    assert run(project, "update", "--lang", "fr")[0] == 0
    po_path = project.po_path("fr", "sample")
    text = po_path.read_text(encoding="utf-8")
    text = text.replace('msgid "Life"\nmsgstr ""', 'msgid "Life"\nmsgstr "Vie"')
    text = text.replace('msgid "Ibid."\nmsgstr ""', 'msgid "Ibid."\nmsgstr "Idem, déjà vu."')
    po_path.write_text(text, encoding="utf-8")
    return project


def po(project):
    return project.po_path("fr", "sample")


def backup(project):
    return po(project).with_name("sample.po~")


def translations(path) -> set[str]:
    return {e.msgstr for e in read_catalog(path) if e.msgstr}


def latin(text: str) -> str:
    """``text`` without the characters Latin-1 lacks (quotes, ellipses in comments)."""
    return text.encode("iso-8859-1", "replace").decode("iso-8859-1")


def dirty(project) -> bytes:
    """The catalogue as a tool other than msgcat might save it (an extra blank line), so
    that update rewrites it."""
    with po(project).open("ab") as handle:
        handle.write(b"\n")
    return po(project).read_bytes()


def refused(project, before: bytes, *args: str) -> str:
    """Runs update; asserts it fails (exit 4) and leaves the catalogue as it was."""
    code, out, err = run(project, "update", "--lang", "fr", *args)
    assert code == 4, out + err
    assert po(project).read_bytes() == before
    assert not backup(project).exists()
    assert "Traceback" not in err
    return err


# ------------------------------------------------------------------ line ends

def test_a_cr_only_catalogue_is_refused_not_emptied(project):
    data = po(project).read_bytes().replace(b"\n", b"\r")
    po(project).write_bytes(data)
    err = refused(project, data)
    assert f"error: {po(project)}:1: the line ends are CR only (classic Mac OS)" in err
    assert "hint: save the file with LF (Unix) or CRLF line ends" in err
    code, out, err = run(project, "status", "--lang", "fr")   # not "100%" of nothing
    assert code == 4 and "the line ends are CR only" in err


def test_a_cr_that_hides_lines_in_a_comment_is_refused(project):
    text = po(project).read_text(encoding="utf-8")
    head, sep, tail = text.partition('#. heading\n')
    data = (head + "#. heading\r" + tail.replace("\n", "\r", 3)).encode("utf-8")
    po(project).write_bytes(data)
    err = refused(project, data)
    line = head.count("\n") + 1
    assert f"{po(project)}:{line}: a carriage return (CR) inside a comment" in err


def test_a_catalogue_of_comments_only_is_refused_at_its_first_line(project):
    data = b"\n\n# Vie\n# msgid \"Life\"\n"
    po(project).write_bytes(data)
    err = refused(project, data)
    assert f"{po(project)}:3: no message in this catalogue, only comments" in err


def test_crlf_line_ends_are_read_as_gnu_does_and_nothing_is_lost(project):
    po(project).write_bytes(po(project).read_bytes().replace(b"\n", b"\r\n"))
    assert run(project, "update", "--lang", "fr")[0] == 0
    assert {"Vie", "Idem, déjà vu."} <= translations(po(project))
    assert b"\r" not in po(project).read_bytes()


# ------------------------------------------------------------------ charset

@pytest.mark.parametrize("charset", ["ISO-8859-1", "KOI8-R", "CP1252"])
def test_utf8_under_a_single_byte_charset_is_refused_at_the_header(project, charset):
    text = po(project).read_text(encoding="utf-8")
    data = text.replace("charset=UTF-8", f"charset={charset}").encode("utf-8")
    po(project).write_bytes(data)
    err = refused(project, data)
    line = text[:text.index("charset=UTF-8")].count("\n") + 1
    assert (f"error: {po(project)}:{line}: the header declares charset={charset}, but the "
            "file is UTF-8") in err
    assert "hint: the bytes are right: declare charset=UTF-8 in the header" in err


def test_a_catalogue_really_in_its_declared_charset_is_read_and_kept(project):
    text = latin(po(project).read_text(encoding="utf-8")).replace("charset=UTF-8",
                                                                  "charset=ISO-8859-1")
    po(project).write_bytes(text.encode("iso-8859-1"))
    assert run(project, "update", "--lang", "fr")[0] == 0
    assert "Idem, déjà vu." in translations(po(project))     # now written as UTF-8


def test_bytes_the_declared_charset_cannot_decode_are_located(project):
    text = latin(po(project).read_text(encoding="utf-8")).replace("charset=UTF-8",
                                                                  "charset=ASCII")
    data = text.encode("iso-8859-1")
    po(project).write_bytes(data)
    err = refused(project, data)
    line = data[:re.search(rb"[\x80-\xff]", data).start()].count(b"\n") + 1
    assert f"{po(project)}:{line}: bytes that are not ASCII" in err


# ------------------------------------------------------------------ a save while update runs

def test_a_translator_saving_during_update_keeps_their_save(project, monkeypatch):
    saved = po(project).read_text(encoding="utf-8").replace('msgstr "Vie"',
                                                           'msgstr "La vie"').encode()
    merge = catalog_pkg.merge_catalog

    def merge_while_a_translator_saves(*args, **kwargs):
        result = merge(*args, **kwargs)
        po(project).write_bytes(saved)        # Poedit saves between update's read and write
        return result
    monkeypatch.setattr(catalog_pkg, "merge_catalog", merge_while_a_translator_saves)
    err = refused(project, saved)
    assert f"error: {po(project)}: the catalogue changed while update was running" in err
    assert "hint: run update again" in err


def test_the_file_is_checked_again_just_before_it_is_replaced(project, monkeypatch):
    """A save after the merge, during the write: caught by the check before the rename."""
    from serge_publish import atomic
    saved, original = dirty(project) + b"# saved\n", atomic._sync_folder
    calls = []

    def sync_and_save(folder):
        calls.append(folder)
        if len(calls) == 1:                # the data is on disk, the check comes next
            po(project).write_bytes(saved)
        return original(folder)
    monkeypatch.setattr(atomic, "_sync_folder", sync_and_save)
    err = refused(project, saved)
    assert "the catalogue changed while update was running" in err
    assert not list(po(project).parent.glob("*.serge-tmp"))


def test_a_catalogue_created_during_update_is_not_overwritten(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    merge = catalog_pkg.merge_catalog

    def merge_while_a_translator_creates(*args, **kwargs):
        result = merge(*args, **kwargs)
        po(project).parent.mkdir(parents=True, exist_ok=True)
        po(project).write_bytes(b'msgid "x"\nmsgstr "y"\n')
        return result
    monkeypatch.setattr(catalog_pkg, "merge_catalog", merge_while_a_translator_creates)
    err = refused(project, b'msgid "x"\nmsgstr "y"\n')
    assert "the catalogue was created while update was running" in err


# ------------------------------------------------------------------ backup

def test_update_keeps_the_previous_version_as_po_tilde(project):
    before = dirty(project)
    assert run(project, "update", "--lang", "fr")[0] == 0         # re-formatted: written
    assert backup(project).read_bytes() == before
    rewritten = po(project).read_bytes()
    assert run(project, "update", "--lang", "fr")[0] == 0         # unchanged: not written
    assert backup(project).read_bytes() == before and po(project).read_bytes() == rewritten
    dirtied = dirty(project)
    assert run(project, "update", "--lang", "fr")[0] == 0
    assert backup(project).read_bytes() == dirtied                  # one step back
    backup(project).replace(po(project))                           # the undo the README gives
    assert po(project).read_bytes() == dirtied


# ------------------------------------------------------------------ plural forms

PLURAL = ('msgctxt "s3"\nmsgid "Life"\nmsgid_plural "Lives"\n'
          'msgstr[0] "Vie"\nmsgstr[1] "Vies"\nmsgstr[2] "Trois \\"vies\\""\n')


def test_a_plural_entry_merged_into_a_singular_one_keeps_every_form(project):
    text = po(project).read_text(encoding="utf-8")
    text = re.sub(r'msgctxt "s3"\nmsgid "Life"\nmsgstr "Vie"\n', PLURAL, text)
    po(project).write_text(text, encoding="utf-8")
    assert run(project, "update", "--lang", "fr")[0] == 0
    entry = next(e for e in read_catalog(po(project)) if e.msgctxt == "s3")
    assert entry.msgstr == "Vie" and not entry.msgid_plural
    assert 'previous translation (msgstr[1]): "Vies"' in entry.tcomment
    assert 'previous translation (msgstr[2]): "Trois \\"vies\\""' in entry.tcomment
    again = po(project).read_bytes()
    assert run(project, "update", "--lang", "fr")[0] == 0
    assert po(project).read_bytes() == again                        # stable


def test_an_obsolete_plural_without_a_first_form_is_not_dropped(project):
    text = po(project).read_text(encoding="utf-8") + (
        '\n#~ msgctxt "s99"\n#~ msgid "A day"\n#~ msgid_plural "%d days"\n'
        '#~ msgstr[0] ""\n#~ msgstr[1] "%d jours"\n')
    po(project).write_text(text, encoding="utf-8")
    assert run(project, "update", "--lang", "fr")[0] == 0
    gone = next(e for e in read_catalog(po(project)) if e.msgctxt == "s99")
    assert gone.obsolete and gone.msgstr_plural == {0: "%d jours", 1: "%d jours"}
    assert "msgstr[0] was empty" in gone.tcomment


def test_a_plural_form_after_a_missing_one_is_kept(project):
    import polib

    from serge_publish.catalog.merge import _copy_translation
    old = polib.POEntry(msgid="a", msgid_plural="b", msgstr_plural={0: "x", 2: "z"})
    new = polib.POEntry(msgid="a", msgid_plural="b")
    _copy_translation(old, new)
    assert new.msgstr_plural == {0: "x", 1: "", 2: "z"}


def test_string_lines_read_fast_read_as_gnu_reads_them(tmp_path):
    """A line holding one string (or a keyword and its string) takes a short path through
    the reader: spacing, escapes, plural keywords and a comment after a string still read
    as GNU gettext reads them."""
    path = tmp_path / "lines.po"
    path.write_bytes(
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'msgctxt"c1"\nmsgid   "a \\"quoted\\" "   \n  "word\\tand\\\\"\nmsgstr "x"\n\n'
        b'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des" # note\n\n'
        b'msgid "last"\nmsgstr "" "y"\n')
    po = read_catalog(path)
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in po if not e.msgid_plural] == [
        ("c1", 'a "quoted" word\tand\\', "x"), (None, "last", "y")]
    plural = next(e for e in po if e.msgid_plural)
    assert (plural.msgid_plural, plural.msgstr_plural) == ("many", {0: "un", 1: "des"})
    assert plural.linenum == 9


def test_a_save_just_after_update_wrote_is_merged_by_the_next_update(project, monkeypatch):
    """A translator's save landing right after update replaced the catalogue is not the
    merge: it is not recorded as merged, so the next update merges it (before, the record
    named the translator's bytes and every later update said "unchanged")."""
    before = dirty(project)                   # update rewrites it (normalised)
    replace = catalog_pkg.replace_catalog

    def replace_then_save(path, *args, **kwargs):
        written = replace(path, *args, **kwargs)
        if path == po(project):
            path.write_bytes(before)          # Poedit saves the version it had open
        return written
    monkeypatch.setattr(catalog_pkg, "replace_catalog", replace_then_save)
    assert run(project, "update", "--lang", "fr")[0] == 0
    assert po(project).read_bytes() == before
    monkeypatch.undo()
    code, out, err = run(project, "update", "--lang", "fr")
    assert code == 0, out + err
    assert po(project).read_bytes() != before            # merged (normalised) again
    assert {"Vie", "Idem, déjà vu."} <= translations(po(project))


def test_a_save_of_the_project_catalogue_during_update_is_not_overwritten(project,
                                                                          monkeypatch):
    """The project's catalogue (_project.po) is replaced as an essay's is: a translator's
    save while update runs is refused, not silently overwritten, and the old one is kept
    as .po~."""
    path = project.po_path("fr", "_project")
    assert path.is_file()
    with path.open("ab") as handle:             # update rewrites it (normalised)
        handle.write(b"\n")
    saved = path.read_bytes() + b"# TRANSLATOR: saved\n"
    original = catalog_pkg.project.project_comment

    def comment_while_a_translator_saves(*args, **kwargs):
        path.write_bytes(saved)                 # between update's read and its write
        return original(*args, **kwargs)
    monkeypatch.setattr(catalog_pkg.project, "project_comment",
                        comment_while_a_translator_saves)
    code, out, err = run(project, "update", "--lang", "fr")
    assert code == 4, out + err
    assert "the catalogue changed while update was running" in err
    assert path.read_bytes() == saved
    assert "Traceback" not in err
