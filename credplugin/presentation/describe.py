"""Turn a signed Open Badges 3.0 credential and its verification report into page content.

Everything a badge page shows about the achievement is read from the credential itself, the
document a verifier checks, so the page can never claim more than the signature covers. The
database adds only what the learner decides: whether their name is shown.
"""

import base64
import functools
from datetime import datetime
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import ngettext

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _single(value):
    """A one-element array is the same JSON-LD as its element; read it as the element."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _text(value):
    """OB 3.0 allows language maps for some strings; show the first value of one."""
    if isinstance(value, dict):
        return str(value.get("@value") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _datetime(value):
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _web_url(value):
    """``value`` if it is an http(s) URL; anything else (``javascript:``, ``data:``) is dropped."""
    if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
        return value
    return ""


def _alignment(entry):
    return {
        "name": _text(entry.get("targetName")),
        "framework": _text(entry.get("targetFramework")),
        "code": _text(entry.get("targetCode")),
        "url": _web_url(entry.get("targetUrl")),
    }


def _points(level):
    try:
        return float(_single(level.get("points")))
    except (TypeError, ValueError):
        return None


def _scale(levels):
    """Level ids from lowest to highest: by points when every level has them, else as listed."""
    ordered = list(levels.values())
    if ordered and all(_points(level) is not None for level in ordered):
        ordered.sort(key=_points)
    return [str(level.get("id")) for level in ordered]


def _competencies(achievement, subject):
    """Each rubric criterion with the level the learner reached (matched by result id) and
    its place on the criterion's scale. Raw scores (``RawScore`` results, such as points)
    are not competencies and are left out."""
    achieved = {}
    for result in _as_list(subject.get("result")):
        described = _single(result.get("resultDescription")) if isinstance(result, dict) else None
        if isinstance(described, str):
            achieved[described] = result
    competencies = []
    for description in _as_list(achievement.get("resultDescription")):
        if (
            not isinstance(description, dict)
            or _single(description.get("resultType")) == "RawScore"
        ):
            continue
        levels = {
            str(level.get("id")): level
            for level in _as_list(description.get("rubricCriterionLevel"))
            if isinstance(level, dict)
        }
        result = achieved.get(str(description.get("id")), {})
        reached = levels.get(str(_single(result.get("achievedLevel"))), {})
        required = levels.get(str(_single(description.get("requiredLevel"))), {})
        scale = _scale(levels)
        competencies.append(
            {
                "name": _text(description.get("name")),
                "level": _text(reached.get("name")) or _text(result.get("value")),
                "level_description": _text(reached.get("description")),
                "level_rank": _rank(scale, reached),
                "required_level": _text(required.get("name")),
                "required_rank": _rank(scale, required),
                "scale_size": len(scale),
                "alignments": [
                    _alignment(entry)
                    for entry in _as_list(description.get("alignment"))
                    if isinstance(entry, dict)
                ],
            }
        )
    return competencies


def _rank(scale, level):
    """1-based place of ``level`` on ``scale``, or ``None``."""
    level_id = str(level.get("id"))
    return scale.index(level_id) + 1 if level and level_id in scale else None


def _evidence_entries(credential):
    return [entry for entry in _as_list(credential.get("evidence")) if isinstance(entry, dict)]


def _evidence(credential):
    """What the learner produced: evidence entries that describe an artifact, not a method."""
    return [
        {
            "name": _text(entry.get("name")),
            "description": _text(entry.get("description")),
            "genre": _text(entry.get("genre")),
            "url": _web_url(entry.get("id")),
        }
        for entry in _evidence_entries(credential)
        if not entry.get("narrative")
    ]


def _assessment_methods(credential):
    """How the learner was assessed, one entry per assessment with its methods.

    The composer writes each method as evidence with a narrative (what the method is) named
    after the assessment it applied to; grouping by that name says each title once.
    """
    assessments = {}
    for entry in _evidence_entries(credential):
        if entry.get("narrative"):
            methods = assessments.setdefault(_text(entry.get("name")), [])
            method = _text(entry.get("narrative"))
            if method not in methods:
                methods.append(method)
    return [{"name": name, "methods": methods} for name, methods in assessments.items()]


def hours_text(value):
    """``15`` → "15 hours", ``7.5`` → "7.5 hours" (decimal sign of the active language)."""
    try:
        hours = float(value)
    except (TypeError, ValueError):
        return ""
    if hours <= 0:
        return ""
    whole = hours.is_integer()
    shown = number_format(int(hours) if whole else round(hours, 2), use_l10n=True)
    # Plural rules take whole numbers; a fraction reads as plural in the languages we ship.
    return ngettext("%(hours)s hour", "%(hours)s hours", int(hours) if whole else 2) % {
        "hours": shown
    }


def _object(value):
    """A JSON object, or the first object of a list; anything else reads as empty."""
    for candidate in _as_list(value):
        if isinstance(candidate, dict):
            return candidate
    return {}


def describe_credential(credential):
    """The facts a badge page shows, read from the signed credential.

    Missing or malformed parts read as empty: whether the document is trustworthy is the
    verifier's verdict, shown beside these facts, not this function's to decide.
    """
    subject = _object(credential.get("credentialSubject"))
    achievement = _object(subject.get("achievement"))
    issuer = credential.get("issuer")
    issuer = {"id": issuer} if isinstance(issuer, str) else _object(issuer)
    image = achievement.get("image")
    image = {"id": image} if isinstance(image, str) else _object(image)
    return {
        "id": _text(credential.get("id")),
        "name": _text(achievement.get("name") or credential.get("name")),
        "description": _text(achievement.get("description")),
        "criteria": _text(_object(achievement.get("criteria")).get("narrative")),
        "achievement_type": _text(achievement.get("achievementType")),
        "image_url": _web_url(image.get("id")),
        "issuer_id": _text(issuer.get("id")),
        "issuer_name": _text(issuer.get("name")),
        "issuer_url": _web_url(issuer.get("url")),
        "hours": hours_text(subject.get("creditsEarned") or achievement.get("creditsAvailable")),
        "alignments": [
            _alignment(entry)
            for entry in _as_list(achievement.get("alignment"))
            if isinstance(entry, dict)
        ],
        "competencies": _competencies(achievement, subject),
        "assessment_methods": _assessment_methods(credential),
        "evidence": _evidence(credential),
        "valid_from": _datetime(credential.get("validFrom")),
        "valid_until": _datetime(credential.get("validUntil")),
    }


def linkedin_add_to_profile_url(*, name, organization, issued, expires, cert_url, cert_id):
    """LinkedIn's documented "add certification to profile" link, filled in for one badge."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organization,
    }
    if isinstance(issued, datetime):
        params.update(issueYear=issued.year, issueMonth=issued.month)
    if isinstance(expires, datetime):
        params.update(expirationYear=expires.year, expirationMonth=expires.month)
    params.update(certUrl=cert_url, certId=cert_id)
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params)}"


def linkedin_url_for_badge(badge, facts, page_url):
    """The add-to-profile link of an issued badge, from its credential's ``facts``
    (:func:`describe_credential`); the badge's own dates and uuid fill what the credential lacks.
    """
    return linkedin_add_to_profile_url(
        name=facts["name"],
        organization=facts["issuer_name"],
        issued=facts["valid_from"] or badge.issued_at,
        expires=facts["valid_until"],
        cert_url=page_url,
        cert_id=facts["id"] or str(badge.uuid),
    )


@functools.lru_cache(maxsize=512)
def qr_code_data_uri(url):
    """A QR code of ``url`` as an SVG data URI for an ``<img>`` (so it can carry alt text).

    Vector output needs no imaging library; the filled variant paints a white quiet zone so the
    code scans on dark backgrounds too. Drawing one takes ~20 ms in pure Python and a badge's
    URL never changes, so codes are kept per process.
    """
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    encoded = base64.b64encode(image.to_string()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
