"""Hypothesis strategies for the placeholder parser's tests: short texts of the characters
markup is made of, and random inline content built of them (emphasis, titles, links,
foreign spans, note calls, untranslated spans), nested."""
from __future__ import annotations

from hypothesis import strategies as st

from catalog_helpers import emph, keep, link, noteref, title
from serge_publish.model import Inline

words = st.text(alphabet=st.sampled_from(list("ab <>&;ltgmp/1\n")), min_size=1, max_size=6)


def inlines(titled: bool = False, max_size: int = 4, max_leaves: int = 8):
    """A segment's content; ``titled``: titles with a language of their own too."""
    def branch(inner):
        kinds = [words, inner.map(lambda c: emph(*c)), inner.map(lambda c: title(*c))]
        if titled:
            kinds.append(inner.map(lambda c: Inline("title", tuple(c), (("lang", "de"),))))
        kinds += [inner.map(lambda c: link("https://x.org", *c)),
                  inner.map(lambda c: Inline("foreign", tuple(c), (("lang", "fr"),))),
                  st.sampled_from([noteref("1"), noteref("23"), keep("kept <x>")])]
        return st.lists(st.one_of(*kinds), min_size=1, max_size=max_size)
    return st.recursive(st.lists(words, min_size=1, max_size=2), branch,
                        max_leaves=max_leaves).map(tuple)
