"""update's worker processes (issue 8): the templates some catalogue will surely be merged
with are read once, before the workers fork, not once a worker; and the collector runs
less often while catalogues are made (the setting restored after)."""
from __future__ import annotations

import gc
import shutil

from test_catalog_cache import run, tree

from serge_publish import catalog
from serge_publish.commands import catalog as commands


def test_templates_are_read_once_for_every_worker(make_root, capsys, monkeypatch, tmp_path):
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        for path in r.glob("locale/*/LC_MESSAGES/*.po"):
            path.unlink()
    run(capsys, expected, "update", "--jobs", "1")
    log = tmp_path / "parsed.log"
    parse = catalog.parse_catalog

    def logging(data, path):               # in whichever process reads it
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{path.name}\n")
        return parse(data, path)
    monkeypatch.setattr(catalog, "parse_catalog", logging)
    run(capsys, root, "update", "--jobs", "2")
    read = log.read_text(encoding="utf-8").split()
    assert sorted(read) == ["_project.pot", "alpha.pot", "beta.pot"]
    assert tree(root) == tree(expected)


def test_unchanged_catalogues_read_no_template(make_root, capsys, monkeypatch):
    root = make_root("two-essays")
    shutil.rmtree(root / ".serge-cache", ignore_errors=True)
    run(capsys, root, "update", "--jobs", "1")          # the record made
    read: list[str] = []
    parse = catalog.parse_catalog

    def counting(data, path):
        read.append(path.name)
        return parse(data, path)
    monkeypatch.setattr(catalog, "parse_catalog", counting)
    run(capsys, root, "update", "--jobs", "1")
    assert [name for name in read if name.endswith(".pot")] == []


def test_the_collector_runs_less_often_while_catalogues_are_made(monkeypatch):
    before = gc.get_threshold()
    seen = []
    with commands.fewer_collections():
        seen.append(gc.get_threshold())
    assert seen[0][0] >= 50_000 and gc.get_threshold() == before


def _jobs_given(monkeypatch) -> list:
    """The ``jobs`` each parallel.run_all call with work to do is given."""
    from serge_publish.commands import parallel
    given: list = []
    run_all = parallel.run_all

    def noting(fn, state, items, jobs=None):
        if items:
            given.append(jobs)
        return run_all(fn, state, items, jobs)
    monkeypatch.setattr(parallel, "run_all", noting)
    return given


def test_little_work_forks_no_worker_unless_jobs_are_given(make_root, capsys, monkeypatch):
    """Without --jobs, extract and update keep a small project's work in this process
    (forking costs more CPU than it saves there); --jobs is obeyed; the same bytes."""
    root, expected = make_root("two-essays"), make_root("two-essays", folder="q")
    for r in (root, expected):
        for path in [*r.glob("locale/*/LC_MESSAGES/*.po"), *r.glob("locale/*.pot")]:
            path.unlink()
    given = _jobs_given(monkeypatch)
    run(capsys, root, "extract")
    run(capsys, root, "update")
    assert given == [1, 1]            # extract's templates; update's languages
    given.clear()
    run(capsys, expected, "extract", "--jobs", "2")
    run(capsys, expected, "update", "--jobs", "2")
    assert given == [2, 2]
    assert tree(root) == tree(expected)


def test_enough_work_goes_to_every_core(make_root, capsys, monkeypatch):
    root = make_root("two-essays")
    for path in root.glob("locale/*/LC_MESSAGES/*.po"):
        path.unlink()
    monkeypatch.setattr(commands, "FORK_SECONDS", 0.0)
    given = _jobs_given(monkeypatch)
    run(capsys, root, "update")
    assert given[-1] is None          # the default: every core


def test_plural_forms_are_worked_out_only_for_a_header_without_them(monkeypatch):
    """babel's formula is asked for only when the catalogue's header has no Plural-Forms
    of its translators' (a new catalogue): an update of translated catalogues imports no
    babel; the header is what it was."""
    from serge_publish.catalog import header
    asked: list[str] = []
    plural_forms = header.plural_forms

    def counting(tag):
        asked.append(tag)
        return plural_forms(tag)
    monkeypatch.setattr(header, "plural_forms", counting)
    template = header.template_metadata("P", "2024-01-01 00:00+0000")
    new = header.translation_metadata(template, None, tag="fr", team="French")
    assert asked == ["fr"] and new["Plural-Forms"] == plural_forms("fr")
    kept = header.translation_metadata(template, {**new, "Plural-Forms": "nplurals=1; "
                                                  "plural=0;"}, tag="fr", team="French")
    assert asked == ["fr"] and kept["Plural-Forms"] == "nplurals=1; plural=0;"
    assert list(kept) == list(new)
    blank = header.translation_metadata(template, {**new, "Plural-Forms": " "}, tag="fr",
                                        team="French")
    assert asked == ["fr", "fr"] and blank == new
