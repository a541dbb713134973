"""Language tags: BCP 47 (pt-BR, for lang/xml:lang) versus gettext locale names (pt_BR).

Everything inside the tool speaks BCP 47; only file paths under locale/ and the PO
``Language`` header use the gettext form. The mapping loses nothing, so two languages never
share a catalogue: a region is ``_RR`` (pt_BR, es_419); a Latin, Cyrillic or Devanagari
script is glibc's modifier (sr@latin, be@latin, uz@cyrillic, ks@devanagari), any other
script Weblate's ``_Ssss`` (zh_Hant, zh_Hans_SG); the variants gettext knows are modifiers
(ca@valencia, sr@ijekavian, sr@ijekavianlatin). A tag gettext cannot hold (another variant,
an extension, a private-use part) is refused by :func:`to_gettext` with a message, as is a
gettext modifier we do not know (``@euro``) by :func:`normalize`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

from .errors import PublishError

if TYPE_CHECKING:
    import babel
    import langcodes

# langcodes (its import compiles a large regex) and babel are imported when needed: a
# build that changes nothing names only plain languages (fr, de), which these answer.

RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})
PSEUDO = "qps"   # private-use tag for pseudo-translation (ISO 639 qaa-qtz range)

_GETTEXT = re.compile(r"^(?P<lang>[a-z]{2,3})(?:_(?P<script>[A-Z][a-z]{3}))?"
                      r"(?:_(?P<region>[A-Z]{2}|\d{3}))?(?:@(?P<modifier>[a-z]+))?$")
# gettext modifier -> (BCP 47 script, BCP 47 variant)
MODIFIERS = {"latin": ("Latn", None), "cyrillic": ("Cyrl", None),
             "devanagari": ("Deva", None), "valencia": (None, "valencia"),
             "ijekavian": (None, "ijekavsk"), "ijekavianlatin": ("Latn", "ijekavsk")}
_TO_MODIFIER = {value: key for key, value in MODIFIERS.items()}
_CODE_HINT = "use a BCP 47 tag such as fr, pt-BR, sr-Latn or a gettext name such as pt_BR"
# The two-letter ISO 639-1 codes that are valid BCP 47 tags as they are (not deprecated:
# not iw, in, mo...), what normalize and to_gettext return for them unchanged without
# langcodes (tests/test_languages_plain.py checks this table against langcodes).
PLAIN = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
ss st su sv sw ta te tg th ti tk tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
za zh zu""".split())
# The plain codes whose likely script is written right to left (what direction says of
# them without langcodes; tests/test_languages_plain.py checks it against langcodes).
PLAIN_RTL = frozenset({"ar", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})


def normalize(code: str, where: str | None = None) -> str:
    """A valid BCP 47 tag for a BCP 47 or gettext code ("pt_BR" -> "pt-BR",
    "ca@valencia" -> "ca-valencia", "zh_Hant" -> "zh-Hant"), or an error."""
    raw = code.strip()
    if raw in PLAIN or raw == PSEUDO:
        return raw
    import langcodes
    match = _GETTEXT.match(raw)
    if match and ("_" in raw or "@" in raw):
        raw = _from_gettext(match, code, where)
    if raw == PSEUDO:
        return PSEUDO
    try:
        tag = langcodes.standardize_tag(raw)
    except (ValueError, LookupError):
        tag = ""
    if not tag or not langcodes.tag_is_valid(tag) or tag == "und":
        raise PublishError(f"{code!r} is not a valid language code", where=where,
                           hint=_CODE_HINT)
    return tag


def _from_gettext(match: re.Match[str], code: str, where: str | None) -> str:
    modifier = match["modifier"]
    if modifier is not None and modifier not in MODIFIERS:
        raise PublishError(f"{code!r} has a gettext modifier (@{modifier}) that names no "
                           "script or variant we know", where=where,
                           hint=f"modifiers: @{', @'.join(MODIFIERS)}; or {_CODE_HINT}")
    script, variant = MODIFIERS.get(modifier or "", (None, None))
    if script and match["script"]:
        raise PublishError(f"{code!r} names its script twice", where=where, hint=_CODE_HINT)
    parts = (match["lang"], script or match["script"], match["region"], variant)
    return "-".join(p for p in parts if p)


