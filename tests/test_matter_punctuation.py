"""The colophon's facts joined as the edition's language punctuates them: where the essay
first appeared and when, who gave permission and when ("Links, 18 January 2016" in
English, "Links、2016年1月18日" in Japanese, "Links، 18 يناير 2016" in Arabic), not with
an English comma whatever the language."""
from __future__ import annotations

from dataclasses import replace

import pytest

from build_helpers import edition, sample_document
from serge_publish.languages import FSI, PDI, direction
from serge_publish.writers import matter
from serge_publish.writers.edition import EssayFacts
from serge_publish.writers.furniture import format_date


@pytest.mark.parametrize("lang, comma", [
    ("en", ", "), ("fr", ", "), ("de", ", "), ("ja", "、"), ("zh", "，"),
    ("zh-TW", "，"), ("ko", ", "), ("ar", "، "), ("he", ", "), ("fi", ", "),
])
def test_a_name_and_its_date_are_joined_as_the_language_punctuates(lang, comma):
    doc = sample_document()
    doc = replace(doc, metadata=replace(doc.metadata, publisher="Links", date="2016-01-18"))
    facts = EssayFacts(permission_from="Doug Enaa Greene", permission_date="2024-05-01")
    ed = edition(doc, lang, facts=facts)
    # a Latin name in a right-to-left language isolated (the colophon shows it in a <bdi>)
    links, greene = (f"{FSI}{n}{PDI}" if direction(lang) == "rtl" else n
                     for n in ("Links", "Doug Enaa Greene"))
    assert matter.original_publication(ed) == \
        f"{links}{comma}{format_date('2016-01-18', lang)}"
    assert matter.permission_text(ed) == \
        f"{greene}{comma}{format_date('2024-05-01', lang)}"
    # one of the two alone is shown alone
    alone = edition(replace(doc, metadata=replace(doc.metadata, date="")), lang,
                    facts=replace(facts, permission_date=""))
    assert matter.original_publication(alone) == links
    assert matter.permission_text(alone) == greene
