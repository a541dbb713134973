"""format_catalog must be byte-identical to GNU msgcat; read_catalog must read what GNU reads."""
from __future__ import annotations

import difflib
import glob
import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serge_publish.catalog.po import format_catalog, read_catalog, write_catalog
from serge_publish.errors import CatalogError

pytestmark = pytest.mark.skipif(
    shutil.which("msgcat") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext's msgcat and msgfmt are not installed (apt install gettext)")
ROOT = Path(__file__).resolve().parents[1]

WORDS = {
    "latin": "the revolution was betrayed by bureaucracy and the witness wrote of it "
             "in exile with courage memory truth comrades".split(),
    "hyphen": ["self-criticism", "well-known", "anti-Stalinist", "co-op", "x-1", "e-mail"],
    "cyrillic": "революция была предана бюрократией свидетель писал об этом".split(),
    "arabic": "الثورة خانتها البيروقراطية والشاهد كَتَبَ عن ذلك".split(),
    "cjk": ["革命は官僚制によって裏切られた。", "証人は亡命中に書いた、",
            "「記憶」と（真実）", "中文字符测试文本很长很长很长很长", "한국어텍스트"],
    "emoji": ["😀", "🚩🚩", "✊", "🇫🇷", "👩‍👩‍👧", "e\u0301"],
    "odd": ['"quoted"', "back\\slash", "tab\there", "C:\\path\\x", "a/b/c/d", "50%",
            "«guillemets»", "—", "…", "l'homme", "(paren)", "[1]", "x.y.z", "$5", "#tag"],
    "long": ["x" * 85, "http://example.org/" + "very-long-path/" * 6, "ы" * 80,
             "a" * 40 + "-" + "b" * 45],
}


def _text(rng: random.Random, max_words: int = 40) -> str:
    parts = []
    for _ in range(rng.randint(1, max_words)):
        parts.append(rng.choice(WORDS[rng.choice(list(WORDS))]))
        parts.append(rng.choice([" ", " ", " ", " ", "  ", "", "\n", " \n", "\t", ", "]))
    text = "".join(parts).strip(" \n")
    return text or "empty"


def _pair(rng: random.Random) -> tuple[str, str]:
    """msgid and msgstr that agree on leading/trailing newlines (msgfmt -c wants it)."""
    msgid, msgstr = _text(rng), _text(rng)
    if rng.random() < 0.15:
        msgid, msgstr = "\n" + msgid, "\n" + msgstr
    if rng.random() < 0.2:
        msgid, msgstr = msgid + "\n", msgstr + "\n"
    return msgid, msgstr


FORMATTED = [("c-format", " %d items, %-10.3f and %5s, 100%% "),
             ("python-format", " %(name)s and %(very-long-name)s, %d%% "),
             ("python-brace-format", " {name} and {other-name} ")]


def _plural_of(text: str) -> str:
    return text[:-1] + " (pl)\n" if text.endswith("\n") else text + " (pl)"


def _line(rng: random.Random) -> str:
    return _text(rng, 30).replace("\n", " ")


def _reference(rng: random.Random) -> tuple[str, str]:
    folder = rng.choice(["essay", "a-long-directory-name", "./dot"])
    return f"source/{folder}/{rng.randint(0, 9)}.xml", rng.choice(["", "7", "1234"])


def _entry(rng: random.Random, obsolete: bool) -> polib.POEntry:
    msgid, msgstr = _pair(rng)
    flags = []
    if rng.random() < 0.1:
        flag, directives = rng.choice(FORMATTED)
        msgid, msgstr = msgid.replace("%", " pct"), msgstr.replace("%", " pct")
        msgid, msgstr, flags = msgid + directives + "end", msgstr + directives + "end", [flag]
    if rng.random() < 0.3:
        msgstr = ""
    if rng.random() < 0.3:
        flags.insert(rng.randint(0, len(flags)), "fuzzy")
    if rng.random() < 0.05:
        flags.append("no-wrap")
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags, obsolete=obsolete)
    if rng.random() < 0.3:
        entry.msgctxt = rng.choice(["menu", f"seg-{rng.randint(1, 999)}", _text(rng, 12)])
    if rng.random() < 0.4:  # comments are kept as they are, however long
        entry.comment = "\n".join(_line(rng) for _ in range(rng.randint(1, 2)))
    if rng.random() < 0.3:
        entry.tcomment = rng.choice(["", " indented", "trailing  "]) + _line(rng)
    if rng.random() < 0.5:
        entry.occurrences = [_reference(rng) for _ in range(rng.randint(1, 12))]
    if rng.random() < 0.3:
        entry.previous_msgid = _text(rng)
        if rng.random() < 0.3:
            entry.previous_msgctxt = _text(rng, 15)
    if rng.random() < 0.15 and not entry.msgctxt:
        entry.msgid_plural = _plural_of(msgid)
        entry.msgstr_plural = {0: msgstr, 1: msgstr and _plural_of(msgstr)}
        if rng.random() < 0.5 and entry.previous_msgid:
            entry.previous_msgid_plural = _text(rng)
    return entry


