"""What every page's template needs: the base template, the site's name, and its language.

A page is shown in the visitor's language only when credplugin is translated into it;
otherwise it is shown, dates and numbers included, in English, the source language, and says
so in ``lang`` and ``Content-Language``: a French browser must not get an English page
labelled ``fr``.
"""

from functools import wraps

from django.utils import translation

from credplugin.compat import main_template_name
from credplugin.conf import credplugin_settings
from credplugin.presentation.language import shown_language


def page_context(**values):
    """The page's own ``values`` plus the layout: the LMS's main template when present."""
    return {
        "base_template": main_template_name(),
        "site_name": credplugin_settings.issuer_name,
        **values,
    }


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
