"""Plain text as pasted from the web -> an unsegmented Document.

One non-empty line is one paragraph. What is recognised (see README.md, "Importing"):

- the first paragraph is the title; then, in any order, an image caption (a line that
  starts with a no-break space), a byline ("By ..."), a bracketed editorial note
  ("[This paper ...]") and a dateline ("January 18, 2016 — provenance — first words...",
  split at " — ");
- headings: short lines without final punctuation, set off by blank lines; run-in
  headings named in the hints file ("I. Life" inside running text) are split out;
  numbered candidates that no hint names are reported;
- block quotes: a paragraph right after one that ends with ":";
- note references "[12]" (a space or no-break space before them is dropped);
- notes: an "Endnotes 1. ... 2. ..." paragraph split at its sequential numbers, or
  footnote lines "[12]text"; a referenced note with no text becomes an empty note;
- a bracketed paragraph after the notes, or glued to the last note, is the author's bio;
  a bracketed paragraph after the body that repeats the front editorial note is kept as a
  duplicate; paragraphs after the footnotes are reader comments (two blank lines, or the
  hints' comments_start, separate two comments).

Documented normalisations (the fidelity test allows exactly these): whitespace; the
brackets around editorial notes and bios; note markers become references; the label
"Endnotes"/"Notes"/"Footnotes" of a note list is dropped (editions print their own);
"=s" repaired to "’s", a missing space after a full stop ("revolutionary.We") restored,
and "--" turned into an em dash, each with a diagnostic.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace

from ..errors import InputError, Report
from ..model import (Block, Content, Document, Inline, Location, Metadata, Segment,
                     iter_segments, noteref_targets, notes_by_id)
from .hints import Hints

NOTE_MARK = re.compile(r"[ \u00a0]?\[([1-9]\d{0,2})\]")
FOOTNOTE = re.compile(r"^\[([1-9]\d{0,2})\]\s*")
NOTES_LABEL = re.compile(r"^(?:Endnotes|End notes|Notes|Footnotes)\s*:?\s*(?=1\.\s)", re.I)
NOTES_HEADING = re.compile(r"^(?:Endnotes|End notes|Notes|Footnotes)\s*:?$", re.I)
NUMBERED = re.compile(r"^([1-9]\d{0,2})\.\s+")
BRACKETED = re.compile(r"^\[(?!\d+\])(.*)\]$", re.S)
BYLINE = re.compile(r"^By\s+([^\d,;:]+?)(?:\[\d+\])?$")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
          "November|December")
DATELINE = re.compile(rf"^((?:{MONTHS}) \d{{1,2}}, \d{{4}})(?: — |$)")
ROMAN_HEAD = re.compile(r"(?:^|(?<=[.!?”\"’] ))((?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\. [A-Z]")
DAMAGED_S = re.compile(r"(?<=\w)=s\b")
GLUED_STOP = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
DOUBLE_HYPHEN = re.compile(r" ?-- ?")


@dataclass(frozen=True)
class Para:
    text: str
    line: int
    blanks_before: int


def read(text: str, path: str, lang: str, report: Report, hints: Hints = Hints()) -> Document:
    paras = paragraphs(text, path, report)
    if not paras:
        raise InputError("the file holds no text", where=path)
    title, rest = paras[0], paras[1:]
    if len(title.text) > 150 or title.text.endswith("."):
        report.warn("import.long-title", "the first line, taken as the title, looks like a "
                    "sentence: is the title missing?", f"{path}:{title.line}")
    front, rest, meta = read_front(rest, path)
    body_paras, editorials, notes_paras, after = split_regions(rest)
    back_notes, bio, comments = read_back(notes_paras, after, path, report, hints)
    front_editorial = [b for b in front if b.kind == "editorial"]
    back = list(back_editorials(editorials, front_editorial, path)) + back_notes + bio + comments
    body = read_body(split_run_in(body_paras, hints, path, report), path, hints)
    doc = Document(id="tmp", lang=lang, title=leaf("title", title.text, path, title.line),
                   front=tuple(front), body=tuple(body), back=tuple(back),
                   metadata=metadata(meta, front, hints))
    return add_missing_notes(doc, path, report)


# ------------------------------------------------------------ lines and repairs

def paragraphs(text: str, path: str, report: Report) -> list[Para]:
    paras: list[Para] = []
    blanks = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            blanks += 1
            continue
        paras.append(Para(repair(line.rstrip(), f"{path}:{number}", report), number, blanks))
        blanks = 0
    return paras


def repair(line: str, where: str, report: Report) -> str:
    for pattern, good, code, what in (
            (DAMAGED_S, "’s", "import.encoding-repaired", "encoding damage '=s' repaired as '’s'"),
            (GLUED_STOP, ". ", "import.space-restored", "missing space after a full stop restored"),
    ):
        for match in pattern.finditer(line):
            context = line[max(0, match.start() - 12):match.end() + 8]
            report.warn(code, f"{what}: {context!r}", where)
        line = pattern.sub(good, line)
    if "--" in line:
        report.info("import.dash", "'--' written as an em dash '—'", where)
        line = DOUBLE_HYPHEN.sub(lambda m: " — " if m.group().startswith(" ") else "—", line)
    return line


# ------------------------------------------------------------ inline and blocks

def to_content(text: str) -> Content:
    """Text with "[12]" markers -> str runs and note references."""
    items: list = []
    pos = 0
    for match in NOTE_MARK.finditer(text):
        if match.start() > pos:
            items.append(text[pos:match.start()])
        n = match.group(1)
        items.append(Inline("noteref", (n,), (("target", f"n{n}"), ("n", n))))
        pos = match.end()
    if pos < len(text):
        items.append(text[pos:])
    return tuple(items)


def leaf(kind: str, text: str, path: str, line: int) -> Block:
    location = Location(path, line)
    return Block(kind, segments=(Segment("tmp", to_content(text.strip()), location),),
                 location=location)


def box(kind: str, children: list[Block], path: str, line: int, **extra) -> Block:
    return Block(kind, children=tuple(children), location=Location(path, line), **extra)


# ------------------------------------------------------------ front matter

def read_front(paras: list[Para], path: str) -> tuple[list[Block], list[Para], dict]:
    """Caption, byline, editorial note and dateline, in any order, up to the first paragraph."""
    front: list[Block] = []
    meta: dict[str, str] = {}
    while paras:
        para, paras = paras[0], paras[1:]
        if para.text.startswith("\u00a0"):
            front.append(box("figure", [leaf("caption", para.text, path, para.line)],
                             path, para.line))
        elif (match := BYLINE.match(para.text)) and len(match.group(1).split()) <= 8:
            meta["author"] = NOTE_MARK.sub("", match.group(1)).strip()
            front.append(leaf("byline", para.text, path, para.line))
        elif match := BRACKETED.match(para.text):
            front.append(box("editorial", [leaf("p", match.group(1), path, para.line)],
                             path, para.line))
        elif DATELINE.match(para.text) and parses_as_date(DATELINE.match(para.text).group(1)):
            blocks, rest = read_dateline(para, path, meta)
            return front + blocks, rest + paras, meta
        else:
            return front, [para] + paras, meta
    return front, paras, meta


def parses_as_date(text: str) -> bool:
    try:
        dt.datetime.strptime(text, "%B %d, %Y")
    except ValueError:
        return False
    return True


def read_dateline(para: Para, path: str, meta: dict) -> tuple[list[Block], list[Para]]:
    """"January 18, 2016 — provenance — first words" -> dateline, provenance, paragraph."""
    parts = para.text.split(" — ", 2)
    date = parts[0]
    meta["date"] = dt.datetime.strptime(date, "%B %d, %Y").date().isoformat()
    blocks = [leaf("dateline", date, path, para.line)]
    rest = parts[1:]
    if len(rest) == 2:
        provenance = rest.pop(0)
        meta["provenance"] = provenance
        meta["publisher"] = provenance.split(",")[0].strip()
        blocks.append(box("provenance", [leaf("p", provenance, path, para.line)],
                          path, para.line))
    return blocks, [Para(rest[0], para.line, 0)] if rest else []


def metadata(meta: dict, front: list[Block], hints: Hints) -> Metadata:
    merged = {**meta, **hints.metadata}
    return Metadata(author=merged.get("author", ""), date=merged.get("date", ""),
                    publisher=merged.get("publisher", ""),
                    provenance=merged.get("provenance", ""), rights=merged.get("rights", ""))


# ------------------------------------------------------------ regions

def split_regions(paras: list[Para]) -> tuple[list[Para], list[Para], list[Para], list[Para]]:
    """body paragraphs, bracketed editorial paragraphs after the body, note paragraphs, rest."""
    start = notes_start(paras)
    body, notes_and_after = paras[:start], paras[start:]
    editorials: list[Para] = []
    while body and BRACKETED.match(body[-1].text):
        editorials.insert(0, body.pop())
    if notes_and_after and NOTES_LABEL.match(notes_and_after[0].text):
        return body, editorials, notes_and_after[:1], notes_and_after[1:]
    if notes_and_after and NOTES_HEADING.match(notes_and_after[0].text):
        notes = numbered_lines(notes_and_after[1:])
        return body, editorials, notes, notes_and_after[1 + len(notes):]
    end = next((i for i, p in enumerate(notes_and_after) if not FOOTNOTE.match(p.text)),
               len(notes_and_after))
    return body, editorials, notes_and_after[:end], notes_and_after[end:]


def notes_start(paras: list[Para]) -> int:
    """Where the notes begin: an "Endnotes 1. ..." paragraph, a "Notes" line followed by
    "1. ..." lines, or the footnote line "[1]..." (else the first footnote line)."""
    for i, para in enumerate(paras):
        if NOTES_LABEL.match(para.text):
            return i
        following = paras[i + 1].text if i + 1 < len(paras) else ""
        if NOTES_HEADING.match(para.text) and following.startswith("1. "):
            return i
    footnotes = [i for i, p in enumerate(paras) if FOOTNOTE.match(p.text)]
    first = [i for i in footnotes if FOOTNOTE.match(paras[i].text).group(1) == "1"]
    return (first or footnotes or [len(paras)])[0]


def numbered_lines(paras: list[Para]) -> list[Para]:
    """"1. text", "2. text"... lines (sequential), as footnote lines "[1]text"."""
    notes: list[Para] = []
    for para in paras:
        match = NUMBERED.match(para.text)
        if not match or int(match.group(1)) != len(notes) + 1:
            break
        notes.append(replace(para, text=f"[{match.group(1)}]" + para.text[match.end():]))
    return notes


def back_editorials(paras: list[Para], front_editorial: list[Block], path: str):
    """Bracketed notes after the body: a repeat of the front one is a duplicate."""
    front_text = " ".join(s.text for b in front_editorial for c in b.children for s in c.segments)
    for para in paras:
        text = BRACKETED.match(para.text).group(1)
        block = box("editorial", [leaf("p", text, path, para.line)], path, para.line)
        similar = difflib.SequenceMatcher(None, front_text, text).ratio() > 0.6
        yield box("duplicate", [block], path, para.line) if similar else block


# ------------------------------------------------------------ body

def split_run_in(paras: list[Para], hints: Hints, path: str, report: Report) -> list[Para]:
    """Split run-in headings named in the hints out of their paragraphs; report others."""
    out: list[Para] = []
    for para in paras:
        out.extend(split_para(para, hints.headings))
    for para in out:
        if NOTE_MARK.sub("", para.text) in hints.headings:
            continue
        for match in ROMAN_HEAD.finditer(para.text):
            snippet = para.text[match.start():match.start() + 40]
            report.warn("import.run-in-heading",
                        f"possible run-in heading {snippet!r}: if it is one, name its exact "
                        f"text in the hints file (headings = [...])", f"{path}:{para.line}")
    return out


def split_para(para: Para, headings: tuple[str, ...]) -> list[Para]:
    for heading in headings:
        pos = find_heading(para.text, heading)
        if pos < 0:
            continue
        before = para.text[:pos].rstrip()
        after = para.text[pos + len(heading):]
        mark = re.match(r"[ \u00a0]?\[\d{1,3}\]", after)
        head = heading + (mark.group() if mark else "")
        after = after[len(mark.group()):] if mark else after
        parts = ([Para(before, para.line, para.blanks_before)] if before else [])
        parts.append(Para(head, para.line, 1 if before else para.blanks_before))
        if after.strip():
            parts.extend(split_para(Para(after.strip(), para.line, 1), headings))
        return parts
    return [para]


def find_heading(text: str, heading: str) -> int:
    """Position of a run-in heading: at the start of the text or of a sentence."""
    for match in re.finditer(re.escape(heading), text):
        start = match.start()
        if start == 0 or re.search(r"[.!?”\"’]\s$", text[:start]):
            return start
    return -1


def read_body(paras: list[Para], path: str, hints: Hints) -> list[Block]:
    divs: list[Block] = []
    current: list[Block] = []
    head: Block | None = None
    line = paras[0].line if paras else 1
    for i, para in enumerate(paras):
        if is_heading(para, paras[i + 1] if i + 1 < len(paras) else None, hints):
            if current or head:
                divs.append(section(head, current, path, line))
            head, current, line = leaf("head", para.text, path, para.line), [], para.line
        elif is_quote(para, paras[i - 1] if i else None, hints):
            current.append(box("quote", [leaf("p", para.text, path, para.line)],
                               path, para.line))
        else:
            current.append(leaf("p", para.text, path, para.line))
    if current or head:
        divs.append(section(head, current, path, line))
    return divs


def section(head: Block | None, blocks: list[Block], path: str, line: int) -> Block:
    return box("div", ([head] if head else []) + blocks, path, line)


def starts_with_any(text: str, prefixes: tuple[str, ...]) -> bool:
    return any(text.startswith(p) for p in prefixes)


def is_heading(para: Para, following: Para | None, hints: Hints) -> bool:
    if para.text in hints.headings or NOTE_MARK.sub("", para.text) in hints.headings:
        return True
    if starts_with_any(para.text, hints.not_headings):
        return False
    text = para.text
    return (len(text) <= 80 and len(text.split()) <= 12 and text[0].isupper()
            and text[-1] not in ".:;,?!…\"”’)]" and para.blanks_before > 0
            and (following is None or following.blanks_before > 0))


def is_quote(para: Para, previous: Para | None, hints: Hints) -> bool:
    if starts_with_any(para.text, hints.quotes):
        return True
    if starts_with_any(para.text, hints.not_quotes):
        return False
    return previous is not None and previous.text.endswith(":")


# ------------------------------------------------------------ notes, bio, comments

def read_back(notes: list[Para], after: list[Para], path: str, report: Report,
              hints: Hints) -> tuple[list[Block], list[Block], list[Block]]:
    note_blocks: list[Block] = []
    bio: list[Block] = []
    if notes and NOTES_LABEL.match(notes[0].text):
        text = NOTES_LABEL.sub("", notes[0].text)
        glued = re.search(r"\[([^\[\]]+)\]$", text)
        if glued and len(glued.group(1).split()) >= 6:
            text = text[:glued.start()]
            bio.append(box("bio", [leaf("p", glued.group(1), path, notes[0].line)],
                           path, notes[0].line))
        note_blocks = [note(n, body, path, notes[0].line)
                       for n, body in split_numbered(text)]
    else:
        for para in notes:
            n = FOOTNOTE.match(para.text).group(1)
            note_blocks.append(note(n, FOOTNOTE.sub("", para.text), path, para.line))
    while after and BRACKETED.match(after[0].text):
        para = after.pop(0)
        bio.append(box("bio", [leaf("p", BRACKETED.match(para.text).group(1), path, para.line)],
                       path, para.line))
    notes_div = [box("notes", note_blocks, path, notes[0].line)] if note_blocks else []
    return notes_div, bio, read_comments(after, path, report, hints)


def split_numbered(text: str) -> list[tuple[str, str]]:
    """'1. a 2. b 3. c' -> [('1','a'), ('2','b'), ('3','c')], by sequential numbers."""
    found: list[tuple[str, int, int]] = []
    n, pos = 1, 0
    while match := re.compile(rf"(?:^|(?<=\s)){n}\.\s").search(text, pos):
        found.append((str(n), match.start(), match.end()))
        n, pos = n + 1, match.end()
    return [(num, text[body:(found[i + 1][1] if i + 1 < len(found) else len(text))].strip())
            for i, (num, _, body) in enumerate(found)]


def note(n: str, text: str, path: str, line: int) -> Block:
    children = [leaf("p", text, path, line)] if text.strip() else []
    return box("note", children, path, line, id=f"n{n}", attrs=(("n", n),))


def read_comments(paras: list[Para], path: str, report: Report, hints: Hints) -> list[Block]:
    if not paras:
        return []
    groups: list[list[Para]] = []
    for para in paras:
        new = (not groups or para.blanks_before >= 2
               or (hints.comments_start and para.text.startswith(hints.comments_start)))
        if new:
            groups.append([])
        groups[-1].append(para)
    report.info("import.comments",
                f"{len(paras)} paragraph(s) after the notes kept as {len(groups)} reader "
                "comment(s), not part of the essay", f"{path}:{paras[0].line}")
    comments = [box("comment", [leaf("p", p.text, path, p.line) for p in group],
                    path, group[0].line) for group in groups]
    return [box("comments", comments, path, paras[0].line)]


def add_missing_notes(doc: Document, path: str, report: Report) -> Document:
    """A reference to a note that has no text: an empty note, and a warning."""
    have = set(notes_by_id(doc))
    missing: dict[str, int] = {}
    for ref in iter_segments(doc):
        for target in noteref_targets(ref.segment.content):
            if target not in have and target not in missing:
                missing[target] = ref.segment.location.line
                report.warn("import.note-missing",
                            f"note {target[1:]} is referenced but its text is missing: kept as "
                            "an empty note; add its text to the source",
                            str(ref.segment.location))
    if not missing:
        return doc
    blocks = [box("note", [], path, line, id=t, attrs=(("n", t[1:]),))
              for t, line in missing.items()]
    back = list(doc.back)
    index = next((i for i, b in enumerate(back) if b.kind == "notes"), None)
    if index is None:
        return replace(doc, back=tuple([box("notes", blocks, path, 0)] + back))
    notes = sorted(back[index].children + tuple(blocks), key=lambda b: int(b.attr("n")))
    back[index] = replace(back[index], children=tuple(notes))
    return replace(doc, back=tuple(back))