def to_gettext(tag: str) -> str:
    """gettext locale name for a BCP 47 tag: pt-BR -> pt_BR, sr-Latn -> sr@latin,
    zh-Hant -> zh_Hant, ca-ES-valencia -> ca_ES@valencia. PublishError for a tag that
    gettext cannot name without losing part of it."""
    if tag == PSEUDO or tag in PLAIN:
        return tag
    import langcodes
    parsed = langcodes.Language.get(tag)
    variants = list(parsed.variants or ())
    script, modifier = parsed.script, None
    if variants and (script, variants[0]) in _TO_MODIFIER:     # sr@ijekavianlatin
        modifier, script = _TO_MODIFIER[(script, variants.pop(0))], None
    elif variants and (None, variants[0]) in _TO_MODIFIER:     # ca@valencia
        modifier = _TO_MODIFIER[(None, variants.pop(0))]
    elif not variants and (script, None) in _TO_MODIFIER:      # sr@latin
        modifier, script = _TO_MODIFIER[(script, None)], None
    lost = [*variants, *(parsed.extensions or ()), *([parsed.private] if parsed.private
                                                    else [])]
    if lost or not parsed.language:
        raise PublishError(f"{tag!r} cannot be named as a gettext locale (its part "
                           f"{'-'.join(lost) or tag!r} has no gettext form)",
                           hint="use a tag without it, e.g. "
                                f"{_simplest(parsed)}; gettext names hold a language, a "
                                "script, a region and the modifiers "
                                f"@{', @'.join(MODIFIERS)}")
    parts = [parsed.language, script, parsed.territory]
    return "_".join(p for p in parts if p) + (f"@{modifier}" if modifier else "")


def _simplest(parsed: langcodes.Language) -> str:
    return "-".join(p for p in (parsed.language, parsed.script, parsed.territory) if p)


def regional_variant(tag: str, other: str) -> bool:
    """Whether ``tag`` differs from ``other`` by its region only (en-US and en, pt-BR and
    pt-PT): the same language, script and variants."""
    if tag == other or PSEUDO in (tag, other):
        return False
    if _primary(tag) != _primary(other) and None not in (_primary(tag), _primary(other)):
        return False                # two languages (fr and en): no need to load langcodes
    import langcodes
    a, b = langcodes.Language.get(tag), langcodes.Language.get(other)
    same = a.maximize().script == b.maximize().script
    return same and a.language == b.language and a.variants == b.variants


_REGIONAL = re.compile(r"([a-z]{2})(?:-(?:[A-Z]{2}|\d{3}))?")


def _primary(tag: str) -> str | None:
    """The language of a tag that is a plain two-letter code, with a region or not (fr,
    pt-BR): langcodes reads it so; None for any other tag (langcodes must read it)."""
    m = _REGIONAL.fullmatch(tag)
    return m[1] if m and m[1] in PLAIN else None


def same_language(tag: str, other: str) -> bool:
    """Whether a catalogue in ``other`` may serve ``tag``: the same language, script and
    variants, and the same region unless one of them names none (fr serves fr-CA; pt-PT
    does not serve pt-BR)."""
    if tag == other:
        return True
    if tag in PLAIN and other in PLAIN:     # two languages (en, fr)
        return False
    import langcodes
    a, b = langcodes.Language.get(tag), langcodes.Language.get(other)
    regions = {a.territory, b.territory} - {None}
    return regional_variant(tag, other) and len(regions) < 2


def direction(tag: str) -> str:
    """'rtl' or 'ltr'."""
    if tag == PSEUDO:
        return "ltr"
    if tag in PLAIN:
        return "rtl" if tag in PLAIN_RTL else "ltr"
    import langcodes
    script = langcodes.Language.get(tag).maximize().script
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def primary(tag: str) -> str:
    return tag.split("-")[0].lower()


@functools.lru_cache(maxsize=256)
def script(tag: str) -> str:
    """The script a tag is written in: its own script subtag, else its likely script
    (zh-TW -> Hant, zh -> Hans, sr -> Cyrl, pt-BR -> Latn), as CLDR's likely subtags
    give it."""
    import langcodes
    return langcodes.Language.get(tag).maximize().script or ""


