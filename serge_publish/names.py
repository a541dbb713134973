"""Lists of people's names as people write them: one rule for the configuration's
``[translators]``, a catalogue's ``Language-Team`` and an essay's author line."""
from __future__ import annotations


def split_names(names: str) -> tuple[str, ...]:
    """Names separated by ``,`` or ``;``, never split inside parentheses: "A (b; c), D"
    is two names."""
    parts: list[str] = []
    current: list[str] = []  # the characters of the name being read
    depth = 0
    for ch in names:
        if ch in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth = depth + 1 if ch == "(" else max(depth - 1, 0) if ch == ")" else depth
        current.append(ch)
    parts.append("".join(current))
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
