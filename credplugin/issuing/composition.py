"""Compose the unsigned OB 3.0 credential of one award from the database.

What the badge certifies comes from the badge class and its requirements' rubric snapshots
(alignments, one ``ResultDescription`` per rubric criterion with its levels and required level,
one per named score such as the ethics scenarios); what the learner did comes from their latest
assessment results (achieved level per criterion, scores, evidence, assessment methods). The
composer itself is ``credplugin.openbadges``; this module only maps rows onto it.
"""

import calendar
import uuid
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credplugin.authoring import requirements as requirements_module
from credplugin.exceptions import CredPluginError, PermanentIssuanceError
from credplugin.issuer import identity, status_lists
from credplugin.models import AssessmentResult, IssuanceRequest
from credplugin.openbadges.achievement import (
    Achievement,
    Alignment,
    Criteria,
    Image,
    ResultDescription,
    RubricCriterionLevel,
)
from credplugin.openbadges.credential import (
    AchievementCredential,
    AchievementSubject,
    Evidence,
    IdentityObject,
    Result,
)
from credplugin.outcomes import links as outcomes_links


def method_descriptions():
    """What each assessment method means, in the badge's language (evaluated per call)."""
    return {
        "project_rubric": _("A project judged against a published rubric."),
        "mentor_review": _("Reviewed and graded by a mentor or course staff member."),
        "self_assessment": _("The learner assessed their own work against the rubric."),
        "ethics_case_scenarios": _("Ethics case-study scenarios, scored."),
        "ethics_impact_reflection": _("A written reflection on the ethical impact of the work."),
        "peer_review": _(
            "Reviewed by peers against the rubric; each criterion's level is the "
            "median of their levels."
        ),
    }


def judgement_narrative(judgement):
    """Who judged, in the badge's language: e.g. "Median of 3 peer reviews, confirmed by a
    mentor." None for a result without a peer step (the methods already say "mentor")."""
    if not judgement:
        return None
    count = judgement["peer_reviews"]
    narratives = {
        "peer_median": ngettext(
            "Median of {count} peer review.", "Median of {count} peer reviews.", count
        ),
        "peer_confirmed": ngettext(
            "Median of {count} peer review, confirmed by a mentor.",
            "Median of {count} peer reviews, confirmed by a mentor.",
            count,
        ),
        "mentor_after_peers": ngettext(
            "Decided by a mentor after {count} peer review.",
            "Decided by a mentor after {count} peer reviews.",
            count,
        ),
        "mentor_override": _("Decided by a mentor in place of peer review."),
    }
    return narratives[judgement["mode"]].format(count=count)


def add_months(moment, months):
    """``moment`` plus whole calendar months, clamping the day (Jan 31 + 1 → Feb 28/29)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def alignment_of(data):
    """An OB alignment, or None when it has no URL (OB 3.0 requires ``targetUrl``)."""
    if not data or not data.get("url"):
        return None
    return Alignment(
        target_name=data["name"],
        target_url=data["url"],
        target_code=data.get("code") or None,
        target_framework=data.get("framework") or None,
        target_type="ext:Competency" if data.get("framework") else None,
    )


def _criterion_iri(rubric_hash, criterion_id):
    return f"urn:credplugin:rubric:{rubric_hash}:{quote(criterion_id, safe='')}"


def _level_iri(rubric_hash, criterion_id, level_id):
    return f"{_criterion_iri(rubric_hash, criterion_id)}:{quote(level_id, safe='')}"


def _score_iri(usage_key, name):
    return f"urn:credplugin:score:{quote(str(usage_key), safe='')}:{quote(name, safe='')}"


class BatchParts:
    """What the credentials of one badge class's batch share, each built once: the issuer
    profile, each rubric snapshot's result descriptions, the results of each level reached, the
    assessment-method evidence of a requirement, the achievement. Keys name everything a part is
    built from; the language is the badge class's, the same for the whole batch."""

    def __init__(self):
        self._built = {}
        self._serialized = {}

    def get(self, key, build):
        if key not in self._built:
            self._built[key] = build()
        return self._built[key]

    def serialized(self, part):
        """``part`` (one this batch built and shares) with its JSON written once per batch.

        Every credential of the batch then holds that same dict, as issuing only reads a
        credential once composed (signs, verifies, stores it): the achievement with its rubric,
        for one, is three quarters of the typical credential's JSON.
        """
        wrapped = self._serialized.get(id(part))
        if wrapped is None:
            wrapped = self._serialized[id(part)] = _Serialized(part)
        return wrapped


class _Serialized:
    """A shared part whose ``to_json`` answers the JSON written once; its fields read through."""

    __slots__ = ("json", "part")

    def __init__(self, part):
        self.part = part
        self.json = part.to_json()

    def to_json(self):
        return self.json

    def __getattr__(self, name):
        return getattr(self.part, name)


