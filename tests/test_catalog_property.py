"""Property: `update` never loses a translation without saying so.

A real catalogue of the shipped project (French, greene-borders) gets random translations
(any Unicode text), fuzzy entries with a previous msgid, plural entries (active or obsolete,
some forms empty), duplicated,
moved or missing msgctxt, a duplicated entry, then CR / CRLF / mixed line ends, a wrong or
a true non-UTF-8 charset header, a truncation. Then `update` either fails with a located
error (exit 4, ``error: <file>...``) and leaves the file as it was, or every translation of
the input is in the output: active, obsolete, or (a plural form an active entry of the
same msgctxt and msgid cannot hold) quoted in that entry's translator comment.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_catalog_hardening import run

from serge_publish.catalog import read_catalog

ROOT = Path(__file__).resolve().parents[1]
ESSAY = "greene-borders"
REL = Path("locale/fr/LC_MESSAGES") / f"{ESSAY}.po"
_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"})


@dataclass(frozen=True)
class Block:
    """One catalogue entry as the test writes it (one line per string)."""
    msgid: str
    forms: tuple[str, ...]             # msgstr, or msgstr[0], msgstr[1]...
    msgctxt: str | None = None
    plural: str | None = None          # msgid_plural
    obsolete: bool = False
    comments: tuple[str, ...] = field(default=())

    def text(self) -> str:
        mark = "#~ " if self.obsolete else ""
        lines = [] if self.obsolete else list(self.comments)
        if self.msgctxt is not None:
            lines.append(f'{mark}msgctxt "{q(self.msgctxt)}"')
        lines.append(f'{mark}msgid "{q(self.msgid)}"')
        if self.plural is None:
            lines.append(f'{mark}msgstr "{q(self.forms[0])}"')
        else:
            lines.append(f'{mark}msgid_plural "{q(self.plural)}"')
            lines += [f'{mark}msgstr[{n}] "{q(f)}"' for n, f in enumerate(self.forms)]
        return "\n".join(lines) + "\n"


def q(text: str) -> str:
    return text.translate(_ESC)


def _real_catalogue() -> tuple[str, list[Block]]:
    """The shipped catalogue: its header block as it is, its entries as blocks."""
    text = (ROOT / REL).read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0] + "\n"
    blocks = [Block(e.msgid, (e.msgstr,), e.msgctxt,
                    comments=tuple(f"#. {c}" for c in e.comment.split("\n") if c))
              for e in read_catalog(ROOT / REL) if not e.obsolete]
    return header, blocks


HEADER, BLOCKS = _real_catalogue()
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FFFF)
               | st.sampled_from("\n\t\"\\ é«»ё"), min_size=1, max_size=20)


@st.composite
def catalogues(draw) -> tuple[bytes, list[str]]:
    """(the corrupted file, the translations it holds: complete lines of the input)."""
    blocks = list(BLOCKS)
    pick = st.integers(0, len(blocks) - 1)
    for i in draw(st.lists(pick, max_size=4)):                  # new translations
        blocks[i] = replace(blocks[i], forms=(draw(TEXT),))
    for i in draw(st.lists(pick, max_size=3)):                  # plural entries
        forms = draw(st.lists(st.one_of(st.just(""), TEXT), min_size=1, max_size=4))
        blocks[i] = replace(blocks[i], plural=draw(TEXT), forms=tuple(forms),
                            obsolete=draw(st.booleans()))
    for i in draw(st.lists(pick, max_size=3)):                  # fuzzy, made for another text
        blocks[i] = replace(blocks[i], comments=blocks[i].comments + (
            "#, fuzzy", f'#| msgid "{q(draw(TEXT))}"'))
    for i, j in draw(st.lists(st.tuples(pick, pick), max_size=2)):   # msgctxt of another
        blocks[i] = replace(blocks[i], msgctxt=blocks[j].msgctxt)
    for i in draw(st.lists(pick, max_size=2)):                  # msgctxt missing
        blocks[i] = replace(blocks[i], msgctxt=None)
    if draw(st.integers(0, 5)) == 5:                            # an entry twice
        blocks.insert(draw(pick), blocks[draw(pick)])
    text = HEADER + "".join("\n" + b.text() for b in blocks)
    text = draw(st.sampled_from([_same, _same, _crlf, _cr, _some_cr]))(text, draw)
    data = draw(st.sampled_from([_utf8, _utf8, _declared, _latin1]))(text, draw)
    if draw(st.integers(0, 3)) == 3:
        data = data[:draw(st.integers(len(data) // 20, len(data)))]
    return data, _present(blocks, data)


def _same(text, draw):
    return text


def _crlf(text, draw):
    return text.replace("\n", "\r\n")


def _cr(text, draw):
    return text.replace("\n", "\r")


def _some_cr(text, draw):
    parts = text.split("\n")
    ends = draw(st.lists(st.sampled_from(["\n", "\r"]), min_size=len(parts) - 1,
                         max_size=len(parts) - 1))
    return "".join(p + e for p, e in zip(parts, ends + [""], strict=False))


def _utf8(text, draw):
    return text.encode("utf-8")


def _declared(text, draw):
    """UTF-8 bytes under a single-byte charset header (mojibake waiting to happen)."""
    charset = draw(st.sampled_from(["ISO-8859-1", "KOI8-R", "CP1252"]))
    return text.replace("charset=UTF-8", f"charset={charset}").encode("utf-8")


def _latin1(text, draw):
    """A catalogue truly in ISO-8859-1, when its text allows it."""
    try:
        return text.replace("charset=UTF-8", "charset=ISO-8859-1").encode("iso-8859-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _present(blocks: list[Block], data: bytes) -> list[str]:
    """The translations whose whole line (any line end, either charset) is in ``data``."""
    found = []
    for b in blocks:
        names = ["msgstr"] if b.plural is None else [f"msgstr[{n}]" for n in range(len(b.forms))]
        for name, form in zip(names, b.forms, strict=True):
            line = f'{"#~ " * b.obsolete}{name} "{q(form)}"'
            if form and any(_encoded(line + end, cs) in data
                            for end in ("\n", "\r") for cs in ("utf-8", "iso-8859-1")):
                found.append(form)
    return found


def _encoded(text: str, charset: str) -> bytes:
    return text.encode(charset, "replace")


def _unnumbered(text: str) -> str:
    """A translation with its note placeholders' numbers left out."""
    return re.sub(r"<n\d+/>", "<n/>", text)


