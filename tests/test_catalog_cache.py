"""update and extract skip what has not changed since the last run (.serge-cache/): a hash
of the inputs decides, never a timestamp; the bytes written are the same with or without
the cache, and whatever the number of processes (--jobs)."""
from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from serge_publish import catalog
from serge_publish.cli import main
from serge_publish.commands import catalog as commands
from serge_publish.commands.catalog_cache import tool_version

# two projects compared after updating them a moment apart: dated alike
pytestmark = pytest.mark.usefixtures("same_minute")


def tree(root: Path, folder: str = "locale") -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def run(capsys, root: Path, *args: str) -> list[str]:
    capsys.readouterr()
    assert main(["--project", str(root), *args]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.fixture
def merges(monkeypatch) -> list[tuple[str, str]]:
    """(language, essay) of every merge made in this process (run with --jobs 1)."""
    made: list[tuple[str, str]] = []
    merge = catalog.merge_catalog

    def counting(template, old, **kwargs):
        sources = {file for e in template for file, _ in e.occurrences} or {"the project"}
        made.append((kwargs["tag"], sources.pop()))
        return merge(template, old, **kwargs)
    monkeypatch.setattr(catalog, "merge_catalog", counting)
    return made


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The essays whose template was rendered in this process."""
    made: list[str] = []
    extract = catalog.extract_catalog

    def counting(doc, **kwargs):
        made.append(doc.id)
        return extract(doc, **kwargs)
    monkeypatch.setattr(catalog, "extract_catalog", counting)
    return made


def translate(path: Path, n: int = 1) -> None:
    """A translator's save: the first ``n`` untranslated entries translated."""
    po = catalog.read_catalog(path)
    for entry in [e for e in po if not e.msgstr and not e.obsolete][:n]:
        entry.msgstr = "Traduit : " + entry.msgid
    catalog.save_catalog(path, po)


def test_a_second_update_merges_nothing_and_writes_nothing(make_root, capsys, merges):
    root = make_root("two-essays")
    merges.clear()                               # those that prepared the root
    assert (root / ".serge-cache" / "catalogues.json").is_file()
    before = tree(root)
    lines = run(capsys, root, "update", "--jobs", "1")
    assert merges == []
    assert len(lines) == 9 and all(": unchanged; " in line for line in lines)
    assert tree(root) == before


def test_a_record_written_by_other_code_is_not_taken(make_root, capsys, merges):
    """The record names the code that wrote it (the version and a digest of the package's
    code): after a change of the code, even without a new version, every catalogue is
    merged again once (a merge rule may have changed), to the same bytes here."""
    root = make_root("two-essays")
    record = root / ".serge-cache" / "catalogues.json"
    text = record.read_text(encoding="utf-8")
    assert f'"version":"{tool_version()}"' in text.replace(" ", "")
    record.write_text(text.replace(tool_version(), tool_version()[:-1] + "x"), encoding="utf-8")
    merges.clear()
    before = tree(root)
    lines = run(capsys, root, "update", "--jobs", "1")
    assert len(merges) == 9 and len(lines) == 9        # (merged again: to the same bytes)
    assert tree(root) == before
    assert f'"version":"{tool_version()}"' in record.read_text(encoding="utf-8").replace(" ", "")
    merges.clear()
    assert all(": unchanged; " in line for line in run(capsys, root, "update", "--jobs", "1"))
    assert merges == []


def test_the_summary_of_a_skipped_catalogue_is_what_merging_it_again_says(
        make_root, capsys):
    root = make_root("two-essays")
    translate(root / "locale/fr/LC_MESSAGES/alpha.po", 3)
    run(capsys, root, "update", "--jobs", "1")             # merged: recorded
    cached = run(capsys, root, "update", "--jobs", "1")
    shutil.rmtree(root / ".serge-cache")
    merged = run(capsys, root, "update", "--jobs", "1")
    assert cached == merged
    assert any("alpha.po: unchanged; 3 kept" in line for line in cached)


def test_a_translators_save_re_merges_that_catalogue_only(make_root, capsys, merges):
    root = make_root("two-essays")
    merges.clear()
    path = root / "locale/fr/LC_MESSAGES/alpha.po"
    path.write_bytes(path.read_bytes().replace(b'"Last-Translator: ',
                                               b'"Last-Translator: Ana <ana@example.org>', 1))
    lines = run(capsys, root, "update", "--jobs", "1")
    assert merges == [("fr", "source/alpha.xml")]
    assert sum(": unchanged; " in line for line in lines) == 9   # a header field is kept
    run(capsys, root, "update", "--jobs", "1")
    assert len(merges) == 1


def test_a_new_translation_re_merges_the_catalogues_whose_memory_it_feeds(
        make_root, capsys, merges):
    """beta's fr catalogue has untranslated entries: alpha's new translation could fill
    one (an identical sentence), so it is merged again; the other languages are not."""
    root = make_root("two-essays")
    merges.clear()
    translate(root / "locale/fr/LC_MESSAGES/alpha.po")
    run(capsys, root, "update", "--jobs", "1")
    assert merges == [("fr", "source/alpha.xml"), ("fr", "source/beta.xml")]


def test_an_edited_source_is_extracted_and_its_catalogues_merged(
        make_root, capsys, merges, renders):
    root = make_root("two-essays")
    merges.clear(), renders.clear()
    source = root / "source/beta.xml"
    text = source.read_text(encoding="utf-8")
    first = text.index("<s ")
    end = text.index("</s>", first)
    source.write_text(text[:end] + " Edited." + text[end:], encoding="utf-8")
    pot = (root / "locale/beta.pot").read_bytes()
    lines = run(capsys, root, "update", "--jobs", "1")
    assert renders == ["beta"]
    assert (root / "locale/beta.pot").read_bytes() != pot
    assert sorted(merges) == [(t, "source/beta.xml") for t in ("de", "es", "fr")]
    assert [line.split(":")[0] for line in lines if "updated" in line] == [
        f"locale/{t}/LC_MESSAGES/beta.po" for t in ("fr", "es", "de")]


def test_extract_renders_only_changed_sources(make_root, capsys, renders):
    root = make_root("two-essays")
    renders.clear()
    counts = {name: len(catalog.read_catalog(root / f"locale/{name}.pot"))
              for name in ("alpha", "beta", "_project")}
    assert run(capsys, root, "extract", "--jobs", "1") == [
        f"unchanged locale/{name}.pot ({count} messages)" for name, count in counts.items()]
    assert renders == []
    shutil.rmtree(root / ".serge-cache")
    before = tree(root)
    run(capsys, root, "extract", "--jobs", "1")
    assert renders == ["alpha", "beta"] and tree(root) == before


def test_without_the_cache_the_same_bytes(make_root, capsys):
    with_cache, without = make_root("two-essays"), make_root("two-essays", folder="q")
    for root in (with_cache, without):
        translate(root / "locale/es/LC_MESSAGES/beta.po", 5)
        source = root / "source/alpha.xml"
        source.write_text(source.read_text(encoding="utf-8").replace(
            "</s>", " More.</s>", 1), encoding="utf-8")
    shutil.rmtree(without / ".serge-cache")
    (with_cache / ".serge-cache/catalogues.json").write_text("{broken", encoding="utf-8")
    assert run(capsys, with_cache, "update") == run(capsys, without, "update")
    assert tree(with_cache) == tree(without)
    assert run(capsys, with_cache, "update") == run(capsys, without, "update")


@pytest.mark.parametrize("cached", [True, False])
def test_one_job_or_two_the_same_bytes(make_root, capsys, cached):
    one, two = make_root("two-essays"), make_root("two-essays", folder="q")
    for root in (one, two):
        translate(root / "locale/de/LC_MESSAGES/alpha.po", 4)
        if not cached:
            shutil.rmtree(root / ".serge-cache")
    assert run(capsys, one, "update", "--jobs", "1") == run(capsys, two, "update", "-j", "2")
    assert tree(one) == tree(two)
    # (the files' states, inode and times, differ from one copy to the other: issue 8)
    assert records(one) == records(two) and records(one)


def records(root: Path) -> dict[str, bytes]:
    """What .serge-cache holds but the states of the files read (catalogue-files.json)."""
    return {name: data for name, data in tree(root, ".serge-cache").items()
            if not name.endswith("/catalogue-files.json")}


def test_an_error_in_a_worker_is_reported_with_its_place(make_root, capsys):
    root = make_root("two-essays")
    path = root / "locale/es/LC_MESSAGES/alpha.po"
    path.write_bytes(path.read_bytes() + b'\nmsgid "broken\n')
    assert main(["--project", str(root), "update", "--jobs", "2"]) != 0
    err = capsys.readouterr().err
    assert "alpha.po:" in err and "hint:" in err


def test_a_cache_that_cannot_be_written_costs_time_only(make_root, capsys, merges):
    root = make_root("two-essays")
    shutil.rmtree(root / ".serge-cache")
    (root / ".serge-cache").write_text("not a folder", encoding="utf-8")
    before = tree(root)
    merges.clear()
    for _ in range(2):
        lines = run(capsys, root, "update", "--jobs", "1")
        assert all(": unchanged; " in line for line in lines) and len(lines) == 9
    assert len(merges) == 18 and tree(root) == before


def test_a_compendium_given_later_is_not_skipped_by_the_cache(make_root, capsys, tmp_path):
    """Catalogues with untranslated entries depend on the compendium: given (or changed)
    after a run, it fills them; a fully translated catalogue stays skipped."""
    root = make_root("two-essays")
    entry = next(e for e in catalog.read_catalog(root / "locale/fr/LC_MESSAGES/alpha.po")
                 if e.msgid.strip())
    compendium = tmp_path / "fr.po"
    compendium.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                          '"Language: fr\\n"\n\n'
                          f'msgid "{entry.msgid}"\nmsgstr "Depuis le compendium"\n',
                          encoding="utf-8")
    lines = run(capsys, root, "update", "--lang", "fr", "--compendium", str(compendium))
    assert any(line.startswith("locale/fr/LC_MESSAGES/alpha.po: updated") for line in lines)
    filled = {e.msgctxt: e.msgstr for e in catalog.read_catalog(
        root / "locale/fr/LC_MESSAGES/alpha.po")}
    assert filled[entry.msgctxt] == "Depuis le compendium"


