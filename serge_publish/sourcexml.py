"""Document <-> source/<essay>.xml, a TEI P5 subset (schema: schema/serge-tei.rng).

The only module that knows the XML vocabulary. Sources are validated against the
RELAX NG schema and checked (unique ids, note references resolve) when loaded;
every error names the file and line.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TypeVar, cast

from lxml import etree

from . import atomic, package_file
from .errors import SourceError
from .model import (
    LEAF_KINDS,
    Block,
    Content,
    Document,
    Inline,
    InlineItem,
    Location,
    Metadata,
    Segment,
    iter_blocks,
    noteref_targets,
)

TEI_NS = "http://www.tei-c.org/ns/1.0"
ITS_NS = "http://www.w3.org/2005/11/its"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP: dict[str | None, str] = {None: TEI_NS, "its": ITS_NS}
FORMAT_VERSION = "1"
_T = TypeVar("_T")


def tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
ITS_TRANSLATE = f"{{{ITS_NS}}}translate"

# model kind -> (TEI element, @type)
KIND_TO_TEI = {
    "p": ("p", None), "head": ("head", None), "caption": ("head", None),
    "byline": ("byline", None), "dateline": ("dateline", None),
    "div": ("div", None), "quote": ("quote", None), "figure": ("figure", None),
    "note": ("note", None), "notes": ("div", "notes"), "bio": ("div", "bio"),
    "editorial": ("div", "editorial"), "provenance": ("div", "provenance"),
    "duplicate": ("div", "duplicate"), "comments": ("div", "comments"),
    "comment": ("div", "comment"),
}
TEI_TO_KIND = {value: kind for kind, value in KIND_TO_TEI.items() if kind != "caption"}


# ---------------------------------------------------------------- reading

@lru_cache(maxsize=1)
def schema() -> etree.RelaxNG:
    text = package_file("schema/serge-tei.rng").read_bytes()
    return etree.RelaxNG(etree.fromstring(text))


def read_source(path: str | Path) -> Document:
    """Load, validate and check a source file."""
    path = Path(path)
    try:
        data = atomic.read_file(path)       # (not by libxml2: a fifo would keep it waiting)
    except OSError as exc:
        raise SourceError(f"cannot read the source: {atomic.reason(exc)}", where=str(path),
                          hint=atomic.reason_hint(exc)) from exc
    try:
        tree = etree.fromstring(data, etree.XMLParser(remove_comments=True),
                                base_url=str(path)).getroottree()
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"not well-formed XML: {exc.msg}", where=f"{path}:{exc.lineno}",
                          hint="fix the XML at that line by hand; if you cannot, move the file "
                               "aside and import its original again (its ids are then given "
                               "anew)") from exc
    refuse_processing_instructions(tree, path)
    validate(tree, path)
    doc = tree_to_document(tree.getroot(), path)
    check_document(doc, str(path))
    return doc


def refuse_processing_instructions(tree: etree._ElementTree, path: Path) -> None:
    """A processing instruction inside the root (``<?foo bar?>``) has no place in a source;
    ones before or after the root (``<?xml-stylesheet ...?>``) do not touch the text."""
    for pi in tree.getroot().iter(etree.ProcessingInstruction):
        # lxml-stubs: iter() is typed as yielding _Element, here it yields PIs
        target = pi.target  # type: ignore[attr-defined]
        raise SourceError(f"a processing instruction <?{target}?> is not allowed in a "
                          "source", where=f"{path}:{pi.sourceline}",
                          hint="delete it from the file by hand (a source holds only the "
                               "elements in docs/source-format.md)")


def validate(tree: etree._ElementTree, path: Path) -> None:
    rng = schema()
    if rng.validate(tree):
        return
    error = rng.error_log.filter_from_errors()[0] if rng.error_log else None
    line = error.line if error else 0
    missing_id(tree, path, line)
    message = error.message if error else "does not match the schema"
    raise SourceError(f"invalid source: {message}", where=f"{path}:{line}",
                      hint="see docs/source-format.md for the elements a source may use")


def missing_id(tree: etree._ElementTree, path: Path, line: int) -> None:
    """SourceError for a segment without an id (an editor added ``<s>Text.</s>``) when that
    is what the schema refused at ``line``: an ``<s>`` there has no xml:id. The hint gives
    the ids to write, from the counter (``application/@n``), and the counter's new value."""
    bare = [s for s in tree.getroot().iter(tei("s")) if s.get(XML_ID) is None]
    if not any(line_of(s) == line for s in bare):
        return
    app = tree.getroot().find(f".//{tei('application')}")
    counter = app.get("n", "") if app is not None else ""
    others = list(dict.fromkeys(str(line_of(s)) for s in bare if line_of(s) != line))
    more = f" (nor have the segments at line{'s' if len(others) > 1 else ''} " \
           f"{', '.join(others)})" if others else ""
    here = sum(line_of(s) == line for s in bare)    # those of this line (two, pasted in?)
    what = "this segment <s> has" if here == 1 else f"the {here} segments <s> of this line have"
    it = "it" if len(bare) == 1 else "them"
    if counter.isdigit():
        first, last = int(counter), int(counter) + len(bare) - 1
        ids = f'xml:id="s{first}"' if len(bare) == 1 else f"the ids s{first} to s{last} in order"
        hint = (f"give {it} {ids} (the counter <application n=\"{counter}\"> in the header "
                f"holds the next free number), then raise the counter to n=\"{last + 1}\"; "
                "never reuse an id (docs/source-format.md, 'Segments and ids')")
    else:
        hint = (f"give {it} xml:id=\"sN\", N being the counter <application n=\"N\"> in "
                "the header, then raise the counter by one for each (docs/source-format.md, "
                "'Segments and ids')")
    raise SourceError(f"invalid source: {what} no xml:id{more}",
                      where=f"{path}:{line}", hint=hint)


