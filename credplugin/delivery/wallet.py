"""Add to wallet: VC-API exchanges that deliver a learner's badge to their wallet's DID.

A learner opens an exchange for one of their active badges; the wallet dereferences the
interaction URL (``?iuv=1``) to find the exchange, asks for it with an empty POST and receives
a DID Authentication request (challenge, domain); it answers with a presentation signed by its
DID; the badge comes back bound to that DID (``credentialSubject.id``), freshly signed and
verified. An exchange lives ``CREDPLUGIN_WALLET_EXCHANGE_SECONDS`` and delivers once. Whatever
a wallet sends that fails a check changes nothing.
"""

import json
import secrets
from datetime import timedelta
from urllib.parse import quote, urlencode, urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _

from credplugin.conf import credplugin_settings
from credplugin.exceptions import CredPluginError, NotFound
from credplugin.issuer import identity, keys
from credplugin.issuing.issuance import resolve_for_verification
from credplugin.models import IssuedBadge, WalletExchange
from credplugin.openbadges.presentation import (
    PresentationError,
    delivery_presentation,
    did_authentication_request,
    holder_bound_credential,
    verify_did_authentication,
)
from credplugin.openbadges.proof import sign_credential
from credplugin.openbadges.verify import verify_credential

LCW_REQUEST_URL = "https://lcw.app/request"
LCW_LEGACY_SCHEME = "dccrequest://request"


class ExchangeRefused(CredPluginError):
    """The wallet's message cannot complete the exchange.

    Attributes:
        status (int): the HTTP status that says why (400 malformed, 404 unknown, 410 used up
            or expired, 409 the badge can no longer be delivered).
    """

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def lifetime():
    return timedelta(seconds=credplugin_settings.WALLET_EXCHANGE_SECONDS)


def open_exchange(user, badge_uuid):
    """Open an exchange for ``user``'s badge ``badge_uuid``; expired ones of theirs are dropped.

    Raises:
        NotFound: the user has no badge with that uuid.
        ExchangeRefused: the badge is revoked, suspended or expired (status 409).
    """
    badge = IssuedBadge.objects.filter(uuid=badge_uuid, user=user).first()
    if badge is None:
        raise NotFound(_("You have no badge with this address."))
    _check_deliverable(badge)
    now = timezone.now()
    WalletExchange.objects.filter(user=user, expires_at__lte=now).delete()
    return WalletExchange.objects.create(
        exchange_id=secrets.token_urlsafe(32),
        challenge=secrets.token_urlsafe(32),
        user=user,
        badge=badge,
        created=now,
        expires_at=now + lifetime(),
    )


def _check_deliverable(badge, now=None):
    now = now or timezone.now()
    if badge.status != IssuedBadge.Status.ACTIVE:
        raise ExchangeRefused(_("This badge is %(status)s.") % {"status": badge.status}, 409)
    if badge.valid_until is not None and badge.valid_until <= now:
        raise ExchangeRefused(_("This badge has expired."), 409)


def exchange_url(exchange):
    return identity.public_url("wallet-exchange", exchange_id=exchange.exchange_id)


def interaction_url(exchange):
    """The URL the QR code carries: dereferenced with ``Accept: application/json`` it names the
    VC-API exchange under ``protocols.vcapi``."""
    return identity.public_url("wallet-interaction", exchange_id=exchange.exchange_id) + "?iuv=1"


def protocols(exchange):
    return {"vcapi": exchange_url(exchange)}


def site_domain():
    """The ``domain`` a wallet's proof must name: this site's host (and port)."""
    return urlsplit(credplugin_settings.lms_root_url).netloc


def wallet_links(exchange):
    """The deep links that open the exchange in the DCC Learner Credential Wallet: the current
    ``request`` form and the legacy ``dccrequest://`` form older releases read."""
    request = {"credentialRequestOrigin": credplugin_settings.lms_root_url}
    request["protocols"] = protocols(exchange)
    legacy = urlencode(
        {
            "issuer": site_domain(),
            "auth_type": "bearer",
            "challenge": exchange.challenge,
            "vc_request_url": exchange_url(exchange),
        },
        quote_via=quote,
    )
    return {
        "lcw_url": f"{LCW_REQUEST_URL}?request={quote(json.dumps(request, separators=(',', ':')))}",
        "legacy_url": f"{LCW_LEGACY_SCHEME}?{legacy}",
    }


def find_open_exchange(exchange_id, now=None):
    """The exchange ``exchange_id`` if a wallet may still use it.

    Raises:
        ExchangeRefused: unknown (404), used up or expired (410).
    """
    now = now or timezone.now()
    exchange = (
        WalletExchange.objects.select_related("badge", "badge__badge_class")
        .filter(exchange_id=exchange_id)
        .first()
    )
    if exchange is None:
        raise ExchangeRefused(_("There is no such exchange."), 404)
    if exchange.completed_at is not None:
        raise ExchangeRefused(_("This exchange has already been used."), 410)
    if exchange.expires_at <= now:
        raise ExchangeRefused(_("This exchange has expired."), 410)
    return exchange


def step(exchange_id, message):
    """One wallet message to the exchange; returns the JSON answer.

    ``{}`` asks what the exchange needs: the DID Authentication request. A message with a
    ``verifiablePresentation`` answers it: the badge comes back bound to the holder.

    Raises:
        ExchangeRefused: with the status and reason to answer.
    """
    now = timezone.now()
    exchange = find_open_exchange(exchange_id, now)
    if not isinstance(message, dict) or set(message) - {"verifiablePresentation"}:
        raise ExchangeRefused(_('Send {} or {"verifiablePresentation": …}.'))
    if "verifiablePresentation" not in message:
        request = did_authentication_request(
            challenge=exchange.challenge, domain=site_domain(), exchange_url=exchange_url(exchange)
        )
        return {"verifiablePresentationRequest": request}
    try:
        holder = verify_did_authentication(
            message["verifiablePresentation"],
            challenge=exchange.challenge,
            domain=site_domain(),
            now=now,
            max_age=lifetime(),
        )
    except PresentationError as error:
        raise ExchangeRefused(str(error)) from error
    _check_deliverable(exchange.badge, now)
    credential = bound_credential(exchange.badge, holder, now)
    claimed = WalletExchange.objects.filter(
        pk=exchange.pk, completed_at__isnull=True, expires_at__gt=now
    ).update(completed_at=now, holder_did=holder)
    if not claimed:
        raise ExchangeRefused(_("This exchange has already been used."), 410)
    return {"verifiablePresentation": delivery_presentation([credential])}


def bound_credential(badge, holder, now):
    """``badge``'s credential with ``holder`` as subject id, signed now and verified.

    Raises:
        ExchangeRefused: no signing key, or a re-signed credential that does not verify (409).
    """
    issuer = identity.issuer_did()
    try:
        _, signing_key = keys.active_signing_key(issuer)
    except keys.KeyUnavailable as error:
        raise ExchangeRefused(_("The issuer cannot sign right now."), 503) from error
    signed = sign_credential(
        holder_bound_credential(badge.credential, holder), signing_key, created=now
    )
    report = verify_credential(signed, resolve=resolve_for_verification, now=now)
    if not report.verified:
        failed = "; ".join(f"{c.name}: {c.reason}" for c in report.checks if not c.passed)
        raise ExchangeRefused(_("The badge cannot be delivered: %(why)s") % {"why": failed}, 409)
    return signed
