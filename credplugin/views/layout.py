"""What every page's template needs: the base template to extend and the site's name."""

from credplugin.compat import main_template_name
from credplugin.conf import credplugin_settings


def page_context(**values):
    """The page's own ``values`` plus the layout: the LMS's main template when present."""
    return {
        "base_template": main_template_name(),
        "site_name": credplugin_settings.issuer_name,
        **values,
    }
