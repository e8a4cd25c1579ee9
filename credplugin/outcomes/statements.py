"""Published outcomes: frozen figures per calendar quarter, and the signed outcome statement.

The published unit is a calendar quarter of awards (the cohort who earned in it), never a
range a visitor chooses, and quarters never overlap. A quarter's figures are computed once,
when its data is final, and kept (``OutcomeSnapshot``):

- the programme figures ``PROGRAMME_SETTLE_DAYS`` after the quarter ends (its enrollees have
  had that long to finish; later revocations do not change a published figure);
- the answers to the survey of offset ``d`` once every earner of the quarter could have been
  invited and could have answered and edited: ``d + CREDPLUGIN_SURVEY_SEND_WITHIN_DAYS +
  CREDPLUGIN_SURVEY_EDIT_DAYS`` days after the quarter ends.

So published figures only ever appear, never change, and no two of them cover overlapping
people: differencing learns nothing. A statement is these figures, suppressed
(``privacy.py``), as a W3C verifiable credential signed with the issuer's key
(eddsa-rdfc-2022); its terms are Credential Engine CTDL where CTDL has one
(``ceterms:AggregateDataProfile``, ``qdata:DataSetTimeFrame``, ``ceterms:startDate`` …) and
issuer-dependent terms of the VC 2.0 context otherwise.
"""

import hashlib
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from credplugin.conf import credplugin_settings
from credplugin.issuer import identity, keys
from credplugin.issuing import issuance
from credplugin.models import BadgeClass, IssuedBadge, IssuerKey, OutcomeSnapshot
from credplugin.openbadges.form import FormError
from credplugin.openbadges.proof import sign_credential
from credplugin.openbadges.verify import verify_credential
from credplugin.outcomes import figures, privacy, rollups, surveys

PROGRAMME = "programme"
PROGRAMME_SETTLE_DAYS = 90
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ISSUER_TERMS = "https://www.w3.org/ns/credentials/issuer-dependent#"
CTDL_CONTEXT = {
    "ceterms": "https://purl.org/ctdl/terms/",
    "qdata": "https://purl.org/ctdl/qdata/",
    "AggregateDataProfile": "ceterms:AggregateDataProfile",
    "DataSetTimeFrame": "qdata:DataSetTimeFrame",
    "dataSetTimePeriod": {"@id": "qdata:dataSetTimePeriod", "@container": "@list"},
    "startDate": "ceterms:startDate",
    "endDate": "ceterms:endDate",
    "numberAwarded": "ceterms:numberAwarded",
    "postReceiptMonths": "ceterms:postReceiptMonths",
    "source": {"@id": "ceterms:source", "@type": "@id"},
    "figures": {"@id": f"{ISSUER_TERMS}figures", "@container": "@list"},
    "counts": {"@id": f"{ISSUER_TERMS}counts", "@container": "@list"},
    **{
        term: f"{ISSUER_TERMS}{term}"
        for term in (
            "OutcomeStatementCredential",
            "minimumCohort",
            "sections",
            "section",
            "measure",
            "n",
            "value",
            "median",
            "p90",
            "category",
            "count",
            "suppressed",
        )
    },
}
STATEMENT_CHECKS = ("proof", "issuer", "proof_purpose", "validity")
STATEMENT_CACHE_SECONDS = 3600


def survey_section(offset_days):
    return f"survey-{offset_days}"