def _catalog(seed: int, count: int) -> polib.POFile:
    rng, po, seen = random.Random(seed), polib.POFile(), set()
    po.header = "Translation of the Serge essays.\nDistributed under the same licence."
    po.metadata = {
        "Project-Id-Version": "serge 1.0", "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2024-01-01 00:00+0000", "PO-Revision-Date": "2024-01-02 00:00+0000",
        "Last-Translator": "Тест <t@example.org>", "Language-Team": "French <fr@example.org>",
        "Language": "fr", "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit", "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    while len(po) < count:
        entry = _entry(rng, obsolete=rng.random() < 0.15)
        if (entry.msgctxt, entry.msgid) not in seen:
            seen.add((entry.msgctxt, entry.msgid))
            po.append(entry)
    return po


def _msgcat(path, *options) -> str:
    out = path.with_suffix(".msgcat.po")
    subprocess.run(["msgcat", *options, "-o", str(out), str(path)], check=True,
                   capture_output=True)
    return out.read_bytes().decode("utf-8")


def _assert_same(expected: str, actual: str) -> None:
    if expected != actual:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                    "msgcat", "format_catalog", lineterm="", n=2)
        pytest.fail("\n".join(list(diff)[:80]))


def _msgfmt_ok(path) -> None:
    run = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[:3000]


@pytest.mark.parametrize("seed", range(4))
def test_format_is_msgcat_identical(tmp_path, seed):
    """120 random entries a file; msgcat changes nothing, msgfmt -c accepts, reading is exact."""
    po = _catalog(seed, 120)
    path = tmp_path / "gen.po"
    write_catalog(path, po)
    text = path.read_bytes().decode("utf-8")
    assert text == format_catalog(po)
    _assert_same(_msgcat(path), text)
    _msgfmt_ok(path)
    again = tmp_path / "again.po"
    write_catalog(again, read_catalog(path))
    assert again.read_bytes().decode("utf-8") == text


ANY_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(ANY_CHAR, max_size=160), min_size=1, max_size=25))
def test_format_any_text_is_msgcat_identical(tmp_path, texts):
    """Any Unicode text (gettext forbids only NUL and EOT): one msgcat run per example."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for i, text in enumerate(texts):
        po.append(polib.POEntry(msgctxt=str(i), msgid=text, msgstr=text[::-1],
                                previous_msgid=text[:80], comment=text.replace("\n", " ")))
    path = tmp_path / "any.po"
    write_catalog(path, po)
    text = path.read_bytes().decode("utf-8")
    _assert_same(_msgcat(path), text)
    assert format_catalog(read_catalog(path)) == text


DIRECTIVES = [
    ("c-format", "%d%% and %-10.3f, %5s %1$s-%2$s"), ("c-format", "%1$s-%2$d %3$-5s%%"),
    ("c-format", "%lld items %zu-%s"), ("objc-format", "%@ and %d-%s"),
    ("python-format", "%(a)d%% %(bb-c)s %(x)-5.2f"), ("python-format", "%d%% and %s-%r"),
    ("python-format", "%(a)s %d mixed %(b-b)s"), ("python-format", "50%, %(aa-bb)s"),
    ("python-brace-format", "{a}{{x}} {b.c} {d[1]} {e!r} {f:>10}"),
    ("python-brace-format", "{a.b}"), ("python-brace-format", "{f:>1-0}"),
    ("python-brace-format", "{0:-^20} {a:{b}}"), ("python-brace-format", "{a:a>5} {a-b}"),
    ("no-c-format", "%d-%s"), ("qt-format", "%1-%2"),
]


def test_no_break_inside_format_directives(tmp_path):
    """Each directive string at every column, so that some break falls inside each."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for flag, tail in DIRECTIVES:
        for n in range(30, 80):
            text = f"{n} " + "x" * n + " " + tail
            po.append(polib.POEntry(msgid=text, msgstr="я" * (n % 3) + text, flags=[flag],
                                    msgctxt=flag, previous_msgid=text[1:]))
    path = tmp_path / "directives.po"
    write_catalog(path, po)
    _assert_same(_msgcat(path), path.read_bytes().decode("utf-8"))