def line_of(el: etree._Element) -> int | None:
    """The element's line in its file (lxml-stubs leave ``sourceline`` untyped)."""
    return cast("int | None", el.sourceline)


def required(found: _T | None, what: str, file: str, el: etree._Element) -> _T:
    """``found``, which the schema requires: sources are validated before they are read, so
    this only fails on a tree that was not."""
    if found is None:
        raise SourceError(f"{what} is missing", where=str(Location(file, line_of(el))),
                          hint="see docs/source-format.md for the elements a source may use")
    return found


def tree_to_document(root: etree._Element, path: Path) -> Document:
    file = str(path)

    def find(parent: etree._Element, xpath: str) -> etree._Element:
        return required(parent.find(xpath), xpath, file, parent)

    header, text = find(root, tei("teiHeader")), find(root, tei("text"))
    title_el = find(header, f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}[@type='main']")
    sub_el = header.find(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}[@type='sub']")
    front = tuple(element_to_block(el, file) for el in find(text, tei("front")))
    if sub_el is not None:
        front = (Block("subtitle", segments=read_segments(sub_el, file),
                       location=Location(file, line_of(sub_el))),) + front
    app = find(header, f".//{tei('application')}")
    return Document(
        id=path.stem,
        lang=required(root.get(XML_LANG), "xml:lang", file, root),
        title=Block("title", segments=read_segments(title_el, file),
                    location=Location(file, line_of(title_el))),
        front=front,
        body=tuple(element_to_block(el, file) for el in find(text, tei("body"))),
        back=tuple(element_to_block(el, file) for el in find(text, tei("back"))),
        metadata=read_metadata(header),
        next_id=int(required(app.get("n"), "the id counter (@n)", file, app)),
    )


def read_metadata(header: etree._Element) -> Metadata:
    def text_of(xpath: str) -> str:
        found = header.find(xpath)
        return (found.text or "").strip() if found is not None else ""

    bibl = f"{tei('fileDesc')}/{tei('sourceDesc')}/{tei('bibl')}"
    date = header.find(f"{bibl}/{tei('date')}")
    ref = header.find(f"{bibl}/{tei('ref')}")
    authors = header.findall(f"{tei('fileDesc')}/{tei('titleStmt')}/{tei('author')}")
    return Metadata(
        author=tuple(name for a in authors if (name := (a.text or "").strip())),
        date=(date.get("when") or "") if date is not None else "",
        publisher=text_of(f"{bibl}/{tei('publisher')}"),
        provenance=text_of(f"{bibl}/{tei('note')}"),
        rights=text_of(f"{tei('fileDesc')}/{tei('publicationStmt')}/{tei('availability')}/{tei('p')}"),
        source_file=ref.get("target", "") if ref is not None else "",
    )


