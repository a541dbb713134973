"""What the planning step of a build reads: each catalogue once (the project catalogue
of a language, which every essay's plan uses, too), and a catalogue whose bytes changed
is read again."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from build_helpers import build
from serge_publish.catalog import po


def _parsed(monkeypatch) -> Counter[str]:
    """The catalogues parsed from now on, by path: by the full parser, or read in one step
    by the build's reader (parse_translations: as bytes if UTF-8, else as text), which
    hands the others to the full one."""
    seen: Counter[str] = Counter()
    real, real_plain = po._Parser.parse, po._plain_translations
    real_utf8 = po._plain_utf8

    def name(path: str) -> str:
        return Path(path).relative_to(Path(path).parents[3]).as_posix()

    def parse(self, text):
        seen[name(self.path)] += 1
        return real(self, text)

    def plain(text, path, charset):
        read = real_plain(text, path, charset)
        seen[name(path)] += read is not None
        return read
    def plain_utf8(raw, path):
        read = real_utf8(raw, path)
        seen[name(path)] += bool(read)
        return read
    monkeypatch.setattr(po._Parser, "parse", parse)
    monkeypatch.setattr(po, "_plain_translations", plain)
    monkeypatch.setattr(po, "_plain_utf8", plain_utf8)
    return seen


def test_a_build_reads_each_catalogue_once(make_root, monkeypatch):
    project = make_root("two-essays")
    seen = _parsed(monkeypatch)
    build(project, "--force", "--jobs", "1")
    catalogues = {p.relative_to(project).as_posix() for lang in ("fr", "es", "de")
                  for p in project.glob(f"locale/{lang}/*/*.po")}   # the configured ones
    assert len(catalogues) == 9 and set(seen) == catalogues
    assert set(seen.values()) == {1}, seen

    seen.clear()                                  # this process read them: not again
    build(project, "--force", "--jobs", "1")
    assert not any(name.endswith("_project.po") for name in seen)
    assert len(seen) == 6 and set(seen.values()) == {1}

    path = project / "locale" / "fr" / "LC_MESSAGES" / "_project.po"
    text = path.read_text("utf-8")
    path.write_text(text.replace("msgstr", "msgstr ", 1), "utf-8")   # other bytes, same texts
    seen.clear()
    build(project, "--force", "--jobs", "1")
    assert seen["locale/fr/LC_MESSAGES/_project.po"] == 1
    assert not any(name.endswith("_project.po") and "/fr/" not in name for name in seen)
