"""Pages are shown in the visitor's language only where credplugin is translated, and say so."""

import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from credplugin.presentation.language import shown_language
from credplugin.settings.common import LOCALE_DIR

pytestmark = pytest.mark.django_db
SOURCE_CATALOG = Path(LOCALE_DIR) / "en" / "LC_MESSAGES" / "django.po"


def write_mo(path, messages):
    """A GNU gettext catalog (.mo) of ``messages`` ({msgid: msgstr}, context as "ctx\\x04id")."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n > 1);\n"
    entries = sorted({"": header, **messages}.items())
    ids = b"".join(key.encode() + b"\0" for key, _ in entries)
    strs = b"".join(value.encode() + b"\0" for _, value in entries)
    count = len(entries)
    start = 7 * 4 + 16 * count
    id_table, str_table, offset = [], [], 0
    for key, _ in entries:
        id_table += [len(key.encode()), start + offset]
        offset += len(key.encode()) + 1
    offset = 0
    for _, value in entries:
        str_table += [len(value.encode()), start + len(ids) + offset]
        offset += len(value.encode()) + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
        + struct.pack(f"<{2 * count}I", *id_table)
        + struct.pack(f"<{2 * count}I", *str_table)
        + ids
        + strs
    )


@pytest.fixture
def french_catalog(tmp_path):
    write_mo(
        tmp_path / "fr" / "LC_MESSAGES" / "django.mo",
        {
            "the language of this translation\x04English": "Français",
            "Issued on": "Délivré le",
            "Verify a badge": "Vérifier un badge",
        },
    )
    with override_settings(LOCALE_PATHS=[str(tmp_path), *settings.LOCALE_PATHS]):
        yield


def badge_page(client, badge, language):
    url = reverse("credplugin:badge-page", args=[badge.uuid])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def test_an_untranslated_language_gets_an_english_page_labelled_english(client, earn):
    response = badge_page(client, earn(), "fr")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert response["Content-Language"] == "en"
    assert "Issued on" in html
    assert "janvier" not in html and "janv." not in html  # the dates are English too


def test_a_translated_language_is_shown_and_labelled_with_local_dates(client, earn, french_catalog):
    response = badge_page(client, earn(), "fr-CA,fr;q=0.9")
    html = response.content.decode()
    assert '<html lang="fr' in html
    assert response["Content-Language"].startswith("fr")
    assert "Délivré le" in html and "Vérifier un badge" in html
    assert any(
        month in html
        for month in (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        )
    )


def test_shown_language_reads_regional_variants_through_their_base_language(french_catalog):
    assert shown_language("fr-ca") == "fr-ca"
    assert shown_language("fr") == "fr"
    assert shown_language("de") == "en"
    assert shown_language("en-gb") == "en-gb"
    assert shown_language("") == "en"


@pytest.mark.parametrize("name", ["credplugin:my-badges", "credplugin:verify-page"])
def test_every_page_says_the_language_it_shows(client, earn, name):
    client.force_login(earn().user)
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en"' in response.content.decode()


def test_the_english_source_catalog_is_shipped_with_the_page_strings():
    source = SOURCE_CATALOG.read_text(encoding="utf-8")
    for msgid in ("Verify a badge", "Copy link", "Embed this badge on a website", "My badges"):
        assert f'msgid "{msgid}"' in source
    assert 'msgctxt "the language of this translation"' in source
    assert (Path(LOCALE_DIR) / "config.yaml").exists()


def test_the_catalogs_are_on_the_locale_path():
    assert LOCALE_DIR in settings.LOCALE_PATHS