def _rubric_descriptions(snapshot):
    """``(criterion id, its ResultDescription)`` for each criterion of a rubric snapshot."""
    described = []
    for criterion in snapshot.definition["criteria"]:
        competency = alignment_of(criterion.get("competency"))
        described.append(
            (
                criterion["id"],
                ResultDescription(
                    id=_criterion_iri(snapshot.content_hash, criterion["id"]),
                    name=criterion["name"],
                    result_type="RubricCriterionLevel",
                    levels=[
                        RubricCriterionLevel(
                            id=_level_iri(snapshot.content_hash, criterion["id"], level["id"]),
                            name=level["name"],
                            description=level.get("description") or None,
                            points=_number_text(level["points"]),
                        )
                        for level in criterion["levels"]
                    ],
                    required_level=_level_iri(
                        snapshot.content_hash, criterion["id"], criterion["required_level"]
                    ),
                    alignments=[competency] if competency else [],
                ),
            )
        )
    return described


def _rubric_parts(requirement, result, parts):
    """ResultDescriptions for one rubric, and the learner's Results against it."""
    snapshot = result.rubric if result is not None and result.rubric else requirement.rubric
    if snapshot is None:
        return [], []
    described = parts.get(("rubric", snapshot.content_hash), lambda: _rubric_descriptions(snapshot))
    achieved = {level["criterion_id"]: level["level_id"] for level in result.criterion_levels}
    results = [
        parts.get(
            ("result", description.id, achieved[criterion_id]),
            lambda description=description, criterion_id=criterion_id: Result(
                result_description=description.id,
                achieved_level=_level_iri(
                    snapshot.content_hash, criterion_id, achieved[criterion_id]
                ),
                status="Completed",
                alignments=description.alignments,
            ),
        )
        for criterion_id, description in described
        if criterion_id in achieved
    ]
    return [description for _criterion_id, description in described], results


def _number_text(value):
    return str(int(value)) if float(value).is_integer() else str(value)


def _score_parts(result):
    descriptions, results = [], []
    for name, value in sorted(result.scores.items()):
        iri = _score_iri(result.usage_key, name)
        descriptions.append(
            ResultDescription(
                id=iri, name=name.replace("_", " ").capitalize(), result_type="RawScore"
            )
        )
        results.append(Result(result_description=iri, value=_number_text(value)))
    return descriptions, results


def _evidence(result, requirement, parts):
    """``(the learner's own evidence, the method evidence the batch shares)``."""
    items = [
        Evidence(
            id=item.get("url") or None,
            name=item["name"],
            description=item.get("description") or None,
            genre=item.get("genre") or None,
        )
        for item in result.evidence
    ]
    name = requirement.title or str(requirement.usage_key)
    narrative = judgement_narrative(result.judgement)
    if narrative:
        items.append(Evidence(name=name, narrative=narrative, genre=_("Judgement")))
    methods = tuple(result.assessment_methods or requirement.assessment_methods)
    return items, parts.get(("methods", name, methods), lambda: _method_evidence(name, methods))


def _method_evidence(name, methods):
    described = method_descriptions()
    return [
        Evidence(name=name, narrative=described[method], genre=_("Assessment method"))
        for method in methods
    ]


def result_parts(requirement, result):
    """``(result descriptions, results, evidence)`` one judged result adds to a credential.

    ``requirement``: anything with ``rubric``, ``title``, ``usage_key`` and
    ``assessment_methods`` (a badge requirement or a renewal assessment).
    """
    rubric_descriptions, rubric_results = _rubric_parts(requirement, result, BatchParts())
    score_descriptions, score_results = _score_parts(result)
    own_evidence, method_evidence = _evidence(result, requirement, BatchParts())
    return (
        rubric_descriptions + score_descriptions,
        rubric_results + score_results,
        own_evidence + method_evidence,
    )


def compose(request, requirements, results, *, badge_uuid, sequence, index, now, parts=None):
    """The unsigned credential for ``request`` (an ``IssuanceRequest``), as a JSON-LD dict.

    ``requirements``: the badge's active requirements; ``results``: latest results keyed by
    ``(user_id, usage_key)`` (see ``requirements.latest_results``), loaded once per batch;
    ``parts``: the batch's ``BatchParts`` (a badge class's batch shares one).

    Raises:
        PermanentIssuanceError: the learner's results no longer meet the badge, or the learner
            has no e-mail address to identify them by.
    """
    badge_class = request.badge_class
    met, chosen = requirements_module.judge(requirements, request.user_id, results)
    if not met:
        raise PermanentIssuanceError("The learner no longer meets every requirement of this badge.")
    if not request.user.email:
        raise PermanentIssuanceError("The learner has no e-mail address to identify them by.")
    with translation.override(badge_class.language or None):
        return _compose(
            request,
            badge_class,
            list(zip(requirements, chosen, strict=True)),
            badge_uuid=badge_uuid,
            sequence=sequence,
            index=index,
            now=now,
            parts=parts or BatchParts(),
        )


