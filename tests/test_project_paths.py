"""A catalogue's path: the language's folder is made once per project (issue 8: a build
asks for every catalogue of every language), each essay's name joined to it."""
from __future__ import annotations

import os
from pathlib import Path

from serge_publish.config import Config
from serge_publish.project import Project


def test_a_catalogues_path_is_locale_lang_lc_messages_essay_po(tmp_path):
    project = Project(tmp_path, Config())
    for lang in ("fr", "pt_BR", "sr@latin"):
        for essay in ("a", "essay-0001", "_project"):
            expected = Path(os.path.join(tmp_path, "locale", lang, "LC_MESSAGES",
                                         f"{essay}.po"))
            first, again = project.po_path(lang, essay), project.po_path(lang, essay)
            assert first == again == expected and str(first) == str(expected)
