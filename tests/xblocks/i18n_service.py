"""An i18n service that loads the block's own ``translations/`` catalog, as edx-platform does.

edx-platform's ``XBlockI18nService`` opens ``<block module dir>/translations/<locale>/
LC_MESSAGES/text.mo`` for the active language and falls back to Django's translations. The
workbench only offers Django's, so the i18n tests plug this one in through ``WORKBENCH``.
``LOCALE_DIR`` points at a catalog the test builds.
"""

import contextlib
import gettext

import django.utils.translation
from django.utils.translation import get_language, to_locale

LOCALE_DIR = None


class BlockTranslations:
    def __init__(self):
        self.translator = django.utils.translation
        with contextlib.suppress(OSError):
            self.translator = gettext.translation(
                "text", LOCALE_DIR, [to_locale(get_language() or "en")]
            )

    def __getattr__(self, name):
        return getattr(self.translator, name)
