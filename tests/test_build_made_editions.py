"""The editions a process planned are rendered as they were made when that process renders
them too: by the plan job itself in a full build (build_render.prerender), or, for the
editions planned again for an output of theirs (build_plan.MadeEditions), not unpacked
again from their bytes, each taken once and only with the bytes it was packed to, at
most a budget of them kept. The bytes of the build are those of a build that unpacks
every edition."""
from __future__ import annotations

import os

from build_helpers import build, edit_catalogue, edition, files_of
from serge_publish.commands import build_plan, build_render
from serge_publish.commands.build_plan import MadeEditions, pack_edition

ESSAYS = ["alpha", "beta"]


def test_an_edition_is_taken_once_and_only_with_its_bytes():
    made = MadeEditions(1 << 20)
    one = edition()
    packed = pack_edition(one)
    made.keep("k1", packed, one)
    assert made.take("k2", packed) is None                  # another key
    assert made.take("k1", packed + b"x") is None           # other bytes under the key
    assert made.take(b"k1", bytes(packed)) is one           # equal bytes; a key as bytes
    assert made.take("k1", packed) is None                  # taken once
    made.keep("", packed, one)                              # no key: nothing kept
    assert made.take("", packed) is None


def test_the_oldest_editions_are_given_up_past_the_budget():
    one = edition()
    packed = pack_edition(one)
    made = MadeEditions(2 * len(packed))
    for key in ("a", "b", "c"):
        made.keep(key, packed, one)
    assert made.take("a", packed) is None
    assert made.take("b", packed) is one and made.take("c", packed) is one
    made.keep("d", packed, one)
    made.clear()
    assert made.take("d", packed) is None
    assert MadeEditions(len(packed) - 1).take("e", packed) is None   # over it alone


def _prepared(make_root):
    root = make_root("two-essays")
    for lang in ("fr", "de"):
        for essay in ESSAYS:
            edit_catalogue(root, lang, essay, lambda i, e: e.msgid)
    return root


def _remove_pages(root, *rels: str) -> None:
    for rel in rels:
        (root / "build" / rel).unlink()


def test_a_build_in_one_process_renders_the_editions_it_made(make_root, monkeypatch):
    root = _prepared(make_root)
    build(root, "--jobs", "1")                   # (records what it publishes)
    build(root, "--jobs", "2", "--force")        # rendered in worker processes
    expected = files_of(root / "build")
    unpacked: list[bytes] = []
    real = build_render.unpack_edition

    def unpack(packed):
        unpacked.append(packed)
        return real(packed)

    monkeypatch.setattr(build_render, "unpack_edition", unpack)
    # every edition rendered by the job that planned it (see build_render.prerender)
    build(root, "--jobs", "1", "--force")
    assert unpacked == [] and files_of(root / "build") == expected
    # pages to make again of editions whose plans are recorded: planned again, in this
    # process, and rendered as made
    _remove_pages(root, "fr/alpha.html", "de/beta.html")
    build(root, "--jobs", "1")
    assert unpacked == []
    assert files_of(root / "build") == expected
    assert not build_plan._MADE._kept                      # given up when the render ends
    # none kept: those editions unpacked, the same bytes
    monkeypatch.setattr(build_plan, "_MADE", MadeEditions(0))
    _remove_pages(root, "fr/alpha.html", "de/beta.html")
    build(root, "--jobs", "1")
    assert len(unpacked) == 2 and files_of(root / "build") == expected
    _remove_pages(root, "fr/alpha.html", "de/beta.html")
    build(root, "--jobs", "2")
    assert files_of(root / "build") == expected


def test_a_build_of_several_processes_keeps_each_workers_share(make_root, monkeypatch,
                                                               tmp_path):
    """The editions planned again for their pages (their plans recorded) are kept by the
    worker that planned them, within its share of the budget, as an essay's render jobs
    go to the worker that planned it when it is free (see Jobs.home); the build's
    process keeps none of those it plans when the render jobs are the workers'. A full
    build keeps none: each plan job renders the editions it makes (see
    build_render.prerender)."""
    root = _prepared(make_root)
    record = tmp_path / "kept"                # written by every process (workers forked)

    def keep(key, packed, edition, budget=None):
        with record.open("a") as out:
            out.write(f"{os.getpid()} {budget}\n")

    def replan(self):
        with record.open("a") as out:
            out.write(f"{os.getpid()} replanned {self.lang}/{self.essay}\n")
        return real_replan(self)

    real_replan = build_render.Replan.edition
    monkeypatch.setattr(build_plan._MADE, "keep", keep)
    monkeypatch.setattr(build_render.Replan, "edition", replan)
    build(root, "--jobs", "2", "--force")
    assert not record.exists()          # nothing kept, nothing planned twice
    _remove_pages(root, "fr/alpha.html", "de/beta.html")
    build(root, "--jobs", "2")                 # two essays planned again: by the workers
    kept = [line.split() for line in record.read_text().split("\n") if line]
    assert len(kept) == 2 and os.getpid() not in {int(pid) for pid, _ in kept}
    assert {int(budget) for _, budget in kept} == {build_plan.KEEP_BUDGET // 2}
    record.unlink()
    _remove_pages(root, "fr/alpha.html")
    build(root, "--jobs", "2")                 # one essay planned again: here
    assert not record.exists()
    _remove_pages(root, "fr/alpha.html", "de/beta.html")
    build(root, "--jobs", "1")
    kept = [line.split() for line in record.read_text().split("\n") if line]
    assert kept == [[str(os.getpid()), str(build_plan.KEEP_BUDGET)]] * 2
