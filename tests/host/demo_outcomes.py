"""``make demo``'s simulated cohort: 48 learners, clearly labelled, for the outcome pages.

Each simulated learner ("Simulated learner 07", ``simulated-07@demo.invalid``) is judged
against the demo badge's rubric and issued the badge by the real pipeline, in a calendar
quarter long enough ago that every figure of it is final; most answer the 30, 90 and 180 day
surveys. The badge's outcomes are then published and its signed statement written to
``var/demo/outcomes.json``. Nothing here is a real person's data.
"""

import logging
from datetime import UTC, datetime, timedelta

from tests.host.demo_course import DemoFailure

COHORT = 48
JOBS = ("none", "new_role", "new_employer", "none", "first_job", "new_role")
PAY = ("same", "up_to_10", "up_to_25", "", "up_to_10", "over_25")


def _at(moment):
    """Run the pipeline as if it were ``moment`` (awards and proofs carry that date)."""
    from unittest import mock  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    return mock.patch.object(timezone, "now", lambda: moment)


def seed_cohort():
    """Issue the simulated cohort's badges and answers; returns the demo badge class."""
    from django.utils import timezone  # noqa: PLC0415

    from credplugin.models import BadgeRequirement  # noqa: PLC0415
    from credplugin.outcomes.statements import quarter_of  # noqa: PLC0415

    requirement = BadgeRequirement.objects.select_related("badge_class", "rubric").first()
    if requirement is None:
        raise DemoFailure("the demo course registered no badge requirement")
    quarter = quarter_of(timezone.now() - timedelta(days=450))
    start = datetime(quarter.year, quarter.month, 2, 9, tzinfo=UTC)
    pipeline_log = logging.getLogger("credplugin")
    level = pipeline_log.level
    pipeline_log.setLevel(logging.WARNING)  # one "issued" line per simulated badge is noise
    try:
        awards = [  # all in one quarter, whose figures are all final
            _learner_judged(requirement, number, start + timedelta(hours=36 * number))
            for number in range(COHORT)
        ]
        for awarded_at, number, learner in sorted(awards, key=lambda award: award[0]):
            _learner_awarded(requirement, number, learner, awarded_at)  # in time order
    finally:
        pipeline_log.setLevel(level)
    return requirement.badge_class


def _learner_judged(requirement, number, judged_at):
    """Judge one simulated learner (a quarter of them revise once); returns
    ``(when they are awarded, number, learner)``."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from credplugin import api  # noqa: PLC0415

    learner = get_user_model().objects.create_user(
        username=f"simulated-{number:02d}",
        email=f"simulated-{number:02d}@demo.invalid",
        first_name="Simulated",
        last_name=f"learner {number:02d}",
    )
    criteria = requirement.rubric.definition["criteria"]
    if number % 4 == 0:
        with _at(judged_at):
            judge(api, requirement, learner, criteria, number, passed=False)
        judged_at += timedelta(days=3)
    with _at(judged_at):
        judge(api, requirement, learner, criteria, number, passed=True)
    return judged_at + timedelta(days=number % 7, hours=1), number, learner


def _learner_awarded(requirement, number, learner, awarded_at):
    """Issue the learner's badge through the real pipeline, dated ``awarded_at``."""
    from credplugin.issuing import issuance  # noqa: PLC0415
    from credplugin.models import CoursePassingRecord, IssuanceRequest  # noqa: PLC0415

    CoursePassingRecord.objects.update_or_create(
        user=learner, course_key=requirement.badge_class.course_key, defaults={"is_passing": True}
    )
    request = IssuanceRequest.objects.create(user=learner, badge_class=requirement.badge_class)
    with _at(awarded_at):
        outcome = issuance.issue_requests([request.pk])
    if outcome.get(request.pk) != issuance.ISSUED:
        request.refresh_from_db()
        raise DemoFailure(f"the simulated cohort's badge was not issued: {request.reason}")
    _answer_surveys(request.issued_badge, number)


