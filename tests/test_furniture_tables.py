"""The lookup of the furniture tables (``serge_publish/data/furniture/*.json``): a script
subtag, written or likely, names the table of a script of a language (zh-TW and zh-HK
look for ``zh-Hant.json``), and a language written in another script than its primary
language's never gets that language's table."""
from __future__ import annotations

from build_helpers import run
from serge_publish import languages
from serge_publish.writers.furniture import furniture_for, lookup, table_to_add

# ---------------------------------------------------------------- the lookup

def test_a_table_in_another_script_is_not_used():
    """zh-Latn (pinyin) is not given Chinese characters, nor sr-Latn a Cyrillic table:
    English and the warning, which names the table to add."""
    assert [languages.script(t) for t in ("zh-TW", "zh-HK", "zh", "sr", "pt-BR")] == \
        ["Hant", "Hant", "Hans", "Cyrl", "Latn"]
    assert lookup("zh-Latn") == ("zh-Latn",) and furniture_for("zh-Latn").fallback
    assert lookup("zh-TW") == ("zh-TW", "zh-Hant")
    assert lookup("zh-CN") == ("zh-CN", "zh-Hans", "zh")
    assert lookup("pt-BR")[-1] == "pt" and furniture_for("pt-BR").lang == "pt"
    assert lookup("fi") == ("fi",) and furniture_for("fi").fallback
    assert [table_to_add(t) for t in ("fi", "sr-Latn", "zh-Latn", "pt-BR", "yue", "fa")] \
        == ["fi", "sr-Latn", "zh-Latn", "pt", "yue", "fa"]


def test_the_warning_names_the_table_of_the_language_and_script(make_root):
    project = make_root("two-essays")
    assert run("--project", str(project), "update", "--lang", "sr-Latn")[0] == 0
    code, _, err = run("--project", str(project), "build", "--lang", "sr-Latn")
    assert code == 0, err
    assert "build.furniture-missing" in err and "data/furniture/sr-Latn.json" in err
