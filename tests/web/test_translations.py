"""The Danish and Swedish catalogues are complete, and the committed .mo files match the .po files."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LANGUAGES = ["da", "sv"]


def catalogue(language: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"


def po_entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry but the header, one per plural form; --no-wrap keeps each on one line."""
    entries, fuzzy, msgid = [], False, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            fuzzy, msgid = False, None
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif match := re.match(r'^msgid "(.*)"$', line):
            msgid = match.group(1)
        elif (match := re.match(r'^msgstr(?:\[\d+\])? "(.*)"$', line)) and msgid:
            entries.append((msgid, match.group(1), fuzzy))
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = po_entries(catalogue(language) / "django.po")
    assert len(entries) > 100
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, fuzzy in entries if fuzzy] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_file_matches_the_po_file(language, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, catalogue(language) / "django.po"], check=True)
    with open(catalogue(language) / "django.mo", "rb") as committed, open(fresh, "rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog
