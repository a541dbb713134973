"""serge-publish.toml is read once, typed and checked: a wrong type, an unknown key or table
and a bad language are errors at serge-publish.toml:LINE with a hint (exit 5), through the
CLI; good values are normalised (BCP 47 tags, translators keyed by tag)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_helpers import run
from serge_publish.catalog import read_catalog
from serge_publish.config import Config, config_from_dict, key_line, render_config

GOOD = """\
# a comment
[project]
name = "P"
source_language = "en"
target_languages = ["fr"]

[translators]
fr = "Jeanne"

[build]
threshold = 80
include_comments = false
"""


def project_with(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "p"
    (root / "source").mkdir(parents=True)
    (root / "locale").mkdir()
    (root / "serge-publish.toml").write_text(text, encoding="utf-8")
    return root


def fails(tmp_path: Path, text: str) -> str:
    root = project_with(tmp_path, text)
    code, out, err = run("--project", str(root), "status")
    assert code == 5 and not out and "Traceback" not in err, err
    assert "hint:" in err
    return err


@pytest.mark.parametrize("old, new, line, says", [
    # bool("false") was true: comments were printed
    ('include_comments = false', 'include_comments = "false"', 12,
     'include_comments must be true or false (without quotes), not a string ("false")'),
    # True was taken as a threshold of 1%
    ('threshold = 80', 'threshold = true', 11, "threshold must be a number from 0 to 100"),
    ('threshold = 80', 'threshold = 101', 11, "threshold must be a number from 0 to 100"),
    ('threshold = 80', 'threshold = "80"', 11, "threshold must be a number"),
    # a string was read letter by letter: "'f' is not a valid language code"
    ('target_languages = ["fr"]', 'target_languages = "fr"', 5,
     'target_languages must be a list such as ["fr", "de"], not a string ("fr")'),
    ('target_languages = ["fr"]', 'target_languages = ["fr", "xx-bad-code"]', 5,
     "'xx-bad-code' is not a valid language code"),
    ('target_languages = ["fr"]', 'target_languages = ["fr", "fr_FR", "fr-FR"]', 5,
     "'fr-FR' is listed twice (as fr-FR)"),
    ('target_languages = ["fr"]', 'target_languages = ["fr", "en"]', 5,
     "'en' is the source language"),
    ('target_languages = ["fr"]', 'target_languages = ["fr", "de-x-private"]', 5,
     "cannot be named as a gettext locale"),
    ('name = "P"', 'name = 12', 3, "[project] name must be a string (in quotes), not a number"),
    ('source_language = "en"', 'source_language = "english!"', 4,
     "'english!' is not a valid language code"),
    # a bad key was skipped silently by the build and by update
    ('fr = "Jeanne"', 'fr = "Jeanne"\n"french people" = "Paul"', 9,
     "[translators] french people: 'french people' is not a valid language code"),
    ('fr = "Jeanne"', 'fr = 3', 8, "[translators] fr must be a string of names"),
    ('fr = "Jeanne"', 'fr = "Jeanne"\nfr_FR = "A"\n"fr-FR" = "B"', 10,
     "'fr-FR' names fr-FR a second time"),
    ('threshold = 80', 'treshold = 80', 11, "unknown key 'treshold' in [build]"),
    ('[build]', '[biuld]', 10, "unknown table [biuld]"),
    ('# a comment', 'version = 2', 1, "unknown table or key 'version'"),
])
def test_a_bad_value_is_a_located_error(tmp_path, old, new, line, says):
    assert old in GOOD
    err = fails(tmp_path, GOOD.replace(old, new))
    assert f"serge-publish.toml:{line}: " in err and says in err


def test_a_bad_target_stops_the_build_instead_of_being_skipped(tmp_path):
    root = project_with(tmp_path, GOOD.replace('["fr"]', '["fr", "zz-bogus"]'))
    code, _, err = run("--project", str(root), "build")
    assert code == 5 and "serge-publish.toml:5: " in err and "zz-bogus" in err
    assert not (root / "build").exists()


def test_languages_are_normalised_and_translators_keyed_by_tag(tmp_path):
    text = GOOD.replace('["fr"]', '["fr", "pt_BR", "sr@latin"]').replace(
        'fr = "Jeanne"', 'fr = "Jeanne; Paul"\npt-br = ["Ana", "Lima, Rui"]')
    root = project_with(tmp_path, text)
    code, out, err = run("--project", str(root), "status", "--json")
    assert code == 0, err
    assert [x["lang"] for x in json.loads(out)["languages"]] == ["fr", "pt-BR", "sr-Latn"]
    config = config_from_dict(__import__("tomllib").loads(text), text)
    assert config.translators == {"fr": ("Jeanne", "Paul"),
                                  "pt-BR": ("Ana", "Lima, Rui")}


def test_the_configured_team_is_found_by_its_normalised_tag(tmp_path):
    from catalog_helpers import sample_document, write_source
    text = GOOD.replace('["fr"]', '["pt-BR"]').replace('fr = "Jeanne"', 'pt_BR = "Ana"')
    root = project_with(tmp_path, text)
    write_source(sample_document(), root / "source" / "sample.xml")
    code, _, err = run("--project", str(root), "update")
    assert code == 0, err
    meta = read_catalog(root / "locale" / "pt_BR" / "LC_MESSAGES" / "sample.po").metadata
    assert meta["Language-Team"] == "Ana"


def test_init_writes_a_configuration_that_reads_back(tmp_path):
    code, _, err = run("init", str(tmp_path / "new"), "--lang", "pt_BR", "--lang", "de")
    assert code == 0, err
    text = (tmp_path / "new" / "serge-publish.toml").read_text("utf-8")
    config = config_from_dict(__import__("tomllib").loads(text), text)
    assert config.target_languages == ("pt-BR", "de") and config.threshold == 80
    code, _, err = run("init", str(tmp_path / "dup"), "--lang", "fr", "--lang", "fr_FR",
                       "--lang", "fr")
    assert code == 5 and "listed twice" in err


def test_render_config_round_trips():
    config = Config(name='A "quoted" name', target_languages=("fr", "pt-BR"),
                    translators={"pt-BR": ("Ana", "Rui")}, threshold=62.5,
                    include_comments=True)
    text = render_config(config)
    assert config_from_dict(__import__("tomllib").loads(text), text) == config


def test_key_line_finds_keys_in_their_table_only():
    text = '[a]\nx = 1\n[b]\n  "x" = 2\ny.z = 3\n'
    assert key_line(text, "a", "x") == 2 and key_line(text, "b", "x") == 4
    assert key_line(text, "b") == 3 and key_line(text, "c", "x") is None


def test_invalid_toml_is_located(tmp_path):
    err = fails(tmp_path, GOOD.replace('name = "P"', 'name = "P'))
    assert "serge-publish.toml:3: invalid TOML: " in err


@pytest.mark.parametrize("text, says", [
    ("", "the configuration is empty: it has no [project] table"),
    ("# nothing but a comment\n\n", "the configuration is empty: it has no [project] table"),
    ('[build]\nthreshold = 80\n', "the configuration has no [project] table"),
])
@pytest.mark.parametrize("command", [["status"], ["build"], ["release"]])
def test_a_configuration_without_its_project_table_is_refused(tmp_path, text, says, command):
    root = project_with(tmp_path, text)
    code, out, err = run("--project", str(root), *command)
    assert code == 5 and not out and "Traceback" not in err, err
    assert f"error: {root / 'serge-publish.toml'}: {says}" in err
    assert "hint: restore it from git (git restore serge-publish.toml)" in err
    assert not (root / "build").exists()


def test_a_project_table_without_a_name_is_an_untitled_project(tmp_path):
    root = project_with(tmp_path, '[project]\ntarget_languages = ["fr"]\n')
    code, _, err = run("--project", str(root), "status")
    assert code == 0, err