SHIPPED = sorted(glob.glob(str(ROOT / "locale" / "**" / "*.po"), recursive=True)
                 + glob.glob(str(ROOT / "locale" / "*.pot")))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_shipped_catalogue_is_msgcat_identical(path):
    """Every shipped catalogue: our writer, msgcat and the file itself agree byte for byte."""
    shipped = Path(path).read_bytes().decode("utf-8")
    ours = format_catalog(read_catalog(path))
    run = subprocess.run(["msgcat", "-o", "-", path], check=True, capture_output=True)
    _assert_same(run.stdout.decode("utf-8"), ours)
    _assert_same(shipped, ours)


def test_the_shipped_catalogues_are_found():
    assert len([p for p in SHIPPED if p.endswith(".pot")]) >= 2 and len(SHIPPED) >= 8


# Where msgcat's line breaking (libunistring) is easy to miss: French spacing before ":"
# (a no-break space or a narrow one, or an ordinary one), a tag right after a full stop,
# URLs, hyphens, long words, CJK with its brackets, Cyrillic, Arabic, Hebrew, Indic scripts,
# combining marks, escapes, newlines inside a string.
PIECES = {
    "french": ["Remarque :", "Remarque\u00a0:", "Remarque\u202f:", "« citation »",
               "«\u00a0guillemets\u00a0»", "ceci ; cela", "quoi\u202f?", "l’homme"],
    "tags": ["fin.<n7/>", "phrase.</p>", "<em>mot</em>.", "x.y", "e.g.", "1.5", "a,b", "x:y"],
    "urls": ["https://example.org/very/long/path/to/some-resource?query=value&other=1",
             "http://ex.org/a/b.html#frag", "mailto:someone@example.org", "C:\\dir\\file"],
    "hyphens": ["self-criticism", "anti-Stalinist", "co-op", "-leading", "trailing-",
                "a--b", "x-1", "well\u2010known", "soft\u00adhyphen", "em—dash", "2–3"],
    "long": ["x" * 90, "ы" * 85, "Rechtsschutzversicherungsgesellschaften" * 2, "a" * 78],
    "cjk": ["革命は官僚制によって裏切られた。", "「記憶」と（真実）", "中文，测试。",
            "한국어 텍스트",
            "ｶﾀｶﾅ", "『本』", "〔注〕"],
    "cyrillic": ["революция была предана", "свидетель писал: «правда»", "Ёлка-палка"],
    "arabic": ["الثورة خانتها البيروقراطية", "كَتَبَ عن ذلك،", "٣٤٥ صفحة", "نص:\u200fعربي",
               "\u200fمرحبا"],
    "hebrew": ["תל-אביב", "ה-1", "עִבְרִית-חדשה", "שָׁלוֹם"],
    "indic": ["नमस्ते दुनिया", "हिन्दी", "বাংলা ভাষা", "தமிழ்"],
    "combining": ["e\u0301te\u0301", "a\u0308", " \u0301x", "\u0327c", "n\u0303o"],
    "escapes": ["\"quoted\"", "back\\slash", "tab\there", "bell\a", "50%", "100 %"],
    "symbols": ["(paren)", "[1]", "{brace}", "$5", "€ 10", "#tag", "…", "—", "†", "§ 3"],
}
JOINS = [" ", " ", " ", "", "  ", "\n", " \n", "\n ", "\n  ", ", ", "\u00a0", ".", "-", "/"]


def _corpus_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 45)):
        parts += [rng.choice(PIECES[rng.choice(list(PIECES))]), rng.choice(JOINS)]
    return "".join(parts).strip() or "empty"


