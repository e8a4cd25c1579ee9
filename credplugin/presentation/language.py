"""Which language a page or an e-mail is shown in: the one asked for when credplugin is
translated into it, otherwise English, the source language. Whatever is shown declares the
language it is really in (``lang``, ``Content-Language``), never merely the one asked for.
"""

from django.utils import translation
from django.utils.translation import pgettext

SOURCE_LANGUAGE = "en"
_PROBE = "English"


def _catalog_language_name():
    # Translators: the name of your language in your language ("Français"). Pages are shown in
    # your language only once this is translated, so translate it last.
    return pgettext("the language of this translation", "English")


def shown_language(requested):
    """``requested`` if credplugin's catalogs translate it, else the source language.

    A regional variant counts as translated through its base language (``fr-ca`` reads the
    ``fr`` catalog), as Django's own fallback does.
    """
    if not requested or requested.split("-")[0] == SOURCE_LANGUAGE:
        return requested or SOURCE_LANGUAGE
    with translation.override(requested):
        translated = _catalog_language_name() != _PROBE
    return requested if translated else SOURCE_LANGUAGE
