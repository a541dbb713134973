"""The language's shared translation memory (one index for every essay's merge) answers
exactly as a memory filled afresh with the other catalogues' pairs, in order, would."""
from __future__ import annotations

import random

import pytest

from serge_publish.catalog import SharedMemory, TranslationMemory

WORDS = ("the revolution party writer exile prison novel Serge Trotsky Moscow Paris "
         "memoirs comrades letter book years struggle history state freedom truth").split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize() + "."


def slots(rng: random.Random, count: int) -> list[tuple[tuple[str, str], ...] | None]:
    pool = [sentence(rng) for _ in range(40)]
    made: list[tuple[tuple[str, str], ...] | None] = []
    for _ in range(count):
        if rng.random() < 0.15:
            made.append(None)
            continue
        made.append(tuple((s, f"«{s.upper()}» {rng.randint(0, 2)}")
                          for s in rng.sample(pool, rng.randint(1, 15))))
    return made


def fresh(held, without: int, exacts) -> TranslationMemory:
    memory = TranslationMemory("en")
    for slot, pairs in enumerate(held):
        if slot != without and pairs:
            memory.add_entries(pairs, f"slot{slot}", exacts[slot])
    return memory


def answers(memory: TranslationMemory, queries: list[str]) -> list[tuple]:
    out = []
    for query in queries:
        exact, close = memory.exact(query), memory.suggest(query)
        out.append((exact and (exact.source, exact.target, exact.origin),
                    close and (close.source, close.target, close.origin, close.ratio)))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_a_slot_left_out_answers_as_a_memory_filled_afresh(seed: int) -> None:
    rng = random.Random(seed)
    held = slots(rng, 6)
    exacts = [rng.random() < 0.8 for _ in held]
    shared = SharedMemory()
    for slot, pairs in enumerate(held):
        shared.set_slot(slot, pairs, f"slot{slot}", exacts[slot])
    queries = [sentence(rng) for _ in range(25)] + \
        [p[0] for pairs in held if pairs for p in pairs[:3]]
    for _round in range(3):
        for without in range(len(held)):
            own = [(sentence(rng), "own") for _ in range(2)]
            expected = fresh(held, without, exacts)
            based = TranslationMemory("en", base=shared, base_slot=without)
            for source, target in own:
                expected.add(source, target, "own")
                based.add(source, target, "own")
            assert answers(based, queries) == answers(expected, queries), (seed, without)
        # a translator's save changes one catalogue: its slot is replaced
        changed = rng.randrange(len(held))
        held[changed] = slots(rng, 1)[0]
        shared.set_slot(changed, held[changed], f"slot{changed}", exacts[changed])
    assert any(a[1] for a in answers(fresh(held, -1, exacts), queries)), \
        "the queries should find close matches, or the test proves little"