def local_name(el: etree._Element) -> str:
    """``etree.QName(el).localname``, without making a QName for an element's tag."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else etree.QName(el).localname


def element_to_block(el: etree._Element, file: str, parent_kind: str = "") -> Block:
    local = local_name(el)
    kind = "caption" if (local == "head" and parent_kind == "figure") else \
        TEI_TO_KIND[(local, el.get("type"))]
    location = Location(file, line_of(el))
    attrs = (("n", required(el.get("n"), "note number (@n)", file, el)),) \
        if kind == "note" else ()
    if kind in LEAF_KINDS:
        return Block(kind, segments=read_segments(el, file), location=location)
    children = tuple(element_to_block(child, file, kind) for child in el)
    return Block(kind, children=children, id=el.get(XML_ID), attrs=attrs, location=location)


def read_segments(el: etree._Element, file: str) -> tuple[Segment, ...]:
    return tuple(Segment(required(s.get(XML_ID), "segment id (xml:id)", file, s),
                         read_inline(s, file), Location(file, line_of(s)))
                 for s in el.iterchildren(tei("s")))


def read_inline(el: etree._Element, file: str) -> Content:
    items: list[InlineItem] = []
    if el.text:
        items.append(el.text)
    for child in el:
        items.append(inline_from_element(child, file))
        if child.tail:
            items.append(child.tail)
    return tuple(items)


def inline_from_element(el: etree._Element, file: str) -> Inline:
    local = local_name(el)
    if local == "ref":
        target = required(el.get("target"), "reference target (@target)", file, el)
        if el.get("type") == "noteref":
            number = (el.text or "").strip()
            return Inline("noteref", (number,), (("target", target.lstrip("#")), ("n", number)))
        return Inline("link", read_inline(el, file), (("href", target),))
    if local == "seg":
        return Inline("notranslate", (el.text or "",))
    lang = el.get(XML_LANG)
    if local in ("foreign", "title") and lang:
        return Inline(local, read_inline(el, file), (("lang", lang),))
    return Inline({"emph": "emph", "title": "title", "foreign": "foreign"}[local],
                  read_inline(el, file))


def check_document(doc: Document, file: str) -> None:
    """Ids unique, below next_id; note references resolve."""
    seen: dict[str, Location | None] = {}
    # iter_segments' segments, in its order, without a SegmentRef each (read twice)
    segments = [seg for _, blocks in doc.sections for block, _ in iter_blocks(blocks)
                for seg in block.segments]
    for seg in segments:
        if seg.id in seen:
            raise SourceError(f"segment id {seg.id!r} is used twice (first at {seen[seg.id]})",
                              where=_where(seg, file), hint="give one of them a new id above "
                                                            "the counter in <application n=...>")
        seen[seg.id] = seg.location
        if seg.id.startswith("s") and seg.id[1:].isdigit() and int(seg.id[1:]) >= doc.next_id:
            raise SourceError(f"segment id {seg.id!r} is not below the id counter "
                              f"({doc.next_id})", where=_where(seg, file),
                              hint="raise <application n=...> in the header above every id")
    notes = {b.id for _, blocks in doc.sections for b, _ in iter_blocks(blocks) if b.kind == "note"}
    for seg in segments:
        for target in noteref_targets(seg.content):
            if target not in notes:
                raise SourceError(f"note reference to #{target}, but there is no such note",
                                  where=str(seg.location or file),
                                  hint="add the <note> or remove the reference")


def _where(seg: Segment, file: str) -> str:
    """Where a segment is, for an error (made only for one)."""
    return str(seg.location) if seg.location else file


# ---------------------------------------------------------------- writing

def render_source(doc: Document, path: str | Path) -> bytes:
    """The source file's bytes, validated against the schema (SourceError if not valid)."""
    try:
        root = document_to_tree(doc)
    except ValueError as exc:          # lxml: a character XML cannot hold
        raise SourceError(f"cannot be written as XML: {exc}", where=str(path)) from exc
    indent(root)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
    validate(etree.ElementTree(etree.fromstring(data)), Path(path))
    return data


def write_source(doc: Document, path: str | Path) -> None:
    """Serialise, validate the result, then write atomically."""
    atomic.write_bytes(path, render_source(doc, path))


