"""build-report.json, and the tool's other JSON records, written and read by jsonio (orjson,
issue 8): for the values a report holds, the bytes are those of ``json.dumps(data,
ensure_ascii=False, indent=2, sort_keys=True)``; what orjson refuses is written by json,
the same data; whatever is written reads back as the data."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_helpers import build
from serge_publish import jsonio
from serge_publish.commands.build_report import render_report


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


@pytest.mark.parametrize("data", [
    {}, {"a": []}, {"a": {}}, {"b": 1, "a": [1, 2.5, -0.0, 1e300, None, True, False]},
    {"é\u2028": "\"quoted\"\\ \n\t\x00\x1f\x7f ü 😀", "z": [[], [{}], [[1]], {"x": {"y": []}}]},
    {"t": (1, "two"), "n": -(2 ** 63), "f": 0.1 + 0.2, "big": 1e16, "small": 0.0001},
])
def test_the_text_is_jsons(data):
    assert render_report(data) == _json(data)


# the values a report holds: str keys, and floats as a percentage is (not under 1e-4,
# where json writes 1e-05 and orjson 0.00001)
_FLOATS = st.floats(allow_nan=False, allow_infinity=False).filter(
    lambda f: f == 0 or abs(f) >= 1e-4)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 63), 2 ** 63 - 1) | _FLOATS
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_plain_values_are_written_as_json_writes_them(data):
    assert render_report({"x": data}) == _json({"x": data})
    compact = jsonio.dumps(data)
    assert jsonio.loads(compact) == json.loads(compact) == data


@pytest.mark.parametrize("data", [
    {"lone": "a \ud800 surrogate"},                  # a file name not in UTF-8
    {"keys": {2: "int key", 1: "another"}},
    {"n": 10 ** 30, "é": "ü"},
])
def test_what_orjson_refuses_is_written_by_json_the_same_data(data):
    for indent in (False, True):
        text = jsonio.dumps(data, indent=indent)
        assert text.endswith(b"\n") and text.isascii()
        assert json.loads(text) == json.loads(json.dumps(data))
        if "n" not in data:          # (orjson reads an int beyond 64 bits as a float)
            assert jsonio.loads(text) == json.loads(text)


def test_what_is_not_json_is_a_value_error():
    with pytest.raises(ValueError):
        jsonio.loads(b"{not json")
    assert math.isnan(jsonio.loads(b'{"x": NaN}')["x"])   # (json reads what orjson does not)


def test_a_built_report_is_jsons(make_root):
    root = make_root("two-essays")
    build(root, "--jobs", "1")
    text = (root / "build" / "build-report.json").read_bytes()
    assert render_report(json.loads(text)) == text == _json(json.loads(text))
