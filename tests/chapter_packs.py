"""What the chapter store's packs hold, for the tests that damage, remove or alter
records as a kill, a power cut or a tamperer would (see build_state.ChapterStore: a
pack is a run of records, each a head, see build_state._HEAD, then its payload)."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from serge_publish.commands import build_state
from serge_publish.commands.build_state import _HEAD, CHAPTER_MAGIC, PACK_SUFFIX


@dataclass(frozen=True)
class Record:
    pack: Path
    place: int
    name: bytes
    when: int
    live: bool                  # begins as a record does (not forgotten)
    raw: bytes                  # its head and payload

    @property
    def payload(self) -> bytes:
        return self.raw[_HEAD.size:]


def packs(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*" + PACK_SUFFIX))


def records(folder: Path) -> list[Record]:
    """Every record of every pack in ``folder`` (the heads a reader can read), by name."""
    found = []
    for pack in packs(folder):
        data = pack.read_bytes()
        place = 0
        while place + _HEAD.size <= len(data):
            magic, name, when, length, _ = _HEAD.unpack_from(data, place)
            end = place + _HEAD.size + length
            if magic not in (CHAPTER_MAGIC, bytes(len(CHAPTER_MAGIC))) or end > len(data):
                break
            found.append(Record(pack, place, name, when, magic == CHAPTER_MAGIC,
                                data[place:end]))
            place = end
    return sorted(found, key=lambda r: (r.name, r.when))


def sealed(name: bytes, payload: bytes, when: int | None = None) -> bytes:
    """A whole record of ``payload`` under ``name``, as the store writes one."""
    when = time.time_ns() if when is None else when
    return _HEAD.pack(CHAPTER_MAGIC, name, when, len(payload),
                      build_state._seal(name, when, len(payload), payload)) + payload


def write_pack(folder: Path, raws: list[bytes]) -> Path:
    """Replace every pack in ``folder`` by one holding ``raws`` (records, whole or not)."""
    for pack in packs(folder):
        pack.unlink()
    path = Path(folder) / (os.urandom(12).hex() + PACK_SUFFIX)
    path.write_bytes(b"".join(raws))
    return path
