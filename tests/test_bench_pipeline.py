"""The pipeline benchmark's synthetic project: deterministic, valid, buildable (issue 8)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import ROOT, run

sys.path.insert(0, str(ROOT / "benchmarks"))

import anchors  # noqa: E402
import bench_pipeline  # noqa: E402
import reference  # noqa: E402
import report  # noqa: E402
import synth  # noqa: E402

XML_ID = synth.XML_ID


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_project_is_the_same_on_every_run_and_differs_with_the_seed(tmp_path):
    synth.make_project(tmp_path / "a", essays=3, langs=2)
    synth.make_project(tmp_path / "b", essays=3, langs=2)
    synth.make_project(tmp_path / "c", essays=3, langs=2, seed=2)
    a, b, c = (files(tmp_path / name) for name in "abc")
    assert sorted(a) == ["serge-publish.toml", "source/essay-0001.xml",
                         "source/essay-0002.xml", "source/essay-0003.xml"]
    assert a == b
    assert a["source/essay-0001.xml"] != a["source/essay-0002.xml"]
    assert a["source/essay-0001.xml"] != c["source/essay-0001.xml"]
    assert 'target_languages = ["fr", "de"]' in a["serge-publish.toml"].decode()


def test_ids_are_unique_and_notes_follow_their_references(tmp_path):
    synth.make_project(tmp_path, essays=4, langs=1)
    shipped = {"".join(s.itertext()) for path in (ROOT / "source").glob("*.xml")
               for s in etree.parse(str(path)).iter(synth._t("s"))}
    for path in sorted((tmp_path / "source").glob("*.xml")):
        tree = etree.parse(str(path))
        ids = [s.get(XML_ID) for s in tree.iter(synth._t("s"))]
        assert ids == [f"s{i}" for i in range(1, len(ids) + 1)]
        app = tree.find(".//t:application", synth.NS)
        assert app.get("n") == str(len(ids) + 1)
        refs = [r.text for r in tree.iterfind(".//t:body//t:ref[@type='noteref']", synth.NS)]
        first_seen = list(dict.fromkeys(refs))
        assert first_seen == [str(i) for i in range(1, len(first_seen) + 1)]
        notes = tree.findall(".//t:note[@place='end']", synth.NS)
        assert [n.get("n") for n in notes] == first_seen
        assert [n.get(XML_ID) for n in notes] == [f"n{n}" for n in first_seen]
        body = [s for s in tree.iterfind(".//t:body//t:p/t:s", synth.NS)]
        assert len(body) > 50
        texts = {"".join(s.itertext()) for s in body if not len(s)}
        assert texts <= shipped              # made of the shipped sentences


@pytest.mark.slow
def test_a_tiny_project_validates_extracts_updates_and_builds(tmp_path):
    langs = synth.make_project(tmp_path, essays=2, langs=1)
    assert langs == ("fr",)
    for command in ("validate", "extract", "update"):
        code, _, err = run("--project", str(tmp_path), command)
        assert code == 0, err
    assert bench_pipeline.pseudo_fill(tmp_path) > 200
    code, out, err = run("--project", str(tmp_path), "build")
    assert code == 0, err
    for lang in ("en", "fr"):
        for essay in ("essay-0001", "essay-0002"):
            assert (tmp_path / "build" / lang / f"{essay}.epub").is_file()
    html = (tmp_path / "build" / "fr" / "essay-0001.html").read_text(encoding="utf-8")
    assert "⟦" in html and "Synthetic essay 1" not in html


def test_the_anchor_texts_keep_every_footnote(tmp_path):
    synth.make_project(tmp_path, essays=1, langs=1)
    tree = etree.parse(str(tmp_path / "source" / "essay-0001.xml"))
    notes = len(tree.findall(".//t:note[@place='end']", synth.NS))
    refs = len(tree.findall(".//t:body//t:ref[@type='noteref']", synth.NS))
    rst = anchors.to_rst(tree)
    markdown = anchors.to_markdown(tree, "e1")
    assert notes > 0
    assert rst.count("\n.. [") == notes and rst.count("]_") == refs
    assert markdown.count("\n[^e1-") == notes and markdown.count("[^e1-") == notes + refs


def test_a_measured_stage_reports_cpu_time_and_memory_of_the_child():
    burn = "sum(i * i for i in range(3_000_000)); b = bytearray(60 * 2**20)"
    m = bench_pipeline.run_measured("burn", [sys.executable, "-c", burn])
    assert m.ok and m.cpu > 0.05 and m.wall > 0 and m.max_rss_mb > 60
    failed = bench_pipeline.run_measured("fail", [sys.executable, "-c", "raise SystemExit(3)"])
    assert not failed.ok


def test_a_stage_over_its_time_is_stopped_and_marked_failed():
    m = bench_pipeline.run_measured("sleep", [sys.executable, "-c", "import time; time.sleep(30)"],
                                    timeout=0.5)
    assert not m.ok and "stopped after" in m.stage and m.wall < 10


def test_the_reference_workload_is_fixed_and_the_build_is_measured_against_it(monkeypatch):
    """The same work on every run (its result too: fixed data), measured as CPU time; the
    build's CPU over the mean of the workload's two runs, none when either is missing."""
    monkeypatch.setattr(reference, "ROUNDS", 1)
    assert reference.workload() == reference.workload() > 0
    cpu, wall = reference.measure()
    assert cpu > 0 and wall > 0

    def m(stage, cpu):
        return bench_pipeline.Measure(stage, cpu, cpu, 50.0)

    first, last = bench_pipeline.REFERENCE
    measures = [m("update", 3.0), m(first, 1.0), m("build", 30.0), m(last, 3.0)]
    assert bench_pipeline.relative(measures) == 15.0
    assert bench_pipeline.relative(measures[:3]) == 30.0
    assert bench_pipeline.relative([m("build", 30.0)]) is None
    assert bench_pipeline.relative([m(first, 1.0)]) is None


def test_the_readme_tables_have_a_column_per_run_and_the_anchors_ratios():
    def stage(name, cpu, rss=40.0, ok=True):
        return {"stage": name, "wall": cpu * 2, "cpu": cpu, "max_rss_mb": rss, "ok": ok}

    small = {"essays": 2, "langs": ["fr", "de", "ru"],
             "serge": [stage("extract", 0.5), stage("build", 2.0),
                       stage("extract + update + build (total)", 3.25)]}
    large = {"essays": 200, "langs": ["fr"] * 10,
             "serge": [stage("extract", 12.0), stage("update (stopped after 600 s)", 300.0,
                                                     ok=False)],
             "anchors": {"Sphinx": {"stages": [stage("extract", 1.0), stage("update", 2.0),
                                               stage("build", 30.0),
                                               stage("extract + update + build (total)",
                                                     33.0)],
                                    "cpu_ratio": 2.54},
                         "po4a + pandoc": None}}
    lines = report.serge_table([small, large]).splitlines()
    assert lines[0] == "| stage, CPU s (peak memory) | N=2, L=3 | N=200, L=10 |"
    assert "| extract | 0.50 (40 MiB) | 12.00 (40 MiB) |" in lines
    assert "| build | 2.00 (40 MiB) | – |" in lines
    assert "| update (stopped after 600 s) | – | 300.00 (40 MiB) ✗ |" in lines
    anchors_lines = report.anchors_table(large).splitlines()
    assert anchors_lines[-1] == "| Sphinx | 3.00 | 30.00 | – | 33.00 | 2.5 |"
    assert len(anchors_lines) == 4            # the skipped anchor has no row
