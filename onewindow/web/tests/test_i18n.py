"""The English catalogue is complete, checked, compiled, and the site really speaks English when asked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
SITE_TITLE_ZH = "一窗受理政务服务平台"
SITE_TITLE_EN = "One-Window Government Service Platform"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    strings: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.strings.get("msgid", "")

    @property
    def msgstrs(self) -> dict[str, str]:
        return {key: value for key, value in self.strings.items() if key.startswith("msgstr")}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(0)), text)


def read_po(path: Path) -> list[Entry]:
    """A small reader for the subset of the PO format that gettext's tools write (obsolete #~ entries skipped)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    keyword = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry = None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword = match.group(1)
            entry.strings[keyword] = _unescape(match.group(2))
        elif match := _CONTINUATION.match(line):
            entry.strings[keyword] += _unescape(match.group(1))
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return [e for e in entries if e.strings]


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run manage.py makemessages -l en"
    return read_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    """Every entry but the header."""
    return [e for e in entries if e.msgid]


def test_the_catalogue_has_a_header_for_english_without_a_fuzzy_flag(entries):
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.strings["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.strings["msgstr"]


def test_every_message_is_translated(messages):
    assert len(messages) > 100
    empty = [f"line {e.line}: {e.msgid!r}" for e in messages if not all(e.msgstrs.values()) or not e.msgstrs]
    assert not empty, "untranslated messages:\n" + "\n".join(empty)


def test_no_message_is_fuzzy(messages):
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy messages (check them, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_messages_have_both_english_forms(messages):
    plurals = [e for e in messages if "msgid_plural" in e.strings]
    assert plurals
    for entry in plurals:
        assert set(entry.msgstrs) == {"msgstr[0]", "msgstr[1]"}, entry.msgid
        assert entry.msgstrs["msgstr[0]"] != entry.msgstrs["msgstr[1]"], entry.msgid


def test_translations_keep_the_placeholders(messages):
    for entry in messages:
        expected = sorted(_PLACEHOLDER.findall(entry.msgid))
        for key, text in entry.msgstrs.items():
            assert sorted(_PLACEHOLDER.findall(text)) == expected, f"line {entry.line} {key}: {entry.msgid!r}"


def test_english_translations_contain_no_chinese_except_quoted_sheet_names(messages):
    # The Excel import help names the workbook's sheets, which keep their Chinese names.
    han = re.compile(r"[\u4e00-\u9fff]")
    for entry in messages:
        for text in entry.msgstrs.values():
            assert not han.search(re.sub(r"“[^”]*”", "", text)), f"line {entry.line}: {text!r}"


def test_the_compiled_catalogue_serves_every_translation(messages):
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run manage.py compilemessages"
    with translation.override("en"):
        for entry in messages:
            if "msgctxt" in entry.strings:
                continue
            if "msgid_plural" in entry.strings:
                singular, plural = entry.msgid, entry.strings["msgid_plural"]
                assert translation.ngettext(singular, plural, 1) == entry.msgstrs["msgstr[0]"], "stale .mo?"
                assert translation.ngettext(singular, plural, 2) == entry.msgstrs["msgstr[1]"], "stale .mo?"
            else:
                assert translation.gettext(entry.msgid) == entry.msgstrs["msgstr"], f"stale .mo? {entry.msgid!r}"


@pytest.mark.django_db
def test_switching_to_english_translates_the_home_page(client):
    chinese = client.get("/").content.decode()
    assert SITE_TITLE_ZH in chinese
    assert SITE_TITLE_EN not in chinese

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/")
    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert f"<title>{SITE_TITLE_EN}</title>" in page
    assert SITE_TITLE_EN in page
    assert SITE_TITLE_ZH not in page
    assert "Service guide" in page


@pytest.mark.django_db
def test_the_language_cookie_alone_selects_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert SITE_TITLE_EN in page
    assert SITE_TITLE_ZH not in page


@pytest.mark.django_db
def test_the_admin_names_the_models_in_english(client):
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import RegionFactory, staff

    client.force_login(staff(Role.SYSTEM_ADMIN, RegionFactory()))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/admin/catalogue/matterversion/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Matter version" in page
    assert "事项版本" not in page


def test_every_role_label_is_offered_to_makemessages():
    from onewindow.orgs.domain import ROLE_LABELS
    from onewindow.orgs.models import ROLE_LABEL_MESSAGES

    assert sorted(ROLE_LABEL_MESSAGES) == sorted(ROLE_LABELS.values())