def test_the_projects_catalogues_follow_its_configuration(make_root, capsys, merges):
    """Unchanged, the project's template and catalogues are skipped too; a new blurb in
    serge-publish.toml re-extracts the template and merges its catalogues (only them)."""
    root = make_root("two-essays")
    merges.clear()
    run(capsys, root, "update", "--jobs", "1")
    assert merges == []
    config = root / "serge-publish.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[project]\n", '[project]\nblurb = "A new blurb."\n', 1), encoding="utf-8")
    lines = run(capsys, root, "update", "--jobs", "1")
    assert merges == [(t, "the project") for t in ("fr", "es", "de")]
    assert [line.split(":")[0] for line in lines if ": updated" in line] == [
        f"locale/{t}/LC_MESSAGES/_project.po" for t in ("fr", "es", "de")]
    assert "A new blurb." in (root / "locale/_project.pot").read_text(encoding="utf-8")


def test_a_worker_killed_is_reported_without_a_traceback(make_root, capsys, monkeypatch):
    root = make_root("two-essays")
    shutil.rmtree(root / ".serge-cache")
    update_language = commands._update_language

    def dies(job, tag):
        if tag == "es":
            os.kill(os.getpid(), signal.SIGKILL)
        return update_language(job, tag)
    monkeypatch.setattr(commands, "_update_language", dies)
    assert main(["--project", str(root), "update", "--jobs", "2"]) != 0
    err = capsys.readouterr().err
    assert "a worker process ended abruptly" in err and "Traceback" not in err


