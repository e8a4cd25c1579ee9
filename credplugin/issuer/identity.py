"""Who issues, and the public addresses badges point at.

The issuer's identifier is ``CREDPLUGIN_ISSUER_DID`` or the ``did:web`` of ``LMS_ROOT_URL``
(``http://127.0.0.1:8000`` → ``did:web:127.0.0.1%3A8000``). Public URLs are the site root plus
the path of a ``credplugin:`` URL name; issued credentials embed them, so they must not change.
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse

from credplugin.conf import credplugin_settings
from credplugin.exceptions import CredPluginError
from credplugin.openbadges.achievement import Image, Profile
from credplugin.openbadges.did import DidError, did_web_from_url

# The documented paths, used only where a URL name is not routed (a host without our URLs).
_FALLBACK_PATHS = {
    "badge-page": "/credplugin/badges/{badge_uuid}/",
    "badge-credential": "/credplugin/badges/{badge_uuid}/credential.json",
    "status-list": "/credplugin/status/{purpose}/{sequence}.json",
    "did-document": "/.well-known/did.json",
    "issuer-profile": "/credplugin/issuer.json",
    "my-badges": "/credplugin/my-badges/",
    "badge-refresh": "/credplugin/badges/{badge_uuid}/refresh",
}


def public_url(name, **kwargs):
    """Absolute URL of ``credplugin:<name>`` on the LMS, for embedding in credentials."""
    template = _path_template(get_urlconf() or settings.ROOT_URLCONF, name, tuple(sorted(kwargs)))
    return credplugin_settings.lms_root_url + template.format(**kwargs)


@functools.lru_cache(maxsize=64)
def _path_template(urlconf, name, kwarg_names):
    """The path of ``name`` with ``{kwarg}`` placeholders, reversed once per URLconf.

    Issuing a batch reverses several URLs per badge; ``reverse`` costs far more than
    formatting, and the shape of a path never changes while the URLconf stays the same.
    """
    samples = {kwarg: _SAMPLES.get(kwarg, f"credplugin-{kwarg}-marker") for kwarg in kwarg_names}
    try:
        path = reverse(f"credplugin:{name}", urlconf=urlconf, kwargs=samples or None)
    except NoReverseMatch:
        return _FALLBACK_PATHS[name]
    for kwarg, sample in samples.items():
        path = path.replace(str(sample), "{" + kwarg + "}")
    return path


# Values the URL patterns accept where a plain marker would not match their converter.
_SAMPLES = {
    "badge_uuid": "00000000-0000-4000-8000-000000000000",
    "badge_class_uuid": "00000000-0000-4000-8000-000000000001",
    "purpose": "revocation",
    "sequence": "987654321",
}


def badge_credential_url(badge_uuid):
    return public_url("badge-credential", badge_uuid=str(badge_uuid))


def badge_page_url(badge_uuid):
    return public_url("badge-page", badge_uuid=str(badge_uuid))


def refresh_service(badge_uuid):
    """The credential's ``refreshService``: where wallets fetch its latest version."""
    url = public_url("badge-refresh", badge_uuid=str(badge_uuid))
    return {"id": url, "type": "1EdTechCredentialRefresh"}


def status_list_url(purpose, sequence):
    return public_url("status-list", purpose=purpose, sequence=str(sequence))


def issuer_did():
    """The DID that signs: set explicitly, or the did:web of the LMS root URL.

    Raises:
        CredPluginError: neither is usable (e.g. an http URL that is not localhost).
    """
    if credplugin_settings.ISSUER_DID:
        return credplugin_settings.ISSUER_DID
    try:
        return did_web_from_url(credplugin_settings.lms_root_url)
    except DidError as error:
        raise CredPluginError(
            f"No issuer DID can be derived from LMS_ROOT_URL: {error}. "
            "Set CREDPLUGIN_ISSUER_DID or an https LMS_ROOT_URL."
        ) from error


def issuer_profile():
    """The OB 3.0 issuer ``Profile`` embedded in every credential."""
    image = credplugin_settings.ISSUER_IMAGE
    return Profile(
        id=issuer_did(),
        name=credplugin_settings.issuer_name,
        url=credplugin_settings.issuer_url or None,
        email=credplugin_settings.ISSUER_EMAIL or None,
        image=Image(image) if image else None,
    )
