"""The one door to credplugin, opened on first use.

``credplugin.api`` loads Django models; the XBlock class itself must import without a
configured Django (entry-point scans, ``xblock`` tooling), so handlers call :func:`api` instead
of importing it at module level.
"""


def api():
    from credplugin import api as credplugin_api  # noqa: PLC0415  (see module docstring)

    return credplugin_api