def judge(api, requirement, learner, criteria, number, *, passed):
    """Record a mentor's judgement of ``learner`` on the requirement's rubric, as the block
    records it (``number`` varies the levels reached)."""
    levels = []
    for index, criterion in enumerate(criteria):
        by_points = sorted(criterion["levels"], key=lambda level: level["points"])
        required = next(lvl for lvl in by_points if lvl["id"] == criterion["required_level"])
        if not passed and index == 0:
            level = by_points[0]
        else:
            better = [lvl for lvl in by_points if lvl["points"] >= required["points"]]
            level = better[(number + index) % len(better)]
        levels.append(
            {
                "criterion_id": criterion["id"],
                "criterion": criterion.get("name", criterion["id"]),
                "level_id": level["id"],
                "level": level.get("name", level["id"]),
                "points": level["points"],
                "required_level_id": required["id"],
                "met": level["points"] >= required["points"],
            }
        )
    points = sum(level["points"] for level in levels)
    api.record_assessment_result(
        user_id=learner.id,
        course_key=str(requirement.badge_class.course_key),
        usage_key=str(requirement.usage_key),
        rubric_hash=requirement.rubric.content_hash,
        criterion_levels=levels,
        scores={"ethics_scenarios": round(0.5 + (number % 6) / 10, 2)},
        points_earned=points,
        points_possible=sum(max(lvl["points"] for lvl in c["levels"]) for c in criteria),
        passed=passed,
        evidence=[],
        assessment_methods=["project_rubric", "mentor_review"],
        feedback="Simulated judgement for the demo.",
        reviewer_id=None,
    )


def _answer_surveys(badge, number):
    from credplugin.models import SurveyInvitation, SurveyResponse  # noqa: PLC0415

    for turn, offset in enumerate((30, 90, 180)):
        sent_at = badge.issued_at + timedelta(days=offset)
        invitation = SurveyInvitation.objects.create(
            badge=badge, offset_days=offset, status=SurveyInvitation.Status.SENT, sent_at=sent_at
        )
        if (number + turn) % 6 == 5:  # one in six does not answer
            continue
        key = number + turn
        SurveyResponse.objects.create(
            invitation=invitation,
            job_change=JOBS[key % len(JOBS)] if offset > 30 else "none",
            promotion=key % 4 == 1,
            more_responsibility=key % 3 != 0,
            pay_change=PAY[key % len(PAY)],
            applies_competencies=(key % 4) + 1,
            consent=number % 9 != 8,
            submitted_at=sent_at + timedelta(days=2),
            updated_at=sent_at + timedelta(days=2),
        )


def publish_outcomes(client, badge_class, out_dir, root_url):
    """Publish the badge's outcomes, save the signed statement; returns its summary entry."""
    import json  # noqa: PLC0415

    from django.urls import reverse  # noqa: PLC0415

    from credplugin.models import OutcomePlan  # noqa: PLC0415
    from credplugin.outcomes.statements import verify_statement  # noqa: PLC0415

    OutcomePlan.objects.update_or_create(badge_class=badge_class, defaults={"published": True})
    kwargs = {"badge_class_uuid": badge_class.uuid}
    response = client.get(reverse("credplugin:outcomes-statement", kwargs=kwargs))
    if response.status_code != 200:
        raise DemoFailure(f"the outcome statement answered {response.status_code}")
    statement = response.json()
    verified, reasons = verify_statement(statement)
    if not verified:
        raise DemoFailure(f"the outcome statement did not verify: {reasons}")
    path = out_dir / "outcomes.json"
    path.write_text(json.dumps(statement, indent=2, ensure_ascii=False))
    return {
        "outcomes_url": root_url + reverse("credplugin:outcomes-page", kwargs=kwargs),
        "outcomes_statement": str(path),
        "outcomes_periods": len(statement["credentialSubject"]["dataSetTimePeriod"]),
    }
