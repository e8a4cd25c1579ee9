"""Verify any badge: a page to upload or paste one, and ``POST /credplugin/api/v1/verify``.

Both read the submission with ``uploads.read_submitted_badge`` (size-limited, format sniffed)
and verify it with the site's safe resolver, which never fetches a URL a submitted credential
names unless it is this site's own document or an operator-allowed host. Reports describe one
submission, so they are never cached. Submissions are limited per client
(``CREDPLUGIN_VERIFY_RATE_LIMIT``). Of a submitted badge, pages show only what a credential
that is authentic says, read in the form the verifier checked (ADR 0009).
"""

import json

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from credplugin.openbadges.clr import is_clr
from credplugin.presentation.describe import describe_credential
from credplugin.presentation.records import verify_submitted_record
from credplugin.presentation.uploads import (
    BODY,
    FILE,
    PASTE,
    UnreadableBadge,
    max_bytes,
    read_submitted_badge,
    too_large_error,
)
from credplugin.presentation.verdicts import (
    count_verification,
    own_badge,
    verify_submitted_credential,
)
from credplugin.views.caching import never_cache_private
from credplugin.views.layout import page_context
from credplugin.views.throttling import seconds_until_allowed

_MULTIPART_OVERHEAD = 64 * 1024


class VerifyForm(forms.Form):
    """Upload a badge file or paste its JSON; exactly one of the two."""

    badge_file = forms.FileField(
        label=gettext_lazy("Badge file (JSON, PNG or SVG)"), required=False
    )
    credential_text = forms.CharField(
        label=gettext_lazy("Or paste the credential JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("badge_file"), (cleaned.get("credential_text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("Upload a file or paste JSON, not both."))
        if not upload and not text:
            raise forms.ValidationError(_("Upload a badge file or paste its JSON."))
        return cleaned

    def submitted_badge(self):
        """The credential submitted, read as a file or as pasted text."""
        upload = self.cleaned_data.get("badge_file")
        if upload:
            return read_submitted_badge(_read_upload(upload), FILE)
        return read_submitted_badge(self.cleaned_data["credential_text"].encode("utf-8"), PASTE)


def _read_upload(upload):
    if upload.size is not None and upload.size > max_bytes():
        raise too_large_error()
    return upload.read(max_bytes() + 1)


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _submission_from_api_request(request):
    """The submitted bytes: a JSON or image body, or a multipart ``badge`` file or field."""
    if _declared_length(request) > max_bytes() + _MULTIPART_OVERHEAD:
        raise too_large_error()
    content_type = request.content_type or ""
    if content_type.startswith("multipart/form-data"):
        upload = request.FILES.get("badge")
        if upload is not None:
            return _read_upload(upload), FILE
        if "credential" in request.POST:
            return request.POST["credential"].encode("utf-8"), BODY
        raise UnreadableBadge(_("Send the badge as a file field named “badge”."))
    return request.body, BODY


def _report_response(verdict, status=200):
    return JsonResponse(verdict.as_dict(), status=status, json_dumps_params={"indent": 2})


def _rate_limited(wait):
    return _("Too many badges checked from your address. Try again in %(seconds)d seconds.") % {
        "seconds": wait
    }


def _own_badge_page_url(badge):
    """The public page of a badge this site issued, unless its holder has hidden it."""
    if badge is None or badge.hidden:
        return ""
    return reverse("credplugin:badge-page", args=[badge.uuid])


@csrf_exempt
@never_cache_private
@require_POST
def verify_api(request):
    """Verify a posted badge and return the structured report (400/413 on unreadable input).

    CSRF does not apply: the endpoint is anonymous, reads no session and changes nothing.
    """
    wait = seconds_until_allowed(request)
    if wait is not None:
        response = JsonResponse({"error": _rate_limited(wait)}, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        credential = read_submitted_badge(*_submission_from_api_request(request))
    except UnreadableBadge as error:
        return JsonResponse({"error": str(error)}, status=error.status)
    if is_clr(credential):  # a learner record: the record, then each badge inside it
        return JsonResponse(
            verify_submitted_record(credential).as_dict(), json_dumps_params={"indent": 2}
        )
    verdict = verify_submitted_credential(credential)
    count_verification(own_badge(verdict))
    return _report_response(verdict)


@csrf_exempt  # checked by csrf_protect below, so that a CSRF refusal is not cached either
@never_cache_private
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def verify_page(request):
    """The form, and after a submission the report in plain language with every check."""
    context = page_context(max_bytes=max_bytes(), verify_api_url=reverse("credplugin:verify-api"))
    status = 200
    response_headers = {}
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        wait = seconds_until_allowed(request)
        if wait is not None:
            form.is_valid()
            form.add_error(None, _rate_limited(wait))
            status, response_headers = 429, {"Retry-After": str(wait)}
        elif _declared_length(request) > max_bytes() + _MULTIPART_OVERHEAD:
            form.is_valid()
            form.add_error(None, str(too_large_error()))
        elif form.is_valid():
            try:
                credential = form.submitted_badge()
            except UnreadableBadge as error:
                form.add_error(None, str(error))
            else:
                context.update(_report_context(credential))
        if form.errors and status == 200:
            status = 400
    else:
        form = VerifyForm()
    context["form"] = form
    response = render(request, "credplugin/verify_page.html", context, status=status)
    for header, value in response_headers.items():
        response[header] = value
    return response


def _report_context(credential):
    """The verdict, and only if the badge is authentic, what it says, in its signed meaning.

    A learner record gets its own verdict and one for each credential inside it.
    """
    if is_clr(credential):
        return {
            "record": verify_submitted_record(credential),
            "submitted_json": json.dumps(credential, indent=2, ensure_ascii=False),
        }
    verdict = verify_submitted_credential(credential)
    badge = own_badge(verdict)
    count_verification(badge)
    context = {"verdict": verdict}
    if verdict.authentic:
        context.update(
            facts=describe_credential(credential),
            recipient=verdict.report.facts.recipient,
            badge_page_url=_own_badge_page_url(badge),
            submitted_json=json.dumps(credential, indent=2, ensure_ascii=False),
        )
    return context
