"""Pseudo-translation: a visibly transformed, longer text that keeps every placeholder.

``pseudo_message("The <i>First</i> war<n1/>")`` is ``"⟦Ţĥéé <i>Ƒííršţ</i> ŵááŕ<n1/>⟧"``:
letters become accented look-alikes, vowels are doubled (about a third longer, as many
languages are), the whole is wrapped in ⟦ ⟧ so a cut-off text is seen at once. Tags and the
``&lt;`` ``&gt;`` ``&amp;`` entities are kept as they are; leading and trailing whitespace
stays outside the brackets. The result depends only on the msgid and never equals it, so a
build in the pseudo language shows at a glance any text that escaped translation.
"""
from __future__ import annotations

import re

import polib

OPEN, CLOSE = "⟦", "⟧"
_LOOK_ALIKES = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ábçđéƒĝĥíĵķĺɱñóƥʠŕšţúʋŵẋýžÅƁÇĐÉƑĜĤÍĴĶĹṀÑÓƤǪŔŠŢÚṼŴẊÝŽ",
)
_VOWELS = re.compile(r"([aeiouyAEIOUY])")
_MARKUP = re.compile(r"(<[^<>]*>|&(?:lt|gt|amp);)")


def _transform(text: str) -> str:
    return _VOWELS.sub(r"\1\1", text).translate(_LOOK_ALIKES)


def pseudo_message(msgid: str) -> str:
    """The pseudo-translation of a msgid (placeholders and entities untouched)."""
    body = msgid.strip()
    if not body:
        return msgid + OPEN + CLOSE
    start = msgid.index(body[0])
    parts = _MARKUP.split(body)
    text = "".join(p if i % 2 else _transform(p) for i, p in enumerate(parts))
    return msgid[:start] + OPEN + text + CLOSE + msgid[start + len(body):]


def pseudo_catalog(po: polib.POFile) -> int:
    """Fill every active entry of ``po`` (a polib.POFile) with its pseudo-translation,
    finished (not fuzzy). Returns the number of entries filled."""
    filled = 0
    for entry in po:
        if entry.obsolete:
            continue
        entry.msgstr = pseudo_message(entry.msgid)
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = None
        filled += 1
    return filled