def quarter_of(moment):
    """The first day of the calendar quarter holding ``moment``."""
    return date(moment.year, 3 * ((moment.month - 1) // 3) + 1, 1)


def next_quarter(start):
    month = start.month + 3
    return date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


def _midnight(day):
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def sections(scope):
    """The sections of ``scope`` and how many days after its quarter each becomes final."""
    offsets = set()
    for badge_class in BadgeClass.objects.filter(pk__in=scope.badge_class_ids).select_related(
        "outcome_plan"
    ):
        offsets.update(surveys.survey_days(badge_class))
    after = credplugin_settings.SURVEY_SEND_WITHIN_DAYS + credplugin_settings.SURVEY_EDIT_DAYS
    return {PROGRAMME: PROGRAMME_SETTLE_DAYS} | {
        survey_section(offset): offset + after for offset in sorted(offsets)
    }


def quarters(scope, now):
    """Every quarter from the scope's first award up to the one holding ``now``."""
    first = IssuedBadge.objects.filter(badge_class_id__in=scope.badge_class_ids).aggregate(
        first=Min("issued_at")
    )["first"]
    found = []
    start = quarter_of(first) if first else None
    while start is not None and start <= now.date():
        found.append((start, next_quarter(start)))
        start = next_quarter(start)
    return found


def roll_up(scope, now=None):
    """Compute and keep every section of every quarter that became final; returns how many
    snapshots it added. Concurrent roll-ups keep one snapshot each."""
    now = now or timezone.now()
    kept = set(
        OutcomeSnapshot.objects.filter(scope_key=scope.key).values_list("period_start", "section")
    )
    added = 0
    settling = sections(scope)
    for start, end in quarters(scope, now):
        for section, settle_days in settling.items():
            final_at = _midnight(end) + timedelta(days=settle_days)
            if (start, section) in kept or final_at > now:
                continue
            added += _keep(scope, start, end, section, now)
    return added


def keep_final_quarters(now=None):
    """Beat: keep the quarters that became final of every achievement (all its runs), so that
    no page has to compute them on its first visit; returns how many snapshots it added. An
    achievement with nothing newly final costs a few indexed reads."""
    now = now or timezone.now()
    achievements = (
        BadgeClass.objects.order_by("achievement_uuid")
        .values_list("achievement_uuid", flat=True)
        .distinct()
    )
    return sum(roll_up(figures.Scope.achievement(uuid), now) for uuid in achievements)


def _keep(scope, start, end, section, now):
    if section == PROGRAMME:
        values = _programme(scope, _midnight(start), _midnight(end), now)
    else:
        offset = int(section.removeprefix("survey-"))
        values = figures.survey_figures(scope, _midnight(start), _midnight(end), offset)
    try:
        with transaction.atomic():
            OutcomeSnapshot.objects.create(
                scope_key=scope.key,
                period_start=start,
                period_end=end,
                section=section,
                figures=values,
                computed_at=now,
            )
    except IntegrityError:  # another roll-up kept it first
        return 0
    return 1


def _programme(scope, start, end, now):
    """A quarter's programme figures: from a lone badge class's daily roll-ups (the same
    figures, read in a few rows), computed whole for a scope of several classes."""
    if len(scope.badge_class_ids) == 1:
        badge_class = BadgeClass.objects.get(pk=scope.badge_class_ids[0])
        return rollups.compute(badge_class, start, end, now)
    return figures.compute(scope, start, end, now=now)


def kept_version(scope):
    """What names the scope's kept snapshots as they stand: they only ever appear, so how many
    there are and the newest one's id."""
    kept = OutcomeSnapshot.objects.filter(scope_key=scope.key).aggregate(
        count=Count("id"), newest=Max("id")
    )
    return f"{kept['count']}-{kept['newest']}"


def published(scope):
    """The kept figures, suppressed: ``[{start, end, sections: {section: figures}}]``."""
    k = int(credplugin_settings.OUTCOMES_MIN_COHORT)
    periods = {}
    for snapshot in OutcomeSnapshot.objects.filter(scope_key=scope.key).order_by(
        "period_start", "section"
    ):
        period = periods.setdefault(
            snapshot.period_start,
            {"start": snapshot.period_start, "end": snapshot.period_end, "sections": {}},
        )
        shown = privacy.suppress(snapshot.figures, k, unanimous=snapshot.section == PROGRAMME)
        period["sections"][snapshot.section] = shown
    return list(periods.values())


def statement(badge_class, scope, now=None):
    """The signed outcome statement of ``badge_class`` (all its runs: ``scope``)."""
    now = now or timezone.now()
    did = identity.issuer_did()
    statement_id = identity.public_url("outcomes-statement", badge_class_uuid=str(badge_class.uuid))
    document = {
        "@context": [VC_CONTEXT, CTDL_CONTEXT],
        "id": statement_id,
        "type": ["VerifiableCredential", "OutcomeStatementCredential"],
        "issuer": {"id": did, "name": credplugin_settings.issuer_name},
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": f"Outcomes: {badge_class.name}",
        "credentialSubject": {
            "id": f"urn:uuid:{badge_class.achievement_uuid}",
            "type": "AggregateDataProfile",
            "name": badge_class.name,
            "source": identity.public_url("outcomes-page", badge_class_uuid=str(badge_class.uuid)),
            "minimumCohort": int(credplugin_settings.OUTCOMES_MIN_COHORT),
            "dataSetTimePeriod": [
                _period_json(period, statement_id) for period in published(scope)
            ],
        },
    }
    _, signing_key = keys.active_signing_key(did)
    return sign_credential(document, signing_key, created=now)


def cached_statement(badge_class, scope):
    """``statement``, signed once per version of the scope's kept quarters (they only ever
    appear), signing key, names and cohort threshold, and kept ``STATEMENT_CACHE_SECONDS``:
    signing canonicalizes the whole document, the costliest part of a request, and nothing it
    says changes in between (its ``validFrom`` is when it was signed). The issuer's DID and the
    statement's address are in the key too: a site that moves signs its statements again."""
    active = IssuerKey.objects.filter(active=True).values_list("pk", flat=True).first()
    statement_id = identity.public_url("outcomes-statement", badge_class_uuid=str(badge_class.uuid))
    names = "\n".join(
        (identity.issuer_did(), statement_id, badge_class.name, credplugin_settings.issuer_name)
    )
    key = ":".join(
        (
            "credplugin:outcome-statement",
            scope.key,
            kept_version(scope),
            str(active),
            str(credplugin_settings.OUTCOMES_MIN_COHORT),
            hashlib.sha256(names.encode()).hexdigest()[:16],
        )
    )
    document = cache.get(key)
    if document is None:
        document = statement(badge_class, scope)
        cache.set(key, document, STATEMENT_CACHE_SECONDS)
    return document


def _period_json(period, statement_id):
    """One quarter. Every node gets an id under the statement's: identical anonymous nodes
    (two equal spreads, two blanked cells) would make canonicalization hash them in depth,
    which verifiers bound."""
    period_id = f"{statement_id}#{period['start'].isoformat()}"
    return {
        "id": period_id,
        "type": "DataSetTimeFrame",
        "startDate": period["start"].isoformat(),
        "endDate": (period["end"] - timedelta(days=1)).isoformat(),
        "sections": [
            {
                "id": f"{period_id}/{name}",
                "section": name,
                "figures": _figures_json(values, f"{period_id}/{name}/"),
            }
            for name, values in period["sections"].items()
        ],
    }


def _figures_json(values, base, prefix=""):
    """Figures as a list of objects (JSON-LD keeps lists and objects, not free-form keys)."""
    out = []
    for name, figure in values.items():
        if isinstance(figure, dict) and "n" not in figure and "suppressed" not in figure:
            out.extend(_figures_json(figure, base, prefix=f"{prefix}{name}/"))
            continue
        measure = prefix + name
        entry = {"id": base + quote(measure), "measure": measure}
        for field, value in figure.items():
            if field == "counts":
                entry["counts"] = [
                    {
                        "id": f"{base}{quote(measure)}/{quote(str(key))}",
                        "category": str(key),
                        **({"suppressed": True} if count is None else {"count": count}),
                    }
                    for key, count in value.items()
                ]
            elif value is not None:
                entry[field] = _number(value)
        out.append(entry)
    return out


def _number(value):
    """Whole numbers as integers: JSON cannot tell 8.0 from 8, but JSON-LD types them apart
    (xsd:double, xsd:integer), and a verifier must canonicalize what the signer did."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def check_statement_form(document):
    """The verifier's plain-form check for a statement: exactly the contexts a statement is
    written with (the inline outcome terms are ours, so nothing can be redefined); a statement
    has no status entries."""
    if document.get("@context") != [VC_CONTEXT, CTDL_CONTEXT]:
        raise FormError("@context must be the VC 2.0 context and this site's outcome terms")
    return ()


def verify_statement(document, now=None):
    """Whether ``document`` is a statement signed by a key of this site's issuer, and why
    not: ``(verified, reasons)``. Checks the proof against the issuer's published keys."""
    report = verify_credential(
        document,
        resolve=issuance.resolve_for_verification,
        now=now or timezone.now(),
        form=check_statement_form,
    )
    failed = [
        f"{check.name}: {check.reason}"
        for check in report.checks
        if check.name in STATEMENT_CHECKS and not check.passed
    ]
    if not failed and (document.get("issuer") or {}).get("id") != identity.issuer_did():
        failed.append("issuer: not this site's issuer")
    return not failed, failed
