"""The render benchmark (benchmarks/bench_render.py) runs, on the shipped project: every
edition of an essay rendered, its CPU time per essay-language printed, and its digests
the same on every run (issue 8)."""
from __future__ import annotations

import sys

from build_helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_render  # noqa: E402


def test_the_benchmark_renders_every_edition_of_an_essay(capsys):
    assert bench_render.main([str(ROOT), "--essays", "1", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "essay-languages:" in out and "ms CPU each" in out


def test_the_digests_are_the_same_on_every_run_and_in_either_memo_mode(capsys):
    bench_render.main([str(ROOT), "--essays", "1", "--digest"])
    first = capsys.readouterr().out
    bench_render.main([str(ROOT), "--essays", "1", "--digest", "--memo", "pass"])
    again = capsys.readouterr().out
    lines = first.splitlines()
    assert len(lines) >= 2 and first == again        # the source's edition and a translation
    assert all(len(line.split()[0]) == 64 for line in lines)
