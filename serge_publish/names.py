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


# Words a name may hold in lower case ("Ludwig van Beethoven", "Ana de la Cruz").
_PARTICLES = frozenset({"al", "bin", "ben", "d'", "da", "das", "de", "degli", "dei", "del",
                        "della", "der", "des", "di", "do", "dos", "du", "e", "el", "et", "ibn",
                        "la", "le", "los", "of", "op", "te", "ten", "ter", "van", "vom", "von",
                        "y", "zu", "zum", "zur", "and", "&"})
_MAX_WORDS = 8


def looks_like_name(text: str) -> bool:
    """True when ``text`` reads as a person's or a team's name ("Jeanne Dupont",
    "Dupont, Jean", "Équipe Serge", "山田太郎"), not a sentence ("Draft translation by the
    team (machine-assisted; needs review)"): no digits, brackets or sentence
    punctuation, at most eight words, and every word capitalised but particles."""
    text = text.strip()
    if not text or len(text) > 80 or any(ch.isdigit() for ch in text):
        return False
    if any(ch in text for ch in "()[]{}<>;:!?@/\\|=+*#\"") or text.endswith(","):
        return False
    words = text.replace(",", " ").split()
    if len(words) > _MAX_WORDS:
        return False
    return all(_name_word(w) for w in words)


def _name_word(word: str) -> bool:
    if word.lower() in _PARTICLES:
        return True
    for elided in ("d'", "d\u2019", "l'", "l\u2019"):
        if word.lower().startswith(elided) and len(word) > 2:
            word = word[2:]
    first = next((ch for ch in word if ch.isalpha()), "")
    if not first:
        return word in {"-", "–"}
    return not first.islower()          # capitals, and scripts without case
