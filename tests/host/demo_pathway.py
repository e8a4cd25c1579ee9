"""``make demo``'s pathway: a second small course whose badge, with the first course's, earns a
pathway badge; then the learner's whole record as a signed CLR 2.0.

The second course has one ethics assessment (its block's settings registered through
``credplugin.api`` as a publish does; the mentor's grade recorded as the block records it). The
pathway is authored as staff author it in the admin or the REST API
(``credplugin.stacking.pathways.save_pathway``). Passing the second course makes the worker issue
its badge, and that badge completes the pathway, whose badge the worker issues through the same
outbox. The demo writes ``pathway-credential.json`` and ``clr.json`` (the learner's record as
they download it from "My badges") and verifies both through the public verify API.
"""

import json

from tests.host.demo_course import DemoFailure, send_course_passing_event
from tests.host.demo_outcomes import judge

SECOND_COURSE = "course-v1:credplugin+EthicsFoundations+2026"
SECOND_SLUG = "ai-ethics-foundations"
PATHWAY_SLUG = "ai-champion"


def second_course_values():
    """The second course's one block: the ethics case alone, for a badge of its own."""
    from xblocks.assessment import demo as block_samples  # noqa: PLC0415

    values = block_samples.ethics_values(slug=SECOND_SLUG)
    values.update(
        display_name="AI ethics foundations: the case of an AI hiring screen",
        project_enabled=False,
        self_assessment_enabled=False,
        ethics_enabled=True,
        pass_rule={"all_criteria_met": True},
    )
    values["badge"].update(
        name="AI Ethics Foundations",
        description="Judges the ethical impact of an AI system: bias, harms and mitigation.",
        hours=4,
    )
    return values


def author_pathway(first_badge_class):
    """Register the second course's block and the pathway requiring both course badges."""
    from opaque_keys.edx.keys import CourseKey  # noqa: PLC0415

    from credplugin import api  # noqa: PLC0415
    from credplugin.models import BadgeRequirement  # noqa: PLC0415
    from credplugin.stacking import pathways  # noqa: PLC0415
    from xblocks.assessment.authoring import requirement_for_api  # noqa: PLC0415

    usage_key = CourseKey.from_string(SECOND_COURSE).make_usage_key(
        "credplugin_assessment", "ethics-foundations"
    )
    registered = api.register_badge_requirement(
        course_key=SECOND_COURSE,
        usage_key=str(usage_key),
        **requirement_for_api(second_course_values()),
    )
    requirement = BadgeRequirement.objects.select_related("badge_class", "rubric").get(
        badge_class__uuid=registered["badge_uuid"]
    )
    pathway = pathways.save_pathway(
        badge={
            "slug": PATHWAY_SLUG,
            "name": "AI Champion",
            "description": (
                "Earned with both Responsible ML Practitioner and AI Ethics Foundations: "
                "builds models and judges their impact."
            ),
            "criteria_narrative": "Earn both component badges, in any order.",
            "achievement_type": "Certificate",
        },
        course_key=str(first_badge_class.course_key),
        components=[str(first_badge_class.uuid), str(requirement.badge_class.uuid)],
    )
    return requirement, pathway


def complete_second_course(requirement, learner):
    """The mentor's passing grade on the second course's block, then its course-passing event."""
    from credplugin import api  # noqa: PLC0415

    judge(api, requirement, learner, requirement.rubric.definition["criteria"], 0, passed=True)
    send_course_passing_event(learner, requirement.badge_class.course_key)


def write_pathway_and_record(client, badge, learner, summary, *, settings, verify):
    """Write the pathway credential and the learner's signed CLR, each verified by the public
    verify API; returns their reports, also added to the summary."""
    from credplugin.stacking.record import learner_record  # noqa: PLC0415

    out = settings.demo_dir
    pathway_report = verify(client, badge.credential)
    (out / "pathway-credential.json").write_text(json.dumps(badge.credential, indent=2))
    record = learner_record(learner.id)
    (out / "clr.json").write_text(json.dumps(record, indent=2))
    record_report = verify(client, record)
    summary["files"].update(
        pathway_credential=str(out / "pathway-credential.json"), clr=str(out / "clr.json")
    )
    summary["pathway_verification"] = pathway_report
    summary["clr_verification"] = record_report
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    if pathway_report["verdict"] != "verified":
        raise DemoFailure(f"the pathway badge did not verify: {pathway_report['explanation']}")
    failing = [
        verdict["explanation"] for verdict in record_report["badges"] if not verdict["verified"]
    ]
    if not record_report["record"]["verified"] or failing:
        raise DemoFailure(f"the learner record did not verify: {record_report}")
    names = [
        credential["credentialSubject"]["achievement"]["name"]
        for credential in record["credentialSubject"]["verifiableCredential"]
    ]
    print(f"      the record holds {len(names)} verified badges: {', '.join(names)}", flush=True)
    return pathway_report, record_report
