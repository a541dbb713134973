"""build_state.digest made quicker (issue 8: thousands are made in a build that renders
nothing) still hashes what it hashed: each part's type, length and bytes, the others
than str and bytes in json's sorted, non-ASCII encoding."""
from __future__ import annotations

import hashlib
import json

from serge_publish.commands.build_state import digest

_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def _reference(*parts: object) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            kind, data = b"b", part
        elif isinstance(part, str):
            kind, data = b"s", part.encode("utf-8", "surrogatepass")
        else:
            kind, data = b"j", _JSON(part).encode("utf-8", "surrogatepass")
        hasher.update(kind + len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


class _Str(str):
    pass


class _Int(int):
    pass


PARTS = ("a", 1, True, False, None, 0.5, 80.0, -3, 10**30, [1, "x", 2.5, None,
         {"b": 1, "a": [True]}], ("a", ("b",)), {"k": [1, 2], "a": "é\u2028\ud800"},
         b"xy", "é\ud800", _Str("s"), _Int(4), 0, -0.0, [], {}, (), [float("inf")], "")


def test_digest_is_the_reference_one():
    assert digest() == _reference()
    for start in range(len(PARTS)):
        assert digest(*PARTS[start:]) == _reference(*PARTS[start:]), PARTS[start:]
    assert digest("ab", "c") != digest("a", "bc") and digest(1) != digest("1")
