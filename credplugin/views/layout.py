"""What every page's template needs: the base template, the site's name, and its language.

A page is shown in the visitor's language only when credplugin is translated into it;
otherwise it is shown, dates and numbers included, in English, the source language, and says
so in ``lang`` and ``Content-Language``: a French browser must not get an English page
labelled ``fr``.
"""

from functools import wraps

from django.utils import translation
from django.utils.translation import pgettext

from credplugin.compat import main_template_name
from credplugin.conf import credplugin_settings

SOURCE_LANGUAGE = "en"
_PROBE = "English"


def _catalog_language_name():
    # Translators: the name of your language in your language ("Français"). Pages are shown in
    # your language only once this is translated, so translate it last.
    return pgettext("the language of this translation", "English")


def page_context(**values):
    """The page's own ``values`` plus the layout: the LMS's main template when present."""
    return {
        "base_template": main_template_name(),
        "site_name": credplugin_settings.issuer_name,
        **values,
    }


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


def in_shown_language(view):
    """Render ``view`` in :func:`shown_language` of the active language, and say which."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = shown_language(translation.get_language())
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response.headers["Content-Language"] = language
        return response

    return wrapped
