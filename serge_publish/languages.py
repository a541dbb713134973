"""Language tags: BCP 47 (pt-BR, for lang/xml:lang) versus gettext locale names (pt_BR).

Everything inside the tool speaks BCP 47; only file paths under locale/ and the PO
``Language`` header use the gettext form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import babel
import langcodes

from .errors import PublishError

RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})
PSEUDO = "qps"   # private-use tag for pseudo-translation (ISO 639 qaa-qtz range)

_GETTEXT = re.compile(r"^(?P<lang>[a-z]{2,3})(?:_(?P<region>[A-Z]{2}|\d{3}))?"
                      r"(?:@(?P<modifier>[a-z]+))?$")
_MODIFIER_SCRIPT = {"latin": "Latn", "cyrillic": "Cyrl"}


@dataclass(frozen=True)
class Language:
    tag: str            # BCP 47, e.g. "pt-BR"

    @property
    def gettext(self) -> str:
        return to_gettext(self.tag)

    @property
    def direction(self) -> str:
        return direction(self.tag)


def normalize(code: str, where: str | None = None) -> str:
    """A valid BCP 47 tag for a BCP 47 or gettext code ("pt_BR" -> "pt-BR"), or an error."""
    raw = code.strip()
    match = _GETTEXT.match(raw)
    if match and "_" in raw or (match and "@" in raw):
        parts = [match["lang"]]
        if match["modifier"] in _MODIFIER_SCRIPT:
            parts.append(_MODIFIER_SCRIPT[match["modifier"]])
        if match["region"]:
            parts.append(match["region"])
        raw = "-".join(parts)
    if raw == PSEUDO:
        return PSEUDO
    try:
        tag = langcodes.standardize_tag(raw)
    except (ValueError, LookupError):
        tag = ""
    if not tag or not langcodes.tag_is_valid(tag) or tag == "und":
        raise PublishError(f"{code!r} is not a valid language code", where=where,
                           hint="use a BCP 47 tag such as fr, pt-BR, sr-Latn "
                                "or a gettext name such as pt_BR")
    return tag


def to_gettext(tag: str) -> str:
    """gettext locale name for a BCP 47 tag: pt-BR -> pt_BR, sr-Latn -> sr@latin."""
    parsed = langcodes.Language.get(tag)
    name = parsed.language or tag
    if parsed.territory:
        name += f"_{parsed.territory}"
    if parsed.script == "Latn" and parsed.language in {"sr", "uz", "bs"}:
        name += "@latin"
    elif parsed.script == "Cyrl" and parsed.language in {"uz", "bs"}:
        name += "@cyrillic"
    return name


def direction(tag: str) -> str:
    """'rtl' or 'ltr'."""
    if tag == PSEUDO:
        return "ltr"
    script = langcodes.Language.get(tag).maximize().script
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def display_name(tag: str, in_lang: str | None = None) -> str:
    """The language's name in ``in_lang`` (default: in itself), e.g. 'français'."""
    if tag == PSEUDO:
        return "Pseudo-translation"
    try:
        locale = babel.Locale.parse(tag, sep="-")
        name = locale.get_display_name(babel.Locale.parse(in_lang or tag, sep="-"))
    except (ValueError, babel.UnknownLocaleError):
        return tag
    return name or tag