# babel's English names of the PLAIN languages it knows (babel is pinned;
# tests/test_languages_plain.py checks this table against it): what ``update`` names a
# catalogue's team by, without loading babel's English locale data for it.
_ENGLISH_NAMES = dict(item.split("=") for item in (
    "aa=Afar|ab=Abkhazian|af=Afrikaans|ak=Akan|am=Amharic|an=Aragonese|ar=Arabic|"
    "as=Assamese|az=Azerbaijani|ba=Bashkir|be=Belarusian|bg=Bulgarian|"
    "bh=Bhojpuri (India)|bm=Bambara|bn=Bangla|bo=Tibetan|br=Breton|bs=Bosnian|ca=Catalan|"
    "ce=Chechen|co=Corsican|cs=Czech|cu=Church Slavic|cv=Chuvash|cy=Welsh|da=Danish|"
    "de=German|dv=Divehi|dz=Dzongkha|ee=Ewe|el=Greek|en=English|eo=Esperanto|es=Spanish|"
    "et=Estonian|eu=Basque|fa=Persian|ff=Fula|fi=Finnish|fo=Faroese|fr=French|"
    "fy=Western Frisian|ga=Irish|gd=Scottish Gaelic|gl=Galician|gn=Guarani|gu=Gujarati|"
    "gv=Manx|ha=Hausa|he=Hebrew|hi=Hindi|hr=Croatian|ht=Haitian Creole|hu=Hungarian|"
    "hy=Armenian|ia=Interlingua|id=Indonesian|ie=Interlingue|ig=Igbo|ii=Sichuan Yi|"
    "io=Ido|is=Icelandic|it=Italian|iu=Inuktitut|ja=Japanese|jv=Javanese|ka=Georgian|"
    "ki=Kikuyu|kk=Kazakh|kl=Kalaallisut|km=Khmer|kn=Kannada|ko=Korean|ks=Kashmiri|"
    "ku=Kurdish|kw=Cornish|ky=Kyrgyz|la=Latin|lb=Luxembourgish|lg=Ganda|ln=Lingala|"
    "lo=Lao|lt=Lithuanian|lu=Luba-Katanga|lv=Latvian|mg=Malagasy|mi=Māori|mk=Macedonian|"
    "ml=Malayalam|mn=Mongolian|mr=Marathi|ms=Malay|mt=Maltese|my=Burmese|"
    "nb=Norwegian Bokmål|nd=North Ndebele|ne=Nepali|nl=Dutch|nn=Norwegian Nynorsk|"
    "no=Norwegian|nr=South Ndebele|nv=Navajo|ny=Nyanja|oc=Occitan|om=Oromo|or=Odia|"
    "os=Ossetic|pa=Punjabi|pl=Polish|ps=Pashto|pt=Portuguese|qu=Quechua|rm=Romansh|"
    "rn=Rundi|ro=Romanian|ru=Russian|rw=Kinyarwanda|sa=Sanskrit|sc=Sardinian|sd=Sindhi|"
    "se=Northern Sami|sg=Sango|si=Sinhala|sk=Slovak|sl=Slovenian|sn=Shona|so=Somali|"
    "sq=Albanian|sr=Serbian|ss=Swati|st=Southern Sotho|su=Sundanese|sv=Swedish|"
    "sw=Swahili|ta=Tamil|te=Telugu|tg=Tajik|th=Thai|ti=Tigrinya|tk=Turkmen|tn=Tswana|"
    "to=Tongan|tr=Turkish|ts=Tsonga|tt=Tatar|tw=Akan (Ghana)|ug=Uyghur|uk=Ukrainian|"
    "ur=Urdu|uz=Uzbek|ve=Venda|vi=Vietnamese|vo=Volapük|wa=Walloon|wo=Wolof|xh=Xhosa|"
    "yi=Yiddish|yo=Yoruba|za=Zhuang|zh=Chinese|zu=Zulu"
).split("|"))