def test_generated_corpus_is_msgcat_identical(tmp_path):
    """1,200 seeded strings of every kind above, as msgid, msgstr, context and previous
    msgid (each wrapped at its own column): one msgcat run, byte-identical."""
    rng, po, count = random.Random(2024), polib.POFile(), 0
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for i in range(300):
        msgid, msgstr = _corpus_text(rng), _corpus_text(rng)
        if msgid.endswith("\n") != msgstr.endswith("\n"):
            msgstr = msgstr.rstrip("\n") + "\n" * msgid.endswith("\n")
        po.append(polib.POEntry(msgctxt=f"{i} {_corpus_text(rng)}"[:rng.randint(4, 120)],
                                msgid=msgid, msgstr=msgstr, previous_msgid=_corpus_text(rng),
                                obsolete=rng.random() < 0.1))
        count += 4
    path = tmp_path / "corpus.po"
    write_catalog(path, po)
    text = path.read_bytes().decode("utf-8")
    assert text.count("\n\"") > 200 and count == 1200  # many strings were wrapped
    _assert_same(_msgcat(path), text)
    assert format_catalog(read_catalog(path)) == text


def test_msgcat_normalisations(tmp_path):
    """What msgcat changes in a catalogue polib writes as it is; format_catalog does the same."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="", flags=["fuzzy", "custom-flag"]))
    po.append(polib.POEntry(msgid="b", msgstr="x",
                            flags=["python-format", "wrap", "fuzzy", "c-format"],
                            occurrences=[("./a.py", "1"), ("./a.py", "1"), ("b.py", "")]))
    po.append(polib.POEntry(msgid="c", msgstr="", obsolete=True))
    po.append(polib.POEntry(msgid="p", msgid_plural="ps", msgstr_plural={0: "", 1: "y"},
                            flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="d", msgstr="\a\x01", tcomment="C:\\dir\\"))
    expected = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                'msgid "a"\nmsgstr ""\n\n'
                '#: a.py:1 b.py\n#, fuzzy, c-format, python-format\nmsgid "b"\nmsgstr "x"\n\n'
                'msgid "p"\nmsgid_plural "ps"\nmsgstr[0] ""\nmsgstr[1] "y"\n\n'
                '# C:\\dir\\ \nmsgid "d"\nmsgstr "\\a\x01"\n')
    assert format_catalog(po) == expected
    path = tmp_path / "polib.po"
    po[-1].tcomment = ""  # polib would write the backslash that joins two lines
    po.header = "polib writes a lone '#' for an empty header, which polib objects cannot hold"
    po.save(str(path))
    _assert_same(_msgcat(path), format_catalog(po))
    po.metadata["Content-Type"] = "text/plain; charset=ISO-8859-1"
    assert "charset=UTF-8" in format_catalog(po)


# ------------------------------------------------------------------------------ reading

OBSOLETE_PO = r'''# Translator comment
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: serge\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

#. extracted
#: a.xml:1
#, fuzzy
#| msgctxt "old context"
#| msgid ""
#| "A previous message that is long enough to be wrapped by msgcat at the width "
#| "of seventy-nine columns."
msgctxt "ctx"
msgid "A message"
msgstr "Un message"

#, fuzzy
#~| msgid "the previous text of an obsolete message, also long enough to wrap at 79"
#~ msgid "obsolete"
#~ msgstr "obsolète"

#~ msgid "one apple"
#~ msgid_plural "%d apples"
#~ msgstr[0] "une pomme"
#~ msgstr[1] "%d pommes"

#~ msgid "dropped, as msgcat drops untranslated obsolete entries"
#~ msgstr ""
'''


def _read_matches_msgcat(tmp_path, name: str, data: bytes, *options) -> polib.POFile:
    path = tmp_path / name
    path.write_bytes(data)
    po = read_catalog(path)
    _assert_same(_msgcat(path, *options), format_catalog(po))
    return po


def test_read_obsolete_and_previous(tmp_path):
    po = _read_matches_msgcat(tmp_path, "obsolete.po", OBSOLETE_PO.encode())
    entry = po.find("A message", msgctxt="ctx")
    assert entry.previous_msgctxt == "old context" and entry.previous_msgid.endswith("columns.")
    old = [e for e in po if e.obsolete]
    assert old[0].previous_msgid.startswith("the previous")
    assert old[1].msgstr_plural[1] == "%d pommes"
    assert po.metadata_is_fuzzy and po.header == "Translator comment"


def test_read_crlf(tmp_path):
    """CR LF line ends are read as LF (msgcat itself keeps the CR of comment lines)."""
    crlf = tmp_path / "crlf.po"
    crlf.write_bytes(OBSOLETE_PO.replace("\n", "\r\n").encode())
    lf = tmp_path / "lf.po"
    lf.write_bytes(OBSOLETE_PO.encode())
    po = read_catalog(crlf)
    _assert_same(_msgcat(lf), format_catalog(po))
    assert "\r" in _msgcat(crlf) and not any("\r" in e.msgstr + e.comment for e in po)


def test_read_iso_8859_1(tmp_path):
    data = OBSOLETE_PO.replace("UTF-8", "ISO-8859-1").replace("obsolète", "café crème")
    po = _read_matches_msgcat(tmp_path, "latin1.po", data.encode("latin-1"), "--to-code=UTF-8")
    assert [e for e in po if e.obsolete][0].msgstr == "café crème"
    assert "charset=UTF-8" in format_catalog(po)


def test_read_escapes_and_other_layout(tmp_path):
    """Octal/hex escapes are bytes; tokens may share or span lines; a comment may follow a
    string (it goes to the next message); backslash-newline joins lines, even in comments."""
    data = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '#foo\n#.bar\nmsgid\n  "a" "b\\101\\x41\\303\\251\\a"\nmsgstr "x"  \n'
            '  "y" #, fuzzy\nmsgid "c" msgstr "d"\n'
            '# a comment that ends with a backslash \\\n# joined\nmsgid "e"\nmsgstr "f"\n')
    po = _read_matches_msgcat(tmp_path, "layout.po", data.encode())
    assert po[0].msgid == "abAAé\a" and po[0].msgstr == "xy" and po[0].tcomment == "foo"
    assert po[1].fuzzy and po[2].tcomment.endswith('backslash # joined')


def test_read_polib_saved_file(tmp_path):
    """polib's own layout (wrapped at 40, fuzzy kept on untranslated...) reads exactly."""
    po = _catalog(11, 80)
    po.wrapwidth = 40
    path = tmp_path / "polib.po"
    po.save(str(path))
    _read_matches_msgcat(tmp_path, "polib.po", path.read_bytes())


