"""Bad inputs get a clear message naming the file (and line), never a traceback, and
nothing is written."""
from __future__ import annotations

import os
import re

import pytest

from serge_publish.cli import main


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    assert main(["init", str(root)]) == 0
    monkeypatch.chdir(root)
    return root


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


CASES = {
    "empty.txt": (b"", "the file is empty", None),
    "blank.txt": (b"  \n\n \n", "the file is empty", None),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", None),
    "latin1.txt": ("Title\n\nA caf\u00e9 in Paris.\n".encode("latin-1"), "not valid UTF-8", 3),
    "huge.txt": (b"A long line of words. " * 500_000, "MB", None),
    "notes.txt": (b"# A title\n\nSome **bold** text and a [link](https://example.org).\n",
                  "looks like Markdown", 1),
    "setext.txt": (b"A title\n=======\n\nSome *emphasis* and a note.[^a]\n\n[^a]: x\n",
                   "looks like Markdown", 2),
    "page.txt": (b"<!DOCTYPE html>\n<html><body><p>Hello</p></body></html>\n",
                 "looks like HTML", 1),
    "utf16.txt": ("Title\n\nText.\n".encode("utf-16"), "UTF-16", None),
    "escape.txt": (b"Title\n\nBody \x1b[31m here.\n", "control character U+001B", 3),
    "title-only.txt": (b"Only a title\n", "no paragraph of text", 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(project, tmp_path, capsys, name):
    data, message, line = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = run(capsys, "import", str(path))
    assert code == 2
    assert message in err
    assert str(path) + (f":{line}" if line else "") in err
    assert "hint:" in err
    assert not list((project / "source").glob("*.xml"))


def test_unknown_extension(project, tmp_path, capsys):
    path = tmp_path / "essay.docx"
    path.write_text("Title\n\nText.\n")
    code, _, err = run(capsys, "import", str(path))
    assert code == 2 and "--format" in err


def test_refuses_to_overwrite_without_force(project, tmp_path, capsys):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nOne sentence. Two sentences.\n", encoding="utf-8")
    assert run(capsys, "import", str(path))[0] == 0
    source = project / "source" / "essay.xml"
    before = source.read_bytes()
    code, _, err = run(capsys, "import", str(path))
    assert code == 5 and "--force" in err and str(source) in err
    assert source.read_bytes() == before


def test_broken_source_is_reported_with_line(project, tmp_path, capsys):
    source, good, _ = _imported(project, tmp_path, capsys)
    line = good[:good.index("<p>")].count("\n") + 1
    source.write_text(good.replace("<p>", "<para>", 1).replace("</p>", "</para>", 1),
                      encoding="utf-8")
    code, _, err = run(capsys, "validate")
    assert code == 3
    assert f"{source}:{line}: invalid source" in err and "para" in err
    source.write_text(good.replace("</s>", "", 1), encoding="utf-8")
    code, _, err = run(capsys, "validate")
    assert code == 3 and f"{source}:" in err and "not well-formed" in err


def _imported(project, tmp_path, capsys):
    """An essay imported: its source's path, its text and its id counter."""
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nOne sentence. Two sentences.\n\nA third.\n", encoding="utf-8")
    assert run(capsys, "import", str(path))[0] == 0
    source = project / "source" / "essay.xml"
    text = source.read_text(encoding="utf-8")
    counter = re.search(r'<application [^>]*n="(\d+)"', text)[1]
    return source, text, int(counter)


def _line_of(text, needle):
    return text[:text.index(needle)].count("\n") + 1


def test_a_segment_without_an_id_is_named(project, tmp_path, capsys):
    source, good, n = _imported(project, tmp_path, capsys)
    text = good.replace("One sentence.</s>", "One sentence.</s> <s>Editor added.</s>", 1)
    source.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate")
    assert code == 3
    assert f"error: {source}:{_line_of(text, '<s>Editor')}: invalid source: this segment <s> " \
           "has no xml:id\n" in err
    assert f'hint: give it xml:id="s{n}" (the counter <application n="{n}"> in the header ' \
           f'holds the next free number), then raise the counter to n="{n + 1}"' in err
    fixed = text.replace("<s>Editor", f'<s xml:id="s{n}">Editor').replace(
        f'n="{n}"', f'n="{n + 1}"')                 # as the hint says: then it is valid
    source.write_text(fixed, encoding="utf-8")
    code, _, err = run(capsys, "validate")
    assert code == 0, err


def test_several_segments_without_ids_are_numbered_in_order(project, tmp_path, capsys):
    source, good, n = _imported(project, tmp_path, capsys)
    text = good.replace("One sentence.</s>", "One sentence.</s> <s>First added.</s>", 1)
    text = text.replace("A third.</s>", "A third.</s>\n<s>Second added.</s>", 1)
    source.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate")
    assert code == 3
    assert f"{source}:{_line_of(text, '<s>First')}: invalid source: this segment <s> has no " \
           f"xml:id (nor have the segments at line {_line_of(text, '<s>Second')})" in err
    assert f"give them the ids s{n} to s{n + 1} in order" in err
    assert f'raise the counter to n="{n + 2}"' in err


def test_two_segments_without_ids_on_one_line_are_both_counted(project, tmp_path, capsys):
    source, good, n = _imported(project, tmp_path, capsys)
    text = good.replace("One sentence.</s>",
                        "One sentence.</s> <s>First added.</s> <s>Second added.</s>", 1)
    source.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate")
    assert code == 3
    assert f"{source}:{_line_of(text, '<s>First')}: invalid source: the 2 segments <s> of " \
           "this line have no xml:id\n" in err, err
    assert f"give them the ids s{n} to s{n + 1} in order" in err
    assert f'raise the counter to n="{n + 2}"' in err


def test_another_attribute_error_keeps_the_schema_s_words(project, tmp_path, capsys):
    source, good, _ = _imported(project, tmp_path, capsys)
    text = good.replace('<s xml:id="s2"', '<s xml:id="s2" type="x"', 1)   # an attribute too many
    source.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate")
    line = _line_of(text, 'type="x"')
    assert code == 3 and f"{source}:{line}: invalid source: " in err
    assert "has no xml:id" not in err and "hint: see docs/source-format.md" in err


def test_bad_hints_file(project, tmp_path, capsys):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nText here.\n", encoding="utf-8")
    hints = tmp_path / "essay.txt.hints.toml"
    hints.write_text("headings = [\"I. Life\"\nquotez = 1\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(path))
    assert code == 2 and str(hints) in err and "hint:" in err


def test_no_project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "validate")
    assert code == 5 and "serge-publish init" in err


def test_a_folder_is_not_an_essay(project, tmp_path, capsys):
    code, _, err = run(capsys, "import", str(tmp_path), "--format", "text")
    assert code == 2 and "is a directory" in err


def test_a_failed_reimport_keeps_the_original_and_the_source(project, tmp_path, capsys):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nOne sentence. Two sentences.\n", encoding="utf-8")
    assert run(capsys, "import", str(path))[0] == 0
    kept = (project / "source" / "originals" / "essay.txt").read_bytes()
    source = (project / "source" / "essay.xml").read_bytes()
    path.write_text("A title\n\nOne sentence.\x0b Two.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(path), "--force")
    assert code == 2
    assert (project / "source" / "originals" / "essay.txt").read_bytes() == kept
    assert (project / "source" / "essay.xml").read_bytes() == source


def test_reimport_without_hints_removes_the_stale_hints(project, tmp_path, capsys):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nBody. I. Life begins here.\n", encoding="utf-8")
    hints = tmp_path / "essay.txt.hints.toml"
    hints.write_text('headings = ["I. Life"]\n', encoding="utf-8")
    assert run(capsys, "import", str(path))[0] == 0
    kept = project / "source" / "originals" / "essay.txt.hints.toml"
    assert kept.exists()
    hints.unlink()
    assert run(capsys, "import", str(path), "--force")[0] == 0
    assert not kept.exists()


def test_awkward_but_valid_inputs_import(project, tmp_path, capsys):
    cases = {
        "closing.txt": "T\n\nBody.\n\nThank you\n",                # trailing short line
        "date.txt": "T\n\nFebruary 30, 2016 — X — Text.\n",          # impossible date
        "nested.md": "# T\n\nText.\n\n> quoted\n>\n> > nested\n",   # quote in a quote
        "code.md": "# T\n\nIntro.\n\n```\nprint(1). Done here.\nNext line. Yes\n```\n",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "import", str(path))
        assert code == 0, (name, err)
    code_source = (project / "source" / "code.xml").read_text(encoding="utf-8")
    assert code_source.count("Done here.") == 1                 # never duplicated


@pytest.mark.parametrize("essay_id", ["index", "anthology", "../../x", ""])
def test_essay_ids_that_cannot_be(project, tmp_path, capsys, essay_id):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nText here.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(path), "--id", essay_id)
    assert code == 2 and "--id" in err
    assert not list((project / "source").glob("*.xml"))


def test_a_missing_file_is_named_missing(project, tmp_path, capsys):
    path = tmp_path / "nonexistent.txt"
    code, _, err = run(capsys, "import", str(path))
    assert code == 2
    assert f"error: {path}: no such file\n" in err
    assert "not a regular file" not in err
    assert "hint: check the spelling of the path" in err
    assert not list((project / "source").glob("*.xml"))


def test_a_missing_relative_path_says_where_it_was_looked_for(project, capsys):
    code, _, err = run(capsys, "import", "essay.txt")    # the current folder is the project
    assert code == 2
    assert f"error: essay.txt: no such file (looked for in the current folder, {project})" in err
    assert "a relative path is read from the current folder" in err


def test_a_misspelt_file_gets_the_close_name(project, tmp_path, capsys):
    (tmp_path / "greene-borders.txt").write_text("A title\n\nText.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(tmp_path / "greene-border.txt"))
    assert code == 2 and "no such file" in err
    assert f"did you mean {tmp_path / 'greene-borders.txt'}?" in err


def test_a_missing_folder_is_named(project, tmp_path, capsys):
    code, _, err = run(capsys, "import", str(tmp_path / "nowhere" / "essay.txt"))
    assert code == 2 and "no such file" in err
    assert f"the folder {tmp_path / 'nowhere'} does not exist either" in err


def test_a_missing_file_is_named_before_an_existing_source(project, tmp_path, capsys):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nText.\n", encoding="utf-8")
    assert run(capsys, "import", str(path))[0] == 0
    code, _, err = run(capsys, "import", str(tmp_path / "gone" / "essay.txt"))
    assert code == 2 and "no such file" in err and "--force" not in err


def test_a_fifo_is_not_a_regular_file(project, tmp_path, capsys):
    path = tmp_path / "essay.txt"
    os.mkfifo(path)
    code, _, err = run(capsys, "import", str(path))
    assert code == 2
    assert f"error: {path}: not a regular file: it is a named pipe (fifo)" in err
    assert "hint: give the path of a .txt, .md or .html file" in err


def test_a_folder_reaching_the_reader_is_called_a_folder(tmp_path):
    from serge_publish.errors import InputError
    from serge_publish.importers import read_bytes
    with pytest.raises(InputError) as caught:
        read_bytes(tmp_path)
    assert caught.value.message == "not a regular file: it is a folder"
    assert caught.value.where == str(tmp_path)


@pytest.mark.parametrize("length, ok", [(64, True), (65, False), (300, False)])
def test_an_essay_id_too_long_is_called_too_long(project, tmp_path, capsys, length, ok):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nText here.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(path), "--id", "a" * length)
    if ok:
        assert code == 0, err
        return
    assert code == 2
    assert f"error: {'a' * 20!r}... is {length} characters long: an essay id is at most 64" in err
    assert "hint: pass another --id (an id is at most 64 characters)" in err
    assert "letters, digits" not in err
    assert not list((project / "source").glob("*.xml"))


def test_an_essay_id_with_a_final_newline_is_refused(project, tmp_path, capsys):
    path = tmp_path / "essay.txt"
    path.write_text("A title\n\nText here.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(path), "--id", "essay\n")
    assert code == 2 and "'essay\\n' cannot be an essay id" in err
    assert not [p for p in (project / "source").iterdir() if p.is_file()]
