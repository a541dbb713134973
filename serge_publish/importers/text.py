"""Plain text as pasted from the web -> intermediate items for the shared assembler.

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

What is format-specific stays here (lines, blank lines, brackets, " — " run-ins, note
markers); what every reader shares is in ``assembly.py``: the byline and date rules (words
of the import language, from ``data/import_patterns.json``), the title, the front matter,
the divisions at each heading, the numbering and checking of notes, whitespace.

Documented normalisations (the fidelity test allows exactly these): whitespace; the
brackets around editorial notes and bios; note markers become references; the label
"Endnotes"/"Notes"/"Footnotes" of a note list is dropped (editions print their own);
"=s" repaired to "’s", a missing space after a full stop ("revolutionary.We") restored,
and "--" turned into an em dash, each with a diagnostic.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from ..errors import InputError, Report
from ..model import Block, Document, InlineItem, Location, Metadata
from .assembly import Definition, Item, NoteTable, assemble, byline_names, iso_date, names_of
from .assembly import leaf as make_leaf
from .hints import Hints
from .patterns import Patterns, patterns_for

NOTE_MARK = re.compile(r"[ \u00a0]?\[([1-9]\d{0,2})\]")
FOOTNOTE = re.compile(r"^\[([1-9]\d{0,2})\]\s*")
NUMBERED = re.compile(r"^([1-9]\d{0,2})\.\s+")
BRACKETED = re.compile(r"^\[(?!\d+\])(.*)\]$", re.S)
ROMAN_HEAD = re.compile(r"(?:^|(?<=[.!?”\"’] ))((?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\. [A-Z]")
DAMAGED_S = re.compile(r"(?<=\w)=s\b")
GLUED_STOP = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
DOUBLE_HYPHEN = re.compile(r" ?-- ?")
RUN_IN = " — "


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
    reader = _TextReader(path, report, hints, patterns_for(lang))
    front, rest, metadata = reader.front(rest)
    body_paras, editorials, notes_paras, after = split_regions(rest, reader.patterns)
    definitions, bio, comments = reader.back(notes_paras, after)
    duplicates = reader.back_editorials(editorials, [i.block for i in front
                                                     if i.block.kind == "editorial"])
    body = reader.body(split_run_in(body_paras, hints, path, report))
    back = tuple(duplicates) + reader.notes.build(definitions) + tuple(bio + comments)
    items = reader.items("head", title, level=1) + front + body
    return assemble(items, path=path, lang=lang, report=report, back=back,
                    metadata=hinted(metadata, hints, reader.patterns))


def hinted(metadata: Metadata, hints: Hints, patterns: Patterns) -> Metadata:
    """The metadata the text gives, overridden by the hints' (whose author may name
    several people: "Ann Lee and Bob Ray")."""
    facts = hints.metadata
    return replace(
        metadata,
        author=names_of(facts["author"], patterns) if "author" in facts else metadata.author,
        date=facts.get("date", metadata.date),
        publisher=facts.get("publisher", metadata.publisher),
        provenance=facts.get("provenance", metadata.provenance),
        rights=facts.get("rights", metadata.rights))


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


# ------------------------------------------------------------ the reader

class _TextReader:
    """Turns paragraphs into Items and blocks; note markers go through the NoteTable."""

    def __init__(self, path: str, report: Report, hints: Hints, patterns: Patterns):
        self.path, self.report, self.hints, self.patterns = path, report, hints, patterns
        self.notes = NoteTable(path, report, keep_numbers=True)

    def content(self, text: str, line: int) -> list[InlineItem]:
        """Text with "[12]" markers -> str runs and note references."""
        items: list[InlineItem] = []
        pos = 0
        for match in NOTE_MARK.finditer(text):
            items += [text[pos:match.start()], self.notes.ref(match.group(1), line)]
            pos = match.end()
        return items + [text[pos:]]

    def leaf(self, kind: str, text: str, line: int) -> list[Block]:
        block = make_leaf(kind, self.content(text, line), self.path, line)
        return [block] if block else []

    def box(self, kind: str, children: list[Block], line: int) -> Block:
        return Block(kind, children=tuple(children), location=Location(self.path, line))

    def boxed(self, kind: str, text: str, line: int) -> list[Block]:
        return [self.box(kind, self.leaf("p", text, line), line)]

    def items(self, kind: str, para: Para, level: int = 0, front: bool = False) -> list[Item]:
        return [Item(block, level, front) for block in self.leaf(kind, para.text, para.line)]

    # -- front matter: what it is, the assembler decides with the shared rules

    def front(self, paras: list[Para]) -> tuple[list[Item], list[Para], Metadata]:
        """Caption, byline, editorial note and dateline, in any order, up to the first
        paragraph."""
        items: list[Item] = []
        while paras:
            para, text = paras[0], paras[0].text
            if text.startswith("\u00a0"):
                found = [self.box("figure", self.leaf("caption", text, para.line), para.line)]
            elif byline_names(NOTE_MARK.sub("", text), self.patterns):
                found = self.leaf("p", text, para.line)
            elif match := BRACKETED.match(text):
                found = self.boxed("editorial", match.group(1), para.line)
            elif iso_date(text.split(RUN_IN, 1)[0], self.patterns):
                blocks, rest, metadata = self.dateline(para)
                return items + [Item(b, 0, True) for b in blocks], rest + paras[1:], metadata
            else:
                break
            items += [Item(block, 0, True) for block in found]
            paras = paras[1:]
        return items, paras, Metadata()

    def dateline(self, para: Para) -> tuple[list[Block], list[Para], Metadata]:
        """"January 18, 2016 — provenance — first words" -> dateline, provenance, paragraph."""
        date, *rest = para.text.split(RUN_IN, 2)
        blocks = self.leaf("dateline", date, para.line)
        metadata = Metadata()
        if len(rest) == 2:
            provenance = rest.pop(0)
            metadata = Metadata(provenance=provenance, publisher=provenance.split(",")[0].strip())
            blocks += self.boxed("provenance", provenance, para.line)
        return blocks, [Para(rest[0], para.line, 0)] if rest else [], metadata

    # -- body

    def body(self, paras: list[Para]) -> list[Item]:
        items: list[Item] = []
        for i, para in enumerate(paras):
            following = paras[i + 1] if i + 1 < len(paras) else None
            if is_heading(para, following, self.hints):
                items += self.items("head", para, level=2)
            elif is_quote(para, paras[i - 1] if i else None, self.hints):
                items.append(Item(self.boxed("quote", para.text, para.line)[0]))
            else:
                items += self.items("p", para)
        return items

    # -- back: notes, bio, comments

    def back(self, notes: list[Para], after: list[Para]
             ) -> tuple[dict[str, Definition], list[Block], list[Block]]:
        """Note definitions by number, the bio and the reader comments."""
        definitions: dict[str, Definition] = {}
        bio: list[Block] = []
        label = self.patterns.notes_label
        if notes and label.match(notes[0].text):
            text, line = label.sub("", notes[0].text), notes[0].line
            glued = re.search(r"\[([^\[\]]+)\]$", text)
            if glued and len(glued.group(1).split()) >= 6:
                text = text[:glued.start()]
                bio += self.boxed("bio", glued.group(1), line)
            for n, body in split_numbered(text):
                self.define(definitions, n, body, line)
        else:
            for para in notes:
                n = known_match(FOOTNOTE, para.text).group(1)
                self.define(definitions, n, FOOTNOTE.sub("", para.text), para.line)
        while after and (bracketed := BRACKETED.match(after[0].text)):
            para = after.pop(0)
            bio += self.boxed("bio", bracketed.group(1), para.line)
        return definitions, bio, self.comments(after)

    def define(self, definitions: dict[str, Definition], n: str, text: str, line: int) -> None:
        if n in definitions:
            self.report.warn("import.note-duplicate", f"note {n} is given twice; the first "
                             "text is kept", f"{self.path}:{line}")
            return
        definitions[n] = (line, lambda: tuple(self.leaf("p", text, line)))

    def back_editorials(self, paras: list[Para], front_editorial: list[Block]) -> list[Block]:
        """Bracketed notes after the body: a repeat of the front one is a duplicate."""
        front_text = " ".join(s.text for b in front_editorial for c in b.children
                              for s in c.segments)
        blocks = []
        for para in paras:
            text = known_match(BRACKETED, para.text).group(1)
            block = self.boxed("editorial", text, para.line)[0]
            similar = difflib.SequenceMatcher(None, front_text, text).ratio() > 0.6
            blocks.append(self.box("duplicate", [block], para.line) if similar else block)
        return blocks

    def comments(self, paras: list[Para]) -> list[Block]:
        if not paras:
            return []
        groups: list[list[Para]] = []
        start = self.hints.comments_start
        for para in paras:
            if not groups or para.blanks_before >= 2 or (start and para.text.startswith(start)):
                groups.append([])
            groups[-1].append(para)
        self.report.info("import.comments",
                         f"{len(paras)} paragraph(s) after the notes kept as {len(groups)} "
                         "reader comment(s), not part of the essay", f"{self.path}:{paras[0].line}")
        comments = [self.box("comment", [b for p in group for b in self.leaf("p", p.text, p.line)],
                             group[0].line) for group in groups]
        return [self.box("comments", comments, paras[0].line)]


# ------------------------------------------------------------ regions

def split_regions(paras: list[Para], patterns: Patterns
                  ) -> tuple[list[Para], list[Para], list[Para], list[Para]]:
    """body paragraphs, bracketed editorial paragraphs after the body, note paragraphs, rest."""
    start = notes_start(paras, patterns)
    body, notes_and_after = paras[:start], paras[start:]
    editorials: list[Para] = []
    while body and BRACKETED.match(body[-1].text):
        editorials.insert(0, body.pop())
    if notes_and_after and patterns.notes_label.match(notes_and_after[0].text):
        return body, editorials, notes_and_after[:1], notes_and_after[1:]
    if notes_and_after and patterns.notes_heading.match(notes_and_after[0].text):
        notes = numbered_lines(notes_and_after[1:])
        return body, editorials, notes, notes_and_after[1 + len(notes):]
    end = next((i for i, p in enumerate(notes_and_after) if not FOOTNOTE.match(p.text)),
               len(notes_and_after))
    return body, editorials, notes_and_after[:end], notes_and_after[end:]


def notes_start(paras: list[Para], patterns: Patterns) -> int:
    """Where the notes begin: an "Endnotes 1. ..." paragraph, a "Notes" line followed by
    "1. ..." lines, or the footnote line "[1]..." (else the first footnote line)."""
    for i, para in enumerate(paras):
        if patterns.notes_label.match(para.text):
            return i
        following = paras[i + 1].text if i + 1 < len(paras) else ""
        if patterns.notes_heading.match(para.text) and following.startswith("1. "):
            return i
    footnotes = [(i, match.group(1)) for i, p in enumerate(paras)
                 if (match := FOOTNOTE.match(p.text))]
    first = [i for i, n in footnotes if n == "1"]
    return (first or [i for i, _ in footnotes] or [len(paras)])[0]


def known_match(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    """``pattern``'s match at the start of ``text``, which split_regions chose by it."""
    match = pattern.match(text)
    if match is None:
        raise ValueError(f"{text[:40]!r} does not start with {pattern.pattern!r}")
    return match


def numbered_lines(paras: list[Para]) -> list[Para]:
    """"1. text", "2. text"... lines (sequential), as footnote lines "[1]text"."""
    notes: list[Para] = []
    for para in paras:
        match = NUMBERED.match(para.text)
        if not match or int(match.group(1)) != len(notes) + 1:
            break
        notes.append(replace(para, text=f"[{match.group(1)}]" + para.text[match.end():]))
    return notes


def split_numbered(text: str) -> list[tuple[str, str]]:
    """'1. a 2. b 3. c' -> [('1','a'), ('2','b'), ('3','c')], by sequential numbers."""
    found: list[tuple[str, int, int]] = []
    n, pos = 1, 0
    while match := re.compile(rf"(?:^|(?<=\s)){n}\.\s").search(text, pos):
        found.append((str(n), match.start(), match.end()))
        n, pos = n + 1, match.end()
    return [(num, text[body:(found[i + 1][1] if i + 1 < len(found) else len(text))].strip())
            for i, (num, _, body) in enumerate(found)]


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