BROKEN = [
    ('msgid "a"\nmsgstr "b\n', 7, "unterminated"),
    ('msgid "a"\n', 6, "without msgstr"),
    ('msgid "a"\nmsgstr "\\q"\n', 7, "control sequence"),
    ('msgstr "a"\n', 6, "unexpected msgstr"),
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 9, "duplicate"),
    ('msgid "a"\nmsgstr "b"\nbogus\n', 8, "syntax error"),
    ('msgid "a"\n# comment\nmsgstr "b"\n', 6, "without msgstr"),
    ('#~ msgid "a"\nmsgstr "b"\n', 7, "inconsistent use of #~"),
    ('msgid "a"\nmsgstr "b\x04"\n', 7, "<EOT>"),
]


@pytest.mark.parametrize("tail,line,words", BROKEN)
def test_broken_file_gives_catalog_error(tmp_path, tail, line, words):
    path = tmp_path / "broken.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    "# comment\n" + tail, "utf-8")
    assert subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True).returncode
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert info.value.where == f"{path}:{line}", str(info.value)
    assert words in info.value.message and info.value.hint


def test_bad_bytes_and_missing_file(tmp_path):
    path = tmp_path / "bytes.po"
    path.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                     b'msgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert info.value.where.endswith(":5")
    with pytest.raises(CatalogError):
        read_catalog(tmp_path / "missing.po")


def test_a_carriage_return_in_a_comment_is_written_as_a_space(tmp_path):
    """A CR in a comment (found by hypothesis: '\\r#') would hide the rest of the line from
    GNU gettext and make the file unreadable to read_catalog: it is written as a space."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgctxt="0", msgid="\r#", msgstr="#\r", comment="a\r#b",
                            tcomment="c\rmsgid"))
    path = tmp_path / "cr.po"
    write_catalog(path, po)
    text = path.read_bytes().decode("utf-8")
    assert "#. a #b\n" in text and "# c msgid\n" in text
    again = read_catalog(path)
    assert again[0].msgid == "\r#" and again[0].comment == "a #b"
    assert format_catalog(again) == text
    _assert_same(_msgcat(path), text)
