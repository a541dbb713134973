"""The collector settings of serge_publish.collector (one place for them), and that the
build and the catalogue commands run with the collector made to run less often."""
from __future__ import annotations

import gc

from build_helpers import build
from serge_publish import collector
from serge_publish.commands import build_plan


def test_fewer_collections_raises_the_threshold_and_restores_it():
    before = gc.get_threshold()
    with collector.fewer_collections():
        inside = gc.get_threshold()
        assert gc.isenabled()
    assert inside[0] >= 50_000 and inside[1:] >= (20, 20)
    assert gc.get_threshold() == before


def test_paused_turns_the_collector_off_and_back_on_even_on_error():
    assert gc.isenabled()
    try:
        with collector.paused():
            assert not gc.isenabled()
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()


def test_the_build_plans_with_the_collector_run_less_often(make_root, monkeypatch):
    root = make_root("two-essays")
    seen: list[tuple[int, int, int]] = []
    real = build_plan.Planner.make_plan

    def make_plan(self, *args, **kwargs):
        seen.append(gc.get_threshold())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(build_plan.Planner, "make_plan", make_plan)
    before = gc.get_threshold()
    build(root, "--jobs", "1")
    assert seen and seen[0][0] >= 50_000
    assert gc.get_threshold() == before