def _kept(path: Path) -> tuple[set[str], str]:
    """Every translation in the output (active and obsolete) and its translator comments."""
    po = read_catalog(path)
    forms = {e.msgstr for e in po} | {v for e in po for v in e.msgstr_plural.values()}
    return forms, "\n".join(e.tcomment for e in po)


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shipped")
    shutil.copy(ROOT / "serge-publish.toml", root)
    for folder in ("source", "locale"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


class _Project:
    def __init__(self, root: Path):
        self.root = root


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=catalogues())
def test_update_never_loses_a_translation_silently(project_dir, case):
    data, translations = case
    path = project_dir / REL
    path.write_bytes(data)
    path.with_name(path.name + "~").unlink(missing_ok=True)
    code, out, err = run(_Project(project_dir), "update", "--lang", "fr", ESSAY)
    event("refused" if code else "updated")
    if code != 0:
        event(err.split(": ", 2)[-1].split("\n")[0][:40])
        assert code == 4 and "Traceback" not in err, err
        assert re.match(rf"error: {re.escape(str(path))}(:\d+)?: ", err), err
        assert path.read_bytes() == data
        return
    forms, comments = _kept(path)
    forms |= {_unnumbered(f) for f in forms}       # old note numbers migrated (<n12/> -> <n1/>)
    lost = [t for t in translations if t not in forms and _unnumbered(t) not in forms
            and f'"{q(t)}"' not in comments]
    assert not lost, (lost, out)
