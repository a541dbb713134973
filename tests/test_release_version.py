"""`release --version` takes a plain token (letters, digits, '.', '-', '+', '_', from a
letter or a digit, at most 64 characters): anything else is refused before anything is
read or written, with a message naming the option and a hint (exit 2); none (or "")
is the date of the latest edition."""
from __future__ import annotations

import pytest

from build_helpers import run
from serge_publish.errors import InputError

RULE = "a version has letters, digits, '.', '-', '+' and '_', starting with a letter or a " \
       "digit, at most 64 characters"


@pytest.mark.parametrize("version, shown", [
    ("a\nb", "'a\\nb' is not a plain version"),            # ended up in release.json
    ("../../x", "'../../x' is not a plain version"),
    ("1.0/2", "'1.0/2' is not a plain version"),
    (" 1.0", "' 1.0' is not a plain version"),
    ("-rc1", "'-rc1' is not a plain version"),
    ("1.0\n", "'1.0\\n' is not a plain version"),
    ("1" * 65, f"{'1' * 40!r}... is 65 characters long"),
])
def test_a_version_that_is_not_a_plain_token_is_refused(make_root, version, shown):
    project = make_root("two-essays", prepared=False)
    code, out, err = run("--project", str(project), "release", "--version", version)
    assert code == 2 and not out and "Traceback" not in err, err
    assert f"error: --version {shown}: {RULE}\n" in err
    assert "hint: e.g. --version 1.0 or --version 2024.05-rc1; leave --version out to use " \
           "the date of the latest edition" in err
    assert not (project / "build").exists()


@pytest.mark.parametrize("version", ["", "1.0", "2024.05-rc1", "v1.0+build_3", "a" * 64])
def test_plain_versions_and_none_are_taken(version):
    from serge_publish.commands.release import check_version
    check_version(version)


def test_the_rule_is_in_the_help():
    code, out, _ = run("release", "--help")
    assert code == 0 and "letters, digits, '.', '-', '+' and '_'" in " ".join(out.split())


def test_the_check_is_the_release_s():
    from serge_publish.commands.release import check_version
    with pytest.raises(InputError):
        check_version("a b")