@functools.lru_cache(maxsize=1024)
def display_name(tag: str, in_lang: str | None = None) -> str:
    """The language's name in ``in_lang`` (default: in itself), e.g. 'français';
    remembered (babel's lookups are slow, and every page names its languages)."""
    if tag == PSEUDO:
        return "Pseudo-translation"
    if in_lang == "en" and tag in _ENGLISH_NAMES:
        return _ENGLISH_NAMES[tag]
    import babel
    try:
        locale = babel.Locale.parse(tag, sep="-")
        where = babel.Locale.parse(in_lang or tag, sep="-")
        name = locale.get_display_name(where)
    except (ValueError, babel.UnknownLocaleError):
        return tag
    if name and _primary(tag) is None:     # fr, pt-BR name no script nor variant
        import langcodes
        parsed = langcodes.Language.get(tag)
        if parsed.script or parsed.variants:          # babel drops some of them
            name = _composed_name(parsed, where) or name
    return name or tag


def _composed_name(parsed: langcodes.Language, where: babel.Locale) -> str | None:
    """"Serbian (Latin, Ijekavian)": the parts' names, as babel composes them."""
    language = where.languages.get(parsed.language)
    details = [where.scripts.get(parsed.script or ""), where.territories.get(
        parsed.territory or ""), *(where.variants.get(v.upper()) for v in parsed.variants or ())]
    if not language or None in details[2:]:
        return None
    shown = [d for d in details if d]
    return f"{language} ({', '.join(shown)})" if shown else language


def join_names(names: tuple[str, ...] | list[str], lang: str,
               within: str | None = None) -> str:
    """People's names for display, joined as the language lists them (CLDR: "Ann Lee and
    Bob Ray", "Ann Lee et Bob Ray"); with commas for a language babel does not know. One
    name is shown as it is ("Dupont, Jean" included). ``within``: the language of the
    text the names are shown in (the page's, or the line's): each name written in the
    other direction is isolated (see :func:`isolate`)."""
    if within is not None:
        names = tuple(isolate(name, within) for name in names)
    return _joined(tuple(names), lang)


# The languages written without a space between their sentences.
NO_SPACE_LANGS = frozenset({"zh", "ja", "yue"})


@functools.lru_cache(maxsize=256)
def spaced(lang: str) -> bool:
    """Whether ``lang``'s sentences are written with a space between them (all but
    Chinese, Japanese, Cantonese)."""
    return primary(lang) not in NO_SPACE_LANGS


def gap_after(separator: str, lang: str | None) -> str:
    """What follows a sentence (or part of a text) in ``lang`` that another follows: the
    ``separator`` of the text around it (" ", or "" in a language written without
    spaces), or, in a text without, a space after one in a language written with them (an
    English sentence the translation falls back to, in a Japanese edition, is not glued
    to the next one: the space belongs to the sentence's own script, so none follows a
    Japanese sentence before an English one)."""
    return separator or (" " if lang and spaced(lang) else "")


# First Strong Isolate and Pop Directional Isolate: a name between them is laid out as a
# unit, in its own direction (Unicode bidi algorithm, rule X5c). The writers put such a
# name in a <bdi> (xhtml.set_isolated_text), markup rather than invisible characters.
FSI, PDI = "\u2068", "\u2069"
_STRONG = {"ltr": frozenset({"R", "AL"}), "rtl": frozenset({"L"})}


def isolate(name: str, within: str) -> str:
    """``name`` between FSI and PDI when it has a letter written in the direction other
    than that of ``within``'s text (a Latin name in Arabic, an Arabic one in French):
    beside that text, the digits and punctuation next to it, it would otherwise be laid
    out with them ("Greene، 1" read as one left-to-right run); else ``name`` itself."""
    if not name or name.isascii() and direction(within) == "ltr":
        return name
    other = _STRONG[direction(within)]
    if any(unicodedata.bidirectional(c) in other for c in name):
        return f"{FSI}{name}{PDI}"
    return name


@functools.lru_cache(maxsize=256)
def _joined(names: tuple[str, ...], lang: str) -> str:
    """:func:`join_names` (remembered: the credits of every edition of a language)."""
    if len(names) < 2:
        return "".join(names)
    import babel
    from babel.lists import format_list
    try:
        return format_list(names, locale=babel.Locale.parse(lang, sep="-"))
    except (ValueError, babel.UnknownLocaleError):
        return ", ".join(names)
