"""The plain language codes (fr, de) are answered without langcodes (issue 8: its import
compiles a large regex, a fifth of a build that changes nothing): the table of them must
say what langcodes says."""
from __future__ import annotations

import itertools
import string
import subprocess
import sys

import langcodes

from serge_publish import languages


def _plain_by_langcodes(code: str) -> bool:
    try:
        tag = langcodes.standardize_tag(code)
    except (ValueError, LookupError):
        return False
    if tag != code or not langcodes.tag_is_valid(tag):
        return False
    parsed = langcodes.Language.get(tag)
    return parsed.language == code and not (parsed.script or parsed.territory
                                            or parsed.variants or parsed.extensions
                                            or parsed.private)


def test_the_table_of_plain_codes_is_langcodes_own():
    codes = ["".join(p) for p in itertools.product(string.ascii_lowercase, repeat=2)]
    assert languages.PLAIN == {c for c in codes if _plain_by_langcodes(c)}


def test_plain_codes_are_themselves_and_the_others_still_go_through_langcodes():
    for code in sorted(languages.PLAIN):
        assert languages.normalize(code) == code == languages.to_gettext(code)
        assert languages.normalize(f" {code} ") == code
    assert languages.normalize("iw") == "he" and languages.normalize("fra") == "fr"
    assert languages.normalize("pt_BR") == "pt-BR" and languages.to_gettext("pt-BR") == "pt_BR"


def test_reading_plain_codes_does_not_import_langcodes():
    code = ("import sys\nfrom serge_publish import languages\n"
            "assert languages.normalize('fr') == 'fr' == languages.to_gettext('fr')\n"
            "print('langcodes' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_what_is_said_of_plain_codes_without_langcodes_is_what_langcodes_says():
    rtl = {c for c in languages.PLAIN
           if langcodes.Language.get(c).maximize().script in languages.RTL_SCRIPTS}
    assert languages.PLAIN_RTL == rtl
    for code in languages.PLAIN:
        assert langcodes.Language.get(code).language == code   # two plain codes: two languages
    for tag, other in (("en", "fr"), ("pt", "pt-BR"), ("en-GB", "en"), ("sr", "sr-Latn"),
                       ("fr", "fr-CA"), ("pt-PT", "pt-BR"), ("he", "yi"), ("no", "nb")):
        for a, b in ((tag, other), (other, tag)):
            parsed_a, parsed_b = langcodes.Language.get(a), langcodes.Language.get(b)
            same_script = parsed_a.maximize().script == parsed_b.maximize().script
            regional = a != b and same_script and parsed_a.language == parsed_b.language \
                and parsed_a.variants == parsed_b.variants
            assert languages.regional_variant(a, b) == regional, (a, b)


def test_an_update_of_plain_languages_does_not_import_langcodes():
    code = ("import sys\nfrom serge_publish import languages\n"
            "assert not languages.regional_variant('fr', 'en')\n"
            "assert not languages.same_language('fr', 'en')\n"
            "assert languages.same_language('fr', 'fr')\n"
            "assert languages.direction('ar') == 'rtl' and languages.direction('fr') == 'ltr'\n"
            "assert languages.display_name('fr', 'en') == 'French'\n"
            "print('langcodes' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def _display_name_by_babel(tag: str) -> str:
    """display_name(tag, "en") as babel answers it (its own path, not the table)."""
    import babel
    try:
        name = babel.Locale.parse(tag, sep="-").get_display_name(babel.Locale.parse("en"))
    except (ValueError, babel.UnknownLocaleError):
        return tag
    return name or tag


def test_the_english_names_of_plain_codes_are_babels():
    """update names a catalogue's team (its language's English name) from a table, not
    from babel's English locale data (issue 8): the table says what babel says."""
    for code in sorted(languages.PLAIN):
        assert languages.display_name(code, "en") == _display_name_by_babel(code), code
    assert languages.display_name("fr", "en") == "French"
    assert languages.display_name("pt-BR", "en") == _display_name_by_babel("pt-BR")


def test_a_language_team_and_a_check_of_two_languages_load_neither_babel_nor_langcodes():
    code = ("import sys\nfrom serge_publish import languages\n"
            "from serge_publish.catalog import header\n"
            "assert header.language_team('fr', {}) == 'French'\n"
            "assert not languages.regional_variant('fr', 'en')\n"
            "print('langcodes' in sys.modules, 'babel' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False False"