def _compose(request, badge_class, pairs, *, badge_uuid, sequence, index, now, parts):
    """``pairs``: ``(requirement, its latest result)`` for every active requirement."""
    descriptions, achieved, evidence = [], [], []
    for requirement, result in pairs:
        rubric_descriptions, rubric_results = _rubric_parts(requirement, result, parts)
        score_descriptions, score_results = _score_parts(result)
        descriptions += rubric_descriptions + score_descriptions
        achieved += [parts.serialized(shared) for shared in rubric_results] + score_results
        own_evidence, method_evidence = _evidence(result, requirement, parts)
        evidence += own_evidence + [parts.serialized(shared) for shared in method_evidence]
    hours = float(badge_class.hours) if badge_class.hours is not None else None
    achievement = parts.serialized(
        parts.get(
            ("achievement", tuple(description.id for description in descriptions)),
            lambda: _achievement(badge_class, descriptions, hours),
        )
    )
    subject = AchievementSubject(
        achievement=achievement,
        identifiers=[IdentityObject.for_email(request.user.email)],
        results=achieved,
        credits_earned=hours,
        activity_end_date=max(result.created for _requirement, result in pairs),
    )
    return credential_json(
        badge_class, subject, evidence, badge_uuid=badge_uuid, sequence=sequence, index=index,
        now=now, issuer=parts.serialized(parts.get(("issuer",), identity.issuer_profile)),
    )  # fmt: skip


def _achievement(badge_class, descriptions, hours):
    """The badge class's Achievement with these result descriptions."""
    alignments, seen = [], set()
    for data in badge_class.alignments:
        alignment = alignment_of(data)
        if alignment and alignment.target_url not in seen:
            seen.add(alignment.target_url)
            alignments.append(alignment)
    for description in descriptions:
        for alignment in description.alignments:
            if alignment.target_url not in seen:
                seen.add(alignment.target_url)
                alignments.append(alignment)
    image = Image(badge_class.image_url) if badge_class.image_url else None
    outcomes_page = outcomes_links.public_page_url(badge_class.achievement_uuid)
    return Achievement(
        id=f"urn:uuid:{badge_class.achievement_uuid}",
        name=badge_class.name,
        description=badge_class.description or badge_class.name,
        criteria=Criteria(narrative=badge_class.criteria_narrative or badge_class.description),
        achievement_type=badge_class.achievement_type,
        image=image,
        alignments=alignments,
        result_descriptions=descriptions,
        credits_available=hours,
        tags=badge_class.tags,
        in_language=badge_class.language or None,
        related=[outcomes_page] if outcomes_page else [],
    )


def credential_json(  # noqa: PLR0913  (the slot and moment are the award's own)
    badge_class, subject, evidence, *, badge_uuid, sequence, index, now, issuer=None
):
    """The unsigned credential of ``subject`` awarded now, in the badge's status-list slot;
    ``issuer``: the issuer profile, when the caller already built it."""
    valid_until = (
        add_months(now, badge_class.validity_months) if badge_class.validity_months else None
    )
    document = AchievementCredential(
        id=identity.badge_credential_url(badge_uuid),
        issuer=issuer or identity.issuer_profile(),
        subject=subject,
        valid_from=now,
        valid_until=valid_until,
        awarded_date=now,
        evidence=evidence,
        credential_status=status_lists.status_entry(sequence, index),
        image=subject.achievement.image,
    ).to_json()
    if badge_class.renewal_window_days is not None and valid_until is not None:
        document["refreshService"] = identity.refresh_service(badge_uuid)
    return document


PREVIEW_EMAIL = "learner@example.org"


def preview(badge_class, *, now):
    """The unsigned credential of a learner who reached exactly each required level.

    Built from unsaved rows, so nothing is written; the status entry names slot 0.

    Raises:
        CredPluginError: the badge has no active requirement, so nobody can earn it.
    """
    active = requirements_module.active_requirements(badge_class)
    if not active:
        raise CredPluginError("This badge has no active requirement, so nobody can earn it.")
    pairs = []
    for requirement in active:
        definition = requirement.rubric.definition if requirement.rubric else {"criteria": []}
        pairs.append(
            (
                requirement,
                AssessmentResult(
                    usage_key=requirement.usage_key,
                    rubric=requirement.rubric,
                    criterion_levels=[
                        {"criterion_id": c["id"], "level_id": c["required_level"], "met": True}
                        for c in definition["criteria"]
                    ],
                    passed=True,
                    assessment_methods=requirement.assessment_methods,
                    created=now,
                ),
            )
        )
    user = get_user_model()(email=PREVIEW_EMAIL)
    request = IssuanceRequest(badge_class=badge_class, user=user)
    with translation.override(badge_class.language or None):
        return _compose(
            request, badge_class, pairs, badge_uuid=uuid.uuid4(), sequence=1, index=0, now=now,
            parts=BatchParts(),
        )  # fmt: skip
