"""The summary printed after a build: a row per edition, or per language when the build
has more than COMPACT_OVER editions."""
from __future__ import annotations

import io

from rich.console import Console

from serge_publish.commands import build_report
from serge_publish.commands.build import BuildResult
from serge_publish.commands.build_plan import EditionPlan, Fallback, Plan


def _result(essays: int, langs: tuple[str, ...] = ("en", "fr")) -> BuildResult:
    ids = tuple(f"e{n:04d}" for n in range(essays))
    plan = Plan("en", langs, ids, ids, langs)
    outputs = []
    for lang in langs:
        for n, essay in enumerate(ids):
            published = lang == "en" or n % 2 == 0
            fallbacks = () if lang == "en" else (Fallback("s1", "untranslated"),)
            plan.editions[(lang, essay)] = EditionPlan(
                lang, essay, None, published, "source language" if lang == "en" else "x",
                words_total=10, words_translated=10 if published else 5,
                fallbacks=fallbacks, buildable=True)
            if published:
                outputs += [f"build/{lang}/{essay}.epub", f"build/{lang}/{essay}.html"]
        outputs.append(f"build/{lang}/anthology.epub")
    return BuildResult(plan, sorted(outputs), 80.0, written=[])


def _printed(result: BuildResult) -> str:
    out = io.StringIO()
    build_report.print_summary(result, Console(file=out, width=120))
    return out.getvalue()


def test_a_row_per_edition_up_to_the_limit():
    essays = build_report.COMPACT_OVER // 2            # two languages: exactly the limit
    text = _printed(_result(essays))
    assert text.count(" e0") == 2 * essays and "anthology" in text
    assert "by language" not in text


def test_a_row_per_language_above_it():
    essays = build_report.COMPACT_OVER // 2 + 1
    text = _printed(_result(essays))
    assert "Editions, by language" in text and " e0" not in text
    rows = [line.split() for line in text.splitlines() if line.strip()[:3] in ("en ", "fr ")]
    assert [row[:3] for row in rows] == [["en", str(essays), str(essays)],
                                         ["fr", str(essays), str((essays + 1) // 2)]]
    fr = next(line for line in text.splitlines() if line.strip().startswith("fr "))
    assert f"{essays} untranslated" in fr
    assert f"{(essays + 1) // 2} essays built; anthology: built epub" in fr
    assert "0 files written under build/" in text


def test_the_outputs_of_an_edition_are_found_by_its_path_not_by_a_prefix():
    result = BuildResult(plan=None, threshold=80.0,  # type: ignore[arg-type]
                         outputs=["build/fr/a.b.html", "build/fr/a.epub", "build/fr/a.html",
                                  "build/fr/anthology.epub", "build/index.html"])
    assert result.outputs_of("fr", "a") == ["build/fr/a.epub", "build/fr/a.html"]
    assert result.outputs_of("fr", "a.b") == ["build/fr/a.b.html"]
    assert result.outputs_of("de", "a") == []
    assert result.has("build/fr/anthology.epub") and not result.has("build/de/anthology.epub")
    result.outputs.append("build/de/anthology.epub")          # seen once the list grows
    assert result.has("build/de/anthology.epub")
