"""The JSON the tool writes and reads of its own: the build's state and report, the records
of the files it read (``.serge-cache``). One rule in one place: keys sorted, UTF-8, by
orjson (a compiled library, some fifteen times quicker than json's encoder at writing a
build's 2.4 MB state, forty times at its indented report, and twice at reading the
state: at N=200, L=10 they took 0.1 s of a build in which both processes waited), with
json's module for what orjson refuses.

What is written is what ``json.dumps(data, ensure_ascii=False, sort_keys=True)`` means
(the same data): compact (``{"a":1}``: files read by the tool), or indented by two spaces
(``indent=True``: the build's report, which people read), the bytes json writes with
``indent=2`` but for a float under 1e-4 (``0.00001`` or ``1e-6``, where json writes
``1e-05`` and ``1e-06``) and a float that is not a number or infinite (``null``, where json
writes ``NaN`` or ``Infinity``: none is in the tool's records). What orjson refuses (a str
with a lone surrogate, as a file name not in UTF-8 gives; a dict key that is not a str;
an int beyond 64 bits) is written by json, non-ASCII characters then escaped (the text
stays UTF-8, and ASCII).
What orjson cannot read (those escapes, ``NaN``) is read by json; it reads an int beyond
64 bits as a float (the tool's records hold none: sizes, times in nanoseconds, inodes).
"""
from __future__ import annotations

import json
from typing import Any

import orjson

_COMPACT = orjson.OPT_SORT_KEYS
_INDENTED = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2


def dumps(data: Any, indent: bool = False, newline: bool = True) -> bytes:
    """``data`` as JSON (see the module's docstring), ending with a newline unless
    ``newline`` is False."""
    try:
        text = orjson.dumps(data, option=_INDENTED if indent else _COMPACT)
    except TypeError:                       # (orjson.JSONEncodeError is one)
        text = json.dumps(data, sort_keys=True, indent=2 if indent else None,
                          separators=(",", ": ") if indent else (",", ":")).encode("ascii")
    return text + b"\n" if newline else text


def loads(data: bytes | str) -> Any:
    """The data of a JSON text; ValueError (json.JSONDecodeError) when it is not one."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)
