"""The writer's memory of wrapped strings (issue 8): a project with more strings than the
writer remembers (the languages' catalogues written one after the other, each naming
every msgid once) still wraps each long msgid once, not once per language."""
from __future__ import annotations

import polib

from serge_publish.catalog import po


def test_a_long_msgid_is_wrapped_once_however_many_short_strings_come_between(monkeypatch):
    calls: list[str] = []
    wrap_lines = po._wrap_lines

    def counting(prefix, name, value, wrap, fmt):
        calls.append(value)
        return wrap_lines(prefix, name, value, wrap, fmt)
    monkeypatch.setattr(po, "_wrap_lines", counting)
    po._wrapped.cache_clear()
    po._wrapped_lines.cache_clear()
    long = "A sentence long enough to be wrapped over two lines of a catalogue, " * 2
    first = po._wrapped("", "msgid", long, True, None)
    for n in range(70_000):                 # more than either cache holds
        po._wrapped("", "msgctxt", f"s{n}", True, None)
    assert po._wrapped("", "msgid", long, True, None) == first and len(first) > 2
    assert calls == [long]


def test_entries_are_written_as_before_field_by_field():
    """The writer reads an entry's fields from its dict: a subclass of POEntry (whose
    fields may be computed) is written as a POEntry with the same fields."""
    class Computed(polib.POEntry):
        @property
        def tcomment(self):                          # noqa: D401
            return "computed"

        @tcomment.setter
        def tcomment(self, value):
            pass
    plain = polib.POEntry(msgctxt="s1", msgid="One.", msgstr="Un.", tcomment="computed",
                          occurrences=[("source/a.xml", "3")], flags=["fuzzy"],
                          previous_msgid="Once.")
    odd = Computed(msgctxt="s1", msgid="One.", msgstr="Un.",
                   occurrences=[("source/a.xml", "3")], flags=["fuzzy"],
                   previous_msgid="Once.")
    assert po._entry_lines(odd) == po._entry_lines(plain)
    assert po._entry_lines(plain) == [
        "# computed", "#: source/a.xml:3", "#, fuzzy", '#| msgid "Once."',
        'msgctxt "s1"', 'msgid "One."', 'msgstr "Un."']
