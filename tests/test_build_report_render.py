"""build-report.json written without json's slow indenting encoder (issue 8): the text is
byte for byte what ``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)``
writes, and anything else than plain JSON values with str keys is left to json."""
from __future__ import annotations

import json

import pytest

from build_helpers import build
from serge_publish.commands.build_report import render_report


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize("data", [
    {}, {"a": []}, {"a": {}}, {"b": 1, "a": [1, 2.5, -0.0, 1e300, None, True, False]},
    {"é\u2028": "\"quoted\"\\ \n\t\x00 ü \ud800", "z": [[], [{}], [[1]], {"x": {"y": []}}]},
    {"t": (1, "two"), "n": 10**30, "f": 0.1 + 0.2},
    {"nan": float("nan"), "inf": [float("inf")]},              # left to json
    {"keys": {2: "int key", 1: "another"}},                  # left to json
])
def test_the_text_is_jsons(data):
    assert render_report(data) == _json(data)


def test_a_built_report_is_jsons(make_root):
    root = make_root("two-essays")
    build(root, "--jobs", "1")
    text = (root / "build" / "build-report.json").read_text("utf-8")
    assert render_report(json.loads(text)) == text == _json(json.loads(text))
