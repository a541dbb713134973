"""The catalogue reader's one-step path (a whole plain message matched at once) reads
exactly what the line-by-line path reads: the same entries, field for field, and the same
errors at the same lines; and it is the path plain catalogues take."""
from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest

from serge_publish.catalog.po import _Parser, format_catalog, parse_catalog
from serge_publish.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


class _Counting(_Parser):
    whole = 0

    def entry(self, m, no):
        read = super().entry(m, no)
        self.whole += read
        return read


def _read(text: str, fast: bool) -> tuple[object, int]:
    """What the reader makes of ``text`` (each entry's every field, or the error), and how
    many messages it read in one step."""
    parser = _Counting("x.po", "UTF-8")
    parser.fast = fast
    try:
        return [vars(e) for e in parser.parse(text)], parser.whole
    except CatalogError as exc:
        return ("error", exc.message, exc.where, exc.hint), parser.whole


def _same(text: str) -> int:
    fast, whole = _read(text, True)
    slow, none = _read(text, False)
    assert none == 0
    assert fast == slow, text
    return whole


def _catalogue(rng: random.Random, count: int) -> str:
    """A catalogue as msgcat writes it: comments of every kind, msgctxt, long (wrapped)
    strings, escapes, flags, previous strings, plurals, obsolete messages."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    po.header = "A header comment"
    words = ["révolution", "témoin", '"quoted"', "back\\slash", "tab\there", "line\n",
             "C:\\x", "«»", "x" * 30, "%d", "{n}", "<n1/>", "a", "b"]
    for n in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        entry = polib.POEntry(msgid=f"{n} {text}", msgstr=rng.choice(["", text.upper()]))
        if rng.random() < 0.7:
            entry.msgctxt = f"s{n}" if rng.random() < 0.8 else f"context {text}"
        if rng.random() < 0.6:
            entry.comment = "paragraph\nnext: " + text.replace("\n", " ")
        if rng.random() < 0.2:
            entry.tcomment = rng.choice(["", " indented", "trailing  ", "#"])
        if rng.random() < 0.6:
            entry.occurrences = [(f"source/e{n}.xml", str(n)), ("f", ""), ("a:b", "x")]
        if rng.random() < 0.3:
            entry.flags = rng.sample(["fuzzy", "c-format", "no-wrap"], rng.randint(1, 2))
        if rng.random() < 0.1:
            entry.previous_msgid = "old " + text
        if rng.random() < 0.1 and entry.msgctxt is None:
            entry.msgid_plural, entry.msgstr_plural = "pl", {0: text, 1: text + "s"}
        entry.obsolete = rng.random() < 0.05 and bool(entry.msgstr)
        po.append(entry)
    return format_catalog(po)


MUTATIONS = [
    lambda line: " " + line,                      # leading whitespace
    lambda line: line + "  ",                     # trailing whitespace
    lambda line: line + "\\",                     # backslash-newline: joins lines
    lambda line: "#~ " + line,                    # an obsolete line among active ones
    lambda line: "#| " + line,
    lambda line: "",                              # a line lost
    lambda line: line + "\n" + line,              # a line twice
    lambda line: line.replace('"', '"\\101', 1),  # an octal escape
    lambda line: line.replace('"', '"\\q', 1),    # an invalid escape
    lambda line: line.replace('"', '"\\303', 1),  # half a UTF-8 character
    lambda line: line.replace('"', '"\x04', 1),   # EOT
    lambda line: line.replace(' "', '"', 1),      # keyword and string joined
    lambda line: line.replace('"', '', 1),        # an unterminated string
    lambda line: line + " # a comment",
    lambda line: line.replace("msgstr", "msgstr[0]"),
    lambda line: line.replace("msgid", "msgid_plural"),
    lambda line: line + "\r",                     # a CR
    lambda line: "\n",                            # a blank line
    lambda line: line.replace("#.", "#,").replace("#:", "#"),
]


@pytest.mark.parametrize("seed", range(6))
def test_plain_catalogues_are_read_in_one_step_each_message(seed):
    text = _catalogue(random.Random(seed), 60)
    whole = _same(text)
    active = sum(1 for e in parse_catalog(text.encode(), "x.po") if not e.obsolete)
    assert whole >= active - sum(1 for e in parse_catalog(text.encode(), "x.po")
                                 if e.msgid_plural or e.previous_msgid)


@pytest.mark.parametrize("seed", range(100))
def test_damaged_catalogues_read_alike_on_both_paths(seed):
    """Every kind of damage and odd layout, anywhere: the same entries or the same error
    (message, file:line, hint) on both paths."""
    rng = random.Random(seed)
    lines = _catalogue(rng, 25).split("\n")
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(lines))
        lines[at] = rng.choice(MUTATIONS)(lines[at])
    _same("\n".join(lines))


@pytest.mark.parametrize("text", [
    "", "\n", HEADER, HEADER.rstrip("\n"), HEADER + "#. c\n",
    HEADER + 'msgid "a"\nmsgstr "b"',                     # no final line end
    HEADER + 'msgid "a"\nmsgstr "b"\n"c"\n',               # a continuation line
    HEADER + 'msgid "a"\nmsgstr "b"\n  "c"\n',             # ... indented
    HEADER + 'msgid "a"\nmsgstr\n\nmsgid "b"\nmsgstr "c"\n',   # a keyword without string
    HEADER + 'msgctxt "x"\n\nmsgid "a"\nmsgstr "b"\n',
    HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',   # duplicate
    HEADER + 'msgid "a\\1"\n"23"\nmsgstr "\\303"\n"\\251"\n',  # escapes per string
    HEADER + '#, fuzzy , c-format,,\n#: a:1 b:x c: d:12 :3\n#\n#.\n# \nmsgid "a"\nmsgstr ""\n',
    HEADER + '#~ msgid "a"\n#~ msgstr "b"\nmsgid "c"\nmsgstr "d"\n',
    HEADER + 'msgid "a"\nmsgstr "b"\n#~ msgid "c"\n#~ msgstr "d"\n\nmsgid "e"\nmsgstr "f"\n',
    HEADER + "#: x\\\n#. y\nmsgid \"a\"\nmsgstr \"b\"\n",
    HEADER + 'msgid "a"\nmsgstr "b"\n#|  msgid "x"\nmsgid "c"\nmsgstr "d"\n',
])
def test_odd_layouts_read_alike_on_both_paths(text):
    _same(text)


def test_the_shipped_catalogues_read_alike_on_both_paths():
    shipped = sorted((ROOT / "locale").glob("**/*.po"))
    assert shipped
    for path in shipped:
        text = path.read_text("utf-8")
        assert _same(text) > 0, path
