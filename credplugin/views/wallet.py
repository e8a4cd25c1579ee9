"""Add to wallet over HTTP: the learner's button, the interaction URL and the VC-API exchange.

Trust boundary: opening an exchange needs the learner's session and one of their own badges;
the interaction URL and the exchange endpoint are public and answer only to the unguessable
exchange id, and every byte a wallet sends is parsed here with a size limit and checked by
``credplugin.delivery.wallet`` before anything is stored. Errors are JSON problem details with a
reason.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from credplugin.delivery import wallet
from credplugin.exceptions import NotFound
from credplugin.presentation.describe import qr_code_data_uri
from credplugin.views.caching import never_cache_private
from credplugin.views.layout import page_context

MAX_MESSAGE_BYTES = 64 * 1024
JSON_TYPES = ("application/json", "application/ld+json")


def problem(detail, status):
    """A VC-API error: RFC 9457 problem details naming the reason."""
    body = {"type": "about:blank", "title": _("Exchange refused"), "detail": str(detail)}
    return JsonResponse(body, status=status, content_type="application/problem+json")


@never_cache_private
@login_required
@require_POST
def start_exchange(request, badge_uuid):
    """Open an exchange for one of the learner's badges and show its QR code and wallet links."""
    try:
        exchange = wallet.open_exchange(request.user, badge_uuid)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    except wallet.ExchangeRefused as refused:
        context = page_context(refusal=str(refused))
        return render(request, "credplugin/wallet_exchange.html", context, status=refused.status)
    interaction_url = wallet.interaction_url(exchange)
    context = page_context(
        exchange=exchange,
        badge_name=exchange.badge.badge_class.name,
        interaction_url=interaction_url,
        qr_code=qr_code_data_uri(interaction_url),
        minutes=int(wallet.lifetime().total_seconds() // 60),
        **wallet.wallet_links(exchange),
    )
    return render(request, "credplugin/wallet_exchange.html", context)


@never_cache_private
@require_safe
def interaction(request, exchange_id):
    """The interaction URL (``?iuv=1``): JSON ``protocols`` for a wallet, a page for a browser."""
    try:
        exchange = wallet.find_open_exchange(exchange_id)
    except wallet.ExchangeRefused as refused:
        if _wants_json(request):
            return problem(refused, refused.status)
        context = page_context(refusal=str(refused))
        return render(request, "credplugin/wallet_exchange.html", context, status=refused.status)
    if _wants_json(request):
        return JsonResponse({"protocols": wallet.protocols(exchange)})
    context = page_context(opened_elsewhere=True, **wallet.wallet_links(exchange))
    return render(request, "credplugin/wallet_exchange.html", context)


def _wants_json(request):
    accepted = request.headers.get("Accept", "")
    return any(kind in accepted for kind in JSON_TYPES) and "text/html" not in accepted


@csrf_exempt
@never_cache_private
@require_POST
def exchange(request, exchange_id):
    """The VC-API exchange endpoint a wallet POSTs to (``{}``, then its presentation)."""
    try:
        message = _read_message(request)
        answer = wallet.step(exchange_id, message)
    except wallet.ExchangeRefused as refused:
        return problem(refused, refused.status)
    return JsonResponse(answer)


def _read_message(request):
    """The wallet's JSON message: bounded size, strict JSON, deep nesting refused not crashed.

    Raises:
        ExchangeRefused: too large (413) or not JSON (400).
    """
    declared = request.headers.get("Content-Length") or "0"
    too_large = _("The message is too large (at most %(limit)d bytes).") % {
        "limit": MAX_MESSAGE_BYTES
    }
    if not declared.isdigit() or int(declared) > MAX_MESSAGE_BYTES:
        raise wallet.ExchangeRefused(too_large, 413)
    raw = request.read(MAX_MESSAGE_BYTES + 1)
    if len(raw) > MAX_MESSAGE_BYTES:
        raise wallet.ExchangeRefused(too_large, 413)
    try:
        return json.loads(raw.decode("utf-8") or "{}", parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise wallet.ExchangeRefused(_("The message is not JSON.")) from error


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")
