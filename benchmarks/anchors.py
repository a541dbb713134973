"""Anchors: the same corpus through Sphinx + sphinx-intl and through po4a + pandoc.

Each anchor is run only when its tools are installed (otherwise "not installed, skipped").
The essays are converted from the synthetic TEI sources: headings, paragraphs, block quotes
and numbered footnotes (reStructuredText for Sphinx, pandoc Markdown for po4a). Catalogues
are filled with the same pseudo-translation as serge-publish's (``pseudo_message``), in this
process and timed apart. Every language is built, the source language too, as serge-publish
builds it. What differs, and is not comparable one to one: Sphinx makes one EPUB and one
HTML site per language (all essays), serge-publish one EPUB and one HTML page per essay plus
an anthology EPUB; the po4a anchor makes, per language, one EPUB and one HTML per essay and an
anthology EPUB (``pandoc --file-scope``).
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import synth
from lxml import etree
from measure import Measure, measure_inprocess, run_measured, table, total

PO4A_CHARSETS = ("--master-charset", "UTF-8", "--localized-charset", "UTF-8")


# ---------------------------------------------------------------- TEI -> blocks

def _inline(s, note_ref) -> str:
    """The text of <s>, with ``note_ref(n)`` in place of each note reference."""
    parts = [s.text or ""]
    for child in s:
        if child.get("type") == "noteref":
            parts.append(note_ref(int(child.text)))
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def blocks(tree, note_ref):
    """(kind, text) of the essay in reading order: title, head, p, quote, note (n, texts)."""
    def para(p):
        return " ".join(_inline(s, note_ref) for s in p.iterfind("t:s", synth.NS))
    root = tree.getroot()
    title = root.find(".//t:titleStmt/t:title/t:s", synth.NS)
    yield "title", "".join(title.itertext())
    for div in root.iterfind(".//t:body/t:div", synth.NS):
        for child in div:
            name = etree.QName(child).localname
            if name == "head":
                yield "head", para(child)
            elif name == "p":
                yield "p", para(child)
            elif name == "quote":
                for p in child.iterfind("t:p", synth.NS):
                    yield "quote", para(p)
    for note in root.iterfind(".//t:back/t:div[@type='notes']/t:note", synth.NS):
        yield "note", (int(note.get("n")), [para(p) for p in note.iter(synth._t("p"))])


def _escaped(tree, escape):
    """A copy of ``tree`` with the text of every segment escaped (note numbers kept)."""
    tree = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
    for s in tree.iter(synth._t("s")):
        s.text = escape(s.text) if s.text else s.text
        for child in s:
            if child.get("type") != "noteref" and child.text:
                child.text = escape(child.text)
            child.tail = escape(child.tail) if child.tail else child.tail
    return tree


# ---------------------------------------------------------------- reStructuredText

_RST_SPECIAL = re.compile(r"([\\*`_|])")
_RISKY_START = re.compile(r"^(\W|\w{1,4}[.)]\s)")


def _rst_escape(text: str) -> str:
    return _RST_SPECIAL.sub(r"\\\1", text)


def to_rst(tree) -> str:
    lines = []
    for kind, value in blocks(_escaped(tree, _rst_escape), lambda n: f"\\ [{n}]_\\ "):
        if kind == "note":
            number, texts = value
            body = "\n\n   ".join(t for t in texts) or "(no text)"
            lines += [f".. [{number}] {body}", ""]
            continue
        text = _rst_escape_text(value)
        if kind in ("title", "head"):
            lines += [text, ("=" if kind == "title" else "-") * (len(text) + 4), ""]
        elif kind == "quote":
            lines += ["   " + text, ""]
        else:
            lines += [text, ""]
    return "\n".join(lines)


def _rst_escape_text(text: str) -> str:
    """Paragraph text (already escaped) kept from reading as a list or comment."""
    return "\\ " + text if _RISKY_START.match(text) else text


# ---------------------------------------------------------------- pandoc Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~^])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(tree, essay: str) -> str:
    lines = []
    for kind, value in blocks(_escaped(tree, _md_escape), lambda n: f"[^{essay}-{n}]"):
        if kind == "title":
            lines += [f"# {value}", ""]
        elif kind == "head":
            lines += [f"## {value}", ""]
        elif kind == "quote":
            lines += [f"> {value}", ""]
        elif kind == "p":
            lines += [re.sub(r"^(\w{1,4})([.)]) ", r"\1\\\2 ", value), ""]
        else:
            number, texts = value
            body = "\n\n    ".join(texts) or "(no text)"
            lines += [f"[^{essay}-{number}]: {body}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- the pipelines

def _essays(project: Path):
    for path in sorted((project / "source").glob("*.xml")):
        yield path.stem, etree.parse(str(path))




def pseudo_fill_po(paths) -> int:
    import polib

    from serge_publish.catalog import pseudo_message
    filled = 0
    for path in paths:
        po = polib.pofile(str(path))
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            entry.msgstr = pseudo_message(entry.msgid)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        po.save(str(path))
    return filled


SPHINX_CONF = """project = "serge-publish benchmark"
author = "serge-publish benchmarks"
language = "en"
locale_dirs = ["locale/"]
gettext_compact = False
epub_basename = "benchmark"
"""


def sphinx_anchor(out: Path, project: Path, langs: tuple[str, ...]) -> list[Measure]:
    root = out / "sphinx"
    src = root / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    names = []
    for essay, tree in _essays(project):
        (src / f"{essay}.rst").write_text(to_rst(tree),
                                          encoding="utf-8")
        names.append(essay)
    toc = "\n".join(f"   {name}" for name in names)
    (src / "index.rst").write_text("Benchmark\n=========\n\n.. toctree::\n\n" + toc + "\n",
                                   encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    sphinx_build = str(shutil.which("sphinx-build", path=str(bin_dir)) or "sphinx-build")
    intl = str(shutil.which("sphinx-intl", path=str(bin_dir)) or "sphinx-intl")
    m = [run_measured("extract", [sphinx_build, "-q", "-b", "gettext", str(src),
                                  str(root / "_build" / "gettext")])]
    lang_args = [a for lang in langs for a in ("-l", lang)]
    m.append(run_measured("update", [intl, "update", "-p", str(root / "_build" / "gettext"),
                                     "-d", str(src / "locale"), *lang_args]))
    catalogues = src / "locale"
    m.append(measure_inprocess("(pseudo-fill every catalogue, in-process)",
                               lambda: pseudo_fill_po(sorted(catalogues.rglob("*.po")))))
    builds = _sphinx_builds(sphinx_build, src, root, ("en", *langs))
    m.append(total(builds, tuple(b.stage for b in builds), "build"))
    again = _sphinx_builds(sphinx_build, src, root, ("en", *langs))
    m.append(total(again, tuple(b.stage for b in again), "build, nothing changed"))
    return m


def _sphinx_builds(sphinx_build: str, src: Path, root: Path, langs) -> list[Measure]:
    measures = []
    for lang in langs:
        for builder in ("epub", "html"):
            measures.append(run_measured(
                f"{builder} {lang}",
                [sphinx_build, "-q", "-b", builder, "-D", f"language={lang}",
                 "-d", str(root / "_build" / "doctrees" / lang), str(src),
                 str(root / "_build" / builder / lang)]))
    return measures


def po4a_anchor(out: Path, project: Path, langs: tuple[str, ...]) -> list[Measure]:
    root = out / "po4a"
    (root / "md").mkdir(parents=True)
    cfg = [f"[po4a_langs] {' '.join(langs)}",
           "[po4a_paths] po/$master.pot $lang:po/$master.$lang.po"]
    names = []
    for essay, tree in _essays(project):
        (root / "md" / f"{essay}.md").write_text(to_markdown(tree, essay), encoding="utf-8")
        cfg.append(f"[type: text] md/{essay}.md $lang:out/$lang/{essay}.md "
                   'opt:"-o markdown"')
        names.append(essay)
    (root / "po4a.cfg").write_text("\n".join(cfg) + "\n", encoding="utf-8")
    m = [run_measured("extract + update",
                      ["po4a", *PO4A_CHARSETS, "--no-translations", "po4a.cfg"], cwd=root)]
    m.append(measure_inprocess("(pseudo-fill every catalogue, in-process)",
                               lambda: pseudo_fill_po(sorted(root.glob("po/*.po")))))
    translate = run_measured("po4a --no-update (translate)",
                             ["po4a", *PO4A_CHARSETS, "--no-update", "po4a.cfg"], cwd=root)
    pandoc = run_measured("pandoc", ["bash", _pandoc_script(root, names, langs)], cwd=root)
    m += [translate, pandoc, total([translate, pandoc], (translate.stage, pandoc.stage),
                                   "build")]
    return m


def _pandoc_script(root: Path, names: list[str], langs) -> str:
    lines = ["set -e"]
    for lang in ("en", *langs):
        folder = "md" if lang == "en" else f"out/{lang}"
        lines.append(f"mkdir -p epub/{lang}")
        for name in names:
            md = f"{folder}/{name}.md"
            lines.append(f"pandoc -M lang={lang} -M title={name} {md} -o epub/{lang}/{name}.epub")
            lines.append(f"pandoc -s -M lang={lang} -M title={name} {md} "
                         f"-o epub/{lang}/{name}.html")
        files = " ".join(f"{folder}/{name}.md" for name in names)
        lines.append(f"pandoc --file-scope -M lang={lang} -M title=Anthology {files} "
                     f"-o epub/{lang}/anthology.epub")
    script = root / "pandoc.sh"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(script)


def _have_sphinx() -> bool:
    return all(importlib.util.find_spec(name) for name in ("sphinx", "sphinx_intl"))


def run_all(out: Path, project: Path, langs: tuple[str, ...], serge_total: Measure) -> dict:
    results = {}
    anchors = (("Sphinx + sphinx-intl", _have_sphinx, sphinx_anchor),
               ("po4a + pandoc", lambda: bool(shutil.which("po4a") and shutil.which("pandoc")),
                po4a_anchor))
    for name, available, function in anchors:
        if not available():
            print(f"\n{name}: not installed, skipped")
            results[name] = None
            continue
        measures = function(out, project, langs)
        stages = tuple(m.stage for m in measures if not m.stage.startswith("(")
                       and "nothing changed" not in m.stage and m.stage in
                       ("extract", "update", "extract + update", "build"))
        whole = total(measures, stages)
        print()
        print(table(measures + [whole], f"{name}, same corpus, {len(langs)} languages + en"))
        ratio = whole.cpu / serge_total.cpu if serge_total.cpu else float("nan")
        print(f"\nCPU ratio {name} / serge-publish (extract + update + build): {ratio:.2f}"
              f" (wall {whole.wall / serge_total.wall:.2f})")
        results[name] = {"stages": [vars(m) for m in measures + [whole]], "cpu_ratio": ratio}
    return results