def document_to_tree(doc: Document) -> etree._Element:
    root = etree.Element(tei("TEI"), nsmap=NSMAP)  # type: ignore[arg-type]  # lxml-stubs: no None key
    root.set(XML_LANG, doc.lang)
    root.append(header_tree(doc))
    text = etree.SubElement(root, tei("text"))
    front = etree.SubElement(text, tei("front"))
    for block in doc.front:
        if block.kind != "subtitle":
            front.append(block_to_element(block))
    body = etree.SubElement(text, tei("body"))
    for block in doc.body:
        body.append(block_to_element(block))
    back = etree.SubElement(text, tei("back"))
    for block in doc.back:
        back.append(block_to_element(block))
    return root


def header_tree(doc: Document) -> etree._Element:
    meta = doc.metadata
    header = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    stmt = etree.SubElement(file_desc, tei("titleStmt"))
    add_segments(etree.SubElement(stmt, tei("title"), type="main"), doc.title.segments)
    for block in doc.front:
        if block.kind == "subtitle":
            add_segments(etree.SubElement(stmt, tei("title"), type="sub"), block.segments)
    for name in meta.author:                     # one <author> per person
        etree.SubElement(stmt, tei("author")).text = name
    pub = etree.SubElement(file_desc, tei("publicationStmt"))
    avail = etree.SubElement(pub, tei("availability"))
    if meta.rights:                              # never a statement the essay does not give
        etree.SubElement(avail, tei("p")).text = meta.rights
    else:
        avail.set("status", "unknown")
    bibl = etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("bibl"))
    if meta.publisher:
        etree.SubElement(bibl, tei("publisher")).text = meta.publisher
    if meta.date:
        etree.SubElement(bibl, tei("date"), when=meta.date).text = meta.date
    if meta.provenance:
        etree.SubElement(bibl, tei("note"), type="provenance").text = meta.provenance
    if meta.source_file:
        etree.SubElement(bibl, tei("ref"), target=meta.source_file)
    app_info = etree.SubElement(etree.SubElement(header, tei("encodingDesc")), tei("appInfo"))
    app = etree.SubElement(app_info, tei("application"), ident="serge-publish",
                           version=FORMAT_VERSION, n=str(doc.next_id))
    etree.SubElement(app, tei("label")).text = (
        "serge-publish source format; @n is the next free segment number (ids are never reused)")
    return header


def block_to_element(block: Block) -> etree._Element:
    tag, type_ = KIND_TO_TEI[block.kind]
    el = etree.Element(tei(tag))
    if type_:
        el.set("type", type_)
    if block.kind == "note":
        el.set(XML_ID, needed(block.id, block, "id"))
        el.set("n", needed(block.attr("n"), block, "n"))
        el.set("place", "end")
    if block.kind in LEAF_KINDS:
        add_segments(el, block.segments)
    for child in block.children:
        el.append(block_to_element(child))
    return el


def needed(value: str | None, owner: Block | Inline, name: str) -> str:
    """An attribute the schema requires; a model without it cannot be written (ValueError,
    reported by :func:`render_source`)."""
    if value is None:
        raise ValueError(f"a {owner.kind} without {name!r}")
    return value


def add_segments(parent: etree._Element, segments: tuple[Segment, ...]) -> None:
    for segment in segments:
        s = etree.SubElement(parent, tei("s"))
        s.set(XML_ID, segment.id)
        write_inline(s, segment.content)


def write_inline(el: etree._Element, content: Content) -> None:
    last: etree._Element | None = None
    for item in content:
        if isinstance(item, str):
            if last is None:
                el.text = (el.text or "") + item
            else:
                last.tail = (last.tail or "") + item
            continue
        last = inline_to_element(item)
        el.append(last)


def inline_to_element(item: Inline) -> etree._Element:
    if item.kind == "noteref":
        el = etree.Element(tei("ref"), type="noteref",
                           target="#" + needed(item.attr("target"), item, "target"))
        el.text = item.attr("n")
        return el
    if item.kind == "notranslate":
        el = etree.Element(tei("seg"))
        el.set(ITS_TRANSLATE, "no")
        el.text = "".join(c for c in item.children if isinstance(c, str))
        return el
    if item.kind == "link":
        el = etree.Element(tei("ref"), target=needed(item.attr("href"), item, "href"))
    else:
        el = etree.Element(tei(item.kind))
        lang = item.attr("lang", "")
        if item.kind in ("foreign", "title") and lang:
            el.set(XML_LANG, lang)
    write_inline(el, item.children)
    return el


def indent(el: etree._Element, level: int = 0) -> None:
    """Indent structure only: never whitespace inside a segment (<s> content is text)."""
    if etree.QName(el).localname == "s" or len(el) == 0:
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level