def test_a_merge_reads_the_template_extract_left_rather_than_rendering_it(
        make_root, capsys, renders):
    root, fresh = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, fresh):
        translate(r / "locale/fr/LC_MESSAGES/alpha.po", 2)
    renders.clear()
    lines = run(capsys, root, "update", "--jobs", "1")
    assert renders == []                          # alpha.pot read, as extract recorded it
    assert any("alpha.po: updated" in line or "alpha.po: unchanged" in line for line in lines)
    shutil.rmtree(fresh / ".serge-cache")         # rendered from the source instead
    assert run(capsys, fresh, "update", "--jobs", "1") == lines
    assert renders == ["alpha", "beta"]
    assert tree(root) == tree(fresh)


def test_a_new_catalogue_still_gets_its_title_comment(make_root, capsys, renders):
    root = make_root("two-essays")
    path = root / "locale/fr/LC_MESSAGES/alpha.po"
    before = path.read_bytes()
    path.unlink()
    renders.clear()
    run(capsys, root, "update", "--jobs", "1")
    assert renders == []          # the title read from alpha.pot's header comment (issue 8)
    assert path.read_bytes() == before


def test_a_template_changed_after_extract_is_rendered_again(make_root, capsys, monkeypatch):
    root = make_root("two-essays")
    translate(root / "locale/fr/LC_MESSAGES/alpha.po", 1)
    expected_root = make_root("two-essays", folder="q")
    translate(expected_root / "locale/fr/LC_MESSAGES/alpha.po", 1)
    run(capsys, expected_root, "update", "--jobs", "1")
    extract = commands._extract

    def then_spoil(project, names, cache, jobs):         # the .pot edited meanwhile
        done = extract(project, names, cache, jobs)
        pot = project.pot_path("alpha")
        pot.write_bytes(pot.read_bytes().replace(b'msgid "', b'msgid "Spoilt ', 1))
        return done
    monkeypatch.setattr(commands, "_extract", then_spoil)
    run(capsys, root, "update", "--jobs", "1")
    assert (root / "locale/fr/LC_MESSAGES/alpha.po").read_bytes() == \
        (expected_root / "locale/fr/LC_MESSAGES/alpha.po").read_bytes()
