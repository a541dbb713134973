"""BCP 47 <-> gettext names without loss: two languages never share a catalogue."""
from __future__ import annotations

import pytest

from catalog_helpers import make_project
from serge_publish import languages
from serge_publish.catalog import read_catalog
from serge_publish.cli import main
from serge_publish.commands.catalog import status_command, update_command
from serge_publish.errors import PublishError

MAPPED = {
    "fr": "fr", "pt-BR": "pt_BR", "es-419": "es_419",
    "zh-Hant": "zh_Hant", "zh-Hans": "zh_Hans", "zh-Hant-TW": "zh_Hant_TW",
    "sr-Latn": "sr@latin", "sr-Latn-RS": "sr_RS@latin", "be-Latn": "be@latin",
    "uz-Cyrl": "uz@cyrillic", "ks-Deva": "ks@devanagari", "pa-Arab": "pa_Arab",
    "ca-valencia": "ca@valencia", "ca-ES-valencia": "ca_ES@valencia",
    "sr-ijekavsk": "sr@ijekavian", "sr-Latn-ijekavsk": "sr@ijekavianlatin",
    "sr-Cyrl-ijekavsk": "sr_Cyrl@ijekavian", "qps": "qps",
}


@pytest.mark.parametrize("tag,name", MAPPED.items())
def test_every_tag_has_its_own_gettext_name_and_comes_back(tag, name):
    assert languages.to_gettext(tag) == name
    assert languages.normalize(name) == tag            # the gettext name read back
    assert languages.normalize(tag) == tag


def test_no_two_languages_share_a_gettext_name():
    assert len(set(map(languages.to_gettext, MAPPED))) == len(MAPPED)
    assert languages.normalize("sr_Latn") == "sr-Latn"    # Weblate's spelling too


@pytest.mark.parametrize("tag,part", [("de-CH-1996", "1996"), ("en-x-foo", "x-foo"),
                                      ("en-US-u-ca-gregory", "u-ca-gregory"),
                                      ("de-1901-1996", "1901-1996")])
def test_a_tag_gettext_cannot_name_is_refused_with_the_part_it_would_lose(tag, part):
    with pytest.raises(PublishError) as caught:
        languages.to_gettext(tag)
    assert f"its part '{part}'" in caught.value.message and caught.value.hint


@pytest.mark.parametrize("code", ["fr_FR@euro", "de@valencian", "sr_Latn@latin"])
def test_an_unknown_or_doubled_modifier_is_refused_not_dropped(code):
    with pytest.raises(PublishError) as caught:
        languages.normalize(code)
    assert repr(code) in caught.value.message


def test_regional_variants_and_languages_a_catalogue_may_serve():
    assert languages.regional_variant("en-US", "en")
    assert languages.regional_variant("en-GB", "en-US")
    assert not languages.regional_variant("sr-Latn", "sr")        # a script, not a region
    assert not languages.regional_variant("ca-valencia", "ca")
    assert languages.same_language("fr-CA", "fr") and languages.same_language("fr", "fr-FR")
    assert not languages.same_language("pt-BR", "pt-PT")
    assert not languages.same_language("zh-Hant", "zh-Hans")
    assert not languages.same_language("de", "fr")


def test_display_names_keep_scripts_and_variants():
    assert languages.display_name("ca-valencia", "en") == "Catalan (Valencian)"
    assert languages.display_name("sr-Latn", "en") == "Serbian (Latin)"
    assert languages.display_name("zh-Hant", "en") == "Chinese (Traditional)"
    assert languages.display_name("fr", "en") == "French"
    assert languages.display_name("fr") == "français"


def test_scripts_and_variants_get_their_own_catalogues(tmp_path):
    project = make_project(tmp_path)
    update_command(project, ("zh-Hant", "zh_Hans", "ca@valencia", "ca", "sr-Latn"))
    for name in ("zh_Hant", "zh_Hans", "ca@valencia", "ca", "sr@latin"):
        meta = read_catalog(project.po_path(name, "sample")).metadata
        assert meta["Language"] == name
    assert read_catalog(project.po_path("zh_Hant", "sample")).metadata["Plural-Forms"] == \
        "nplurals=1; plural=0;"
    found = [lang.lang for lang in status_command(project)]
    assert {"zh-Hant", "zh-Hans", "ca-valencia", "ca", "sr-Latn"} <= set(found)


def test_cli_refuses_a_tag_without_gettext_name_before_writing(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["--project", str(tmp_path), "update", "--lang", "de-CH-1996"]) == 1
    err = capsys.readouterr().err
    assert "'de-CH-1996' cannot be named as a gettext locale" in err and "Traceback" not in err
    assert "hint: use a tag without it, e.g. de-CH" in err
    assert not project.locale_dir.joinpath("de_CH").exists()
    assert main(["--project", str(tmp_path), "update", "--lang", "ca_ES@euro"]) == 1
    assert "(@euro)" in capsys.readouterr().err


def test_a_regional_variant_of_the_source_is_accepted_with_a_warning(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["--project", str(tmp_path), "update", "--lang", "en_US", "--lang", "fr"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1                 # once, for en-US, not for fr
    assert "en-US: warning: en-US is the source language (en) in another region" in err
    assert "[update.regional-variant]" in err
    assert read_catalog(project.po_path("en_US", "sample")).metadata["Language"] == "en_US"
