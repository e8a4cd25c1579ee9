"""Compose the unsigned OB 3.0 credential of a pathway badge.

The evidence is the component badges the learner holds that complete the pathway — each by its
credential id, with its public page — and the achievement carries the union of their
competency alignments (read from their signed credentials) besides the pathway's own, with the
``achievementType`` the author chose. A pathway badge that assessment blocks also feed carries,
besides, what a badge earned by those blocks carries: their rubric results, scores, evidence and
the competencies their criteria align to. Issuance signs and verifies it like any other badge.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from credplugin.authoring import requirements
from credplugin.exceptions import PermanentIssuanceError
from credplugin.issuer import identity
from credplugin.issuing.composition import alignment_of, credential_json, result_parts
from credplugin.openbadges.achievement import Achievement, Alignment, Criteria, Image
from credplugin.openbadges.credential import (
    AchievementSubject,
    Evidence,
    IdentityObject,
)
from credplugin.stacking import pathways


def composer(badge_class):
    """``compose(request, **slot)`` for a pathway badge class, or None for any other."""
    pathway = pathways.rule_of(badge_class)
    if pathway is None:
        return None

    def compose(request, *, badge_uuid, sequence, index, now):
        return compose_pathway(
            request, pathway, badge_uuid=badge_uuid, sequence=sequence, index=index, now=now
        )

    return compose


def _signed_alignments(credential):
    achievement = (credential.get("credentialSubject") or {}).get("achievement") or {}
    for data in achievement.get("alignment") or []:
        if isinstance(data, dict) and data.get("targetUrl") and data.get("targetName"):
            yield Alignment(
                target_name=data["targetName"],
                target_url=data["targetUrl"],
                target_code=data.get("targetCode"),
                target_framework=data.get("targetFramework"),
                target_description=data.get("targetDescription"),
                target_type=data.get("targetType"),
            )


def _union(groups):
    alignments, seen = [], set()
    for group in groups:
        for alignment in group:
            if alignment is not None and alignment.target_url not in seen:
                seen.add(alignment.target_url)
                alignments.append(alignment)
    return alignments


def compose_pathway(request, pathway, *, badge_uuid, sequence, index, now):
    """The unsigned credential for a pathway ``request``.

    Raises:
        PermanentIssuanceError: the learner no longer holds the components that complete the
            pathway, or has no e-mail address to identify them by.
    """
    state = pathways.still_complete(pathway, request.user_id, now=now)
    if not state.complete:
        raise PermanentIssuanceError("The learner no longer holds the badges this pathway needs.")
    if not request.user.email:
        raise PermanentIssuanceError("The learner has no e-mail address to identify them by.")
    badge_class = pathway.badge_class
    with translation.override(badge_class.language or None):
        descriptions, achieved, block_evidence, judged_at = _block_parts(
            badge_class, request.user_id
        )
        evidence = [
            Evidence(
                id=earned.badge.credential.get("id")
                or identity.badge_credential_url(earned.badge.uuid),
                name=earned.badge.badge_class.name,
                description=identity.badge_page_url(earned.badge.uuid),
                narrative=_("A badge this pathway requires; its public page is {url}.").format(
                    url=identity.badge_page_url(earned.badge.uuid)
                ),
                genre=_("Component badge"),
            )
            for earned in state.counted
        ] + block_evidence
        alignments = _union(
            [
                [alignment_of(data) for data in badge_class.alignments],
                *(_signed_alignments(earned.badge.credential) for earned in state.counted),
                *(description.alignments for description in descriptions),
            ]
        )
        image = Image(badge_class.image_url) if badge_class.image_url else None
        achievement = Achievement(
            id=f"urn:uuid:{badge_class.achievement_uuid}",
            name=badge_class.name,
            description=badge_class.description or badge_class.name,
            criteria=Criteria(narrative=badge_class.criteria_narrative or _criteria(state)),
            achievement_type=badge_class.achievement_type,
            image=image,
            alignments=alignments,
            result_descriptions=descriptions,
            credits_available=float(badge_class.hours) if badge_class.hours is not None else None,
            tags=badge_class.tags,
            in_language=badge_class.language or None,
        )
        subject = AchievementSubject(
            achievement=achievement,
            identifiers=[IdentityObject.for_email(request.user.email)],
            results=achieved,
            activity_end_date=max([earned.badge.issued_at for earned in state.counted] + judged_at),
        )
        return credential_json(
            badge_class, subject, evidence, badge_uuid=badge_uuid, sequence=sequence,
            index=index, now=now,
        )  # fmt: skip


def _block_parts(badge_class, user_id):
    """``(result descriptions, results, evidence, [judged at])`` of the assessment blocks a
    pathway badge class also requires — each block's rubric, scores and evidence, as a badge
    earned by blocks alone carries them, in the language active when called; all empty when it
    requires none.

    Raises:
        PermanentIssuanceError: the learner no longer meets those blocks.
    """
    needed = requirements.active_requirements(badge_class)
    if not needed:
        return [], [], [], []
    results = requirements.latest_results([user_id], [n.usage_key for n in needed])
    met, chosen = requirements.judge(needed, user_id, results)
    if not met:
        raise PermanentIssuanceError("The learner no longer meets every block this badge needs.")
    descriptions, achieved, evidence = [], [], []
    for requirement, result in zip(needed, chosen, strict=True):
        block_descriptions, block_results, block_evidence = result_parts(requirement, result)
        descriptions += block_descriptions
        achieved += block_results
        evidence += block_evidence
    return descriptions, achieved, evidence, [result.created for result in chosen]


def _criteria(state):
    return _("Earn {required} of the {total} badges of this pathway.").format(
        required=state.required, total=state.total
    )
