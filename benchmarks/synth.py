"""A deterministic synthetic serge-publish project for benchmarks.

``make_project(out, essays=N, langs=L)`` writes ``out/serge-publish.toml`` and
``out/source/essay-0001.xml`` ... ``essay-NNNN.xml``. Every essay is made of the body
sentences of the shipped essays (``source/*.xml`` of this repository), drawn without
replacement with a seeded random generator and regrouped into paragraphs (lengths drawn from
the shipped paragraphs), block quotes and sections (headings drawn from the shipped ones).
A sentence that refers to a note brings the note along: notes are renumbered 1, 2, ... in
order of first reference, with ids ``n1``, ``n2``, ... Segment ids are ``s1``, ``s2``, ... in
document order, so ids are unique in an essay and the same on every run with the same seed.

Sentences repeat across essays (the pool has 454 body sentences): the translation
memory finds exact matches in the other essays, as it would in a series of related essays.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"t": TEI}

# Languages in order of use: the first five have built-in furniture; fr, de, ru, pl, ja
# cover one, two, three (two kinds) and no plural forms.
LANGUAGES = ("fr", "de", "ru", "es", "it", "pt", "pl", "ja", "nl", "sv", "cs", "uk")


def _t(name: str) -> str:
    return f"{{{TEI}}}{name}"


@dataclass(frozen=True)
class Pool:
    """What the essays are made of, read from the shipped sources."""
    sentences: tuple        # (origin, <s> element) of body paragraphs
    heads: tuple            # (origin, <s> element) of body headings
    notes: dict             # (origin, "#nK") -> <note> element
    para_sizes: tuple       # sentences per body paragraph, as shipped
    quote_share: float      # share of body paragraphs that are block quotes


def load_pool(source_dir: Path = ROOT / "source") -> Pool:
    sentences, heads, sizes, notes = [], [], [], {}
    quotes = paragraphs = 0
    for path in sorted(source_dir.glob("*.xml")):
        tree = etree.parse(str(path))
        for p in tree.iterfind(".//t:body//t:p", NS):
            paragraphs += 1
            quotes += p.getparent().tag == _t("quote")
            sizes.append(len(p))
            sentences.extend((path.stem, s) for s in p.iterfind("t:s", NS))
        heads.extend((path.stem, s) for s in tree.iterfind(".//t:body//t:head/t:s", NS))
        for note in tree.iterfind(".//t:back/t:div[@type='notes']/t:note", NS):
            notes[(path.stem, "#" + note.get(XML_ID))] = note
    return Pool(tuple(sentences), tuple(heads), notes, tuple(sizes), quotes / paragraphs)


def _sub(parent, name: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, _t(name), **attrs)
    element.text = text
    return element


class _Ids:
    """Segment and note numbering of one essay."""

    def __init__(self) -> None:
        self.next_segment = 1
        self.notes: dict = {}      # (origin, "#nK") -> new number

    def segment(self, s, parent):
        """A copy of ``s`` under ``parent`` with the next id (note references kept as is)."""
        new = copy.deepcopy(s)
        new.tail = None
        new.set(XML_ID, f"s{self.next_segment}")
        self.next_segment += 1
        parent.append(new)
        return new

    def renumber_refs(self, s, origin: str) -> None:
        for ref in s.iterfind("t:ref[@type='noteref']", NS):
            key = (origin, ref.get("target"))
            number = self.notes.setdefault(key, len(self.notes) + 1)
            ref.set("target", f"#n{number}")
            ref.text = str(number)


def _text_sentence(ids: _Ids, parent, text: str) -> None:
    s = etree.SubElement(parent, _t("s"))
    s.text = text
    s.set(XML_ID, f"s{ids.next_segment}")
    ids.next_segment += 1


def _header(root, ids: _Ids, number: int, rng: random.Random):
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _text_sentence(ids, _sub(title_stmt, "title", type="main"),
                   f"Synthetic essay {number}: on the borders of the defeated past")
    _sub(title_stmt, "author", rng.choice(["Doug Enaa Greene", "Suzi Weissman"]))
    _sub(_sub(_sub(file_desc, "publicationStmt"), "availability"), "p",
         "Synthetic benchmark text.")
    bibl = _sub(_sub(file_desc, "sourceDesc"), "bibl")
    _sub(bibl, "publisher", "serge-publish benchmarks")
    _sub(bibl, "date", "2026-01-01", when="2026-01-01")
    app = _sub(_sub(_sub(header, "encodingDesc"), "appInfo"), "application",
               ident="serge-publish", version="1", n="1")
    _sub(app, "label", "serge-publish source format; @n is the next free segment number "
                       "(ids are never reused)")
    return app


def _body(text, ids: _Ids, pool: Pool, rng: random.Random, size: int) -> None:
    body = _sub(text, "body")
    picked = rng.sample(pool.sentences, min(size, len(pool.sentences)))
    div = None
    while picked:
        if div is None or (len(div) > 4 and rng.random() < 0.2):
            div = _sub(body, "div")
            origin, s = rng.choice(pool.heads)
            ids.renumber_refs(ids.segment(s, _sub(div, "head")), origin)
        quoted = rng.random() < pool.quote_share
        p = _sub(_sub(div, "quote") if quoted else div, "p")
        for _ in range(min(rng.choice(pool.para_sizes), len(picked))):
            origin, s = picked.pop()
            ids.renumber_refs(ids.segment(s, p), origin)


def _back(text, ids: _Ids, pool: Pool) -> None:
    back = _sub(text, "back")
    if not ids.notes:
        return
    div = _sub(back, "div", type="notes")
    for key, number in ids.notes.items():
        note = _sub(div, "note", n=str(number), place="end")
        note.set(XML_ID, f"n{number}")
        for p in pool.notes[key].iterfind("t:p", NS):
            new_p = _sub(note, "p")
            for s in p.iterfind("t:s", NS):
                ids.segment(s, new_p)


def make_essay(number: int, pool: Pool, seed: int) -> etree._ElementTree:
    """Essay ``number`` (1-based): the same tree for the same pool, number and seed."""
    rng = random.Random(f"serge-bench-{seed}-{number}")
    ids = _Ids()
    root = etree.Element(_t("TEI"), nsmap={None: TEI,
                                            "its": "http://www.w3.org/2005/11/its"})
    root.set(XML_LANG, "en")
    app = _header(root, ids, number, rng)
    text = _sub(root, "text")
    _text_sentence(ids, _sub(_sub(text, "front"), "byline"), "By the benchmark")
    pool_size = len(pool.sentences)         # about 290 segments an essay, notes included,
    _body(text, ids, pool, rng, rng.randint(pool_size // 2, pool_size * 3 // 4))  # as shipped
    _back(text, ids, pool)
    app.set("n", str(ids.next_segment))
    return etree.ElementTree(root)


def essay_id(number: int) -> str:
    return f"essay-{number:04d}"


def config_text(langs: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{lang}"' for lang in langs)
    return (
        "# serge-publish benchmark project (generated by benchmarks/synth.py)\n"
        "[project]\n"
        'name = "serge-publish benchmark"\n'
        'publisher = "serge-publish benchmarks"\n'
        'source_language = "en"\n'
        f"target_languages = [{quoted}]\n"
        'rights = "Synthetic benchmark text."\n'
        'base_url = ""\n\n'
        "[build]\nthreshold = 80\ninclude_comments = false\n")


def make_project(out: Path, essays: int, langs: int, seed: int = 1) -> tuple[str, ...]:
    """Write the project; returns its target languages."""
    if langs > len(LANGUAGES):
        raise ValueError(f"at most {len(LANGUAGES)} languages")
    pool = load_pool()
    targets = LANGUAGES[:langs]
    (out / "source").mkdir(parents=True, exist_ok=True)
    (out / "serge-publish.toml").write_text(config_text(targets), encoding="utf-8")
    for number in range(1, essays + 1):
        tree = make_essay(number, pool, seed)
        tree.write(str(out / "source" / f"{essay_id(number)}.xml"), pretty_print=True,
                   xml_declaration=True, encoding="UTF-8")
    return targets


def sentences_text(tree: etree._ElementTree) -> list[str]:
    """The plain text of every segment (for the anchors and the counts)."""
    return ["".join(s.itertext()) for s in tree.iter(_t("s"))]
