"""The demo course of ``make demo`` and one learner's journey through it, handler by handler.

Everything goes through the ``credplugin_assessment`` block's own handlers in the XBlock SDK
workbench runtime (``tests.workbench_driver.WorkbenchDriver``): the author's Studio save, the
learner's scenario answers, upload and submission, the mentor's grading from the review queue.
Then the platform's ``COURSE_PASSING_STATUS_UPDATED`` is sent, as the LMS does after a regrade.
Needs Django set up with the host settings (``tests/host/demo.py`` does that).
"""

from datetime import timedelta


class DemoFailure(Exception):
    """A step of the demo could not be completed; the message says why.

    Defined here, not in ``tests/host/demo.py``: that module runs as ``__main__``, and a class
    imported from it under its package name would be a different class.
    """


LEARNER = "learner_ada"  # workbench user ids are Django usernames; "staff…" ids are staff
# The demo learner signs in at /accounts/login/ with this password to open "My badges". The
# demo host listens on 127.0.0.1 only; it is printed by the demo and shown on its home page.
LEARNER_PASSWORD = "ada-demo"
# The demo course's one block, under its own workbench scenario so its page has a real title.
DEMO_SCENARIO = "credplugin_demo_course"
DEMO_SCENARIO_TITLE = "Responsible ML Practitioner — capstone project and ethics case"
AUTHOR = "staff_author"
MENTOR = "staff_mentor"
# The project part of the block, from the XBlock's own sample content.
_PROJECT_FIELDS = (
    "prompt", "brief", "rubric", "text_enabled", "text_min_words", "text_max_words", "max_links",
    "allowed_file_types", "max_file_size_mb", "max_files", "self_assessment_enabled",
)  # fmt: skip
LEARNER_ANSWER = (
    "I cleaned the 20,000 tickets, removed duplicates and split by date so that no ticket from "
    "the test month leaks into training. A logistic regression on TF-IDF features reaches a "
    "macro F1 of 0.81; I report per-queue recall because the billing queue is rare."
)
LEARNER_REFLECTION = (
    "Stakeholders: applicants, recruiters, the hiring committee and the people who never apply "
    "because they expect to be filtered out. Harms: qualified women are shortlisted at 62 % of "
    "the rate of men, a gap that compounds over every hiring round and is hard to reverse for a "
    "rejected applicant who never learns why. The mechanism is proxies: career breaks, colleges "
    "and postcodes encode gender even though gender is not an input. Mitigation now: remove the "
    "proxy features, re-weight the training data and have a recruiter review every rejection "
    "near the threshold. Later: retrain on outcomes rather than past decisions. Monitoring: the "
    "selection-rate ratio per group every month, owned by the committee, with a stop rule below "
    "0.8 and an appeal route for applicants."
)


def demo_block_values():
    """The demo course's one assessment block: the ethics case plus the sample project."""
    from xblocks.assessment import demo as block_samples  # noqa: PLC0415

    values = block_samples.ethics_values(slug="responsible-ml-practitioner")
    for name in _PROJECT_FIELDS:
        values[name] = block_samples.PROJECT_VALUES[name]
    values.update(
        display_name="Capstone: a text classifier, and the ethics of an AI hiring screen",
        project_enabled=True,
        ethics_enabled=True,
        reflection_min_words=80,
        pass_rule={"all_criteria_met": True, "min_rubric_percent": 50, "min_scenario_percent": 80},
    )
    values["badge"].update(
        name="Responsible ML Practitioner",
        description=(
            "Builds and honestly evaluates a machine-learning model, and judges the ethical "
            "impact of an AI system: bias, harms, mitigation and monitoring."
        ),
        hours=15,
    )
    return values


def _handler_ok(handler, status, answer):
    if status != 200:
        raise DemoFailure(f"the block's {handler} handler answered {status}: {answer}")
    return answer


def demo_scenario():
    """The workbench scenario of the demo course's block, added once per process."""
    from workbench.scenarios import add_xml_scenario, get_scenarios  # noqa: PLC0415

    scenarios = get_scenarios()
    if DEMO_SCENARIO not in scenarios:
        add_xml_scenario(
            DEMO_SCENARIO,
            DEMO_SCENARIO_TITLE,
            '<credplugin_assessment display_name="Capstone: a text classifier, and the ethics '
            'of an AI hiring screen"/>',
        )
    return scenarios[DEMO_SCENARIO]


def author_course():
    """Save the demo block through its Studio handler, as an author's Save click does."""
    from tests.workbench_driver import WorkbenchDriver  # noqa: PLC0415

    scenario_id, scenario = DEMO_SCENARIO, demo_scenario()
    driver = WorkbenchDriver(scenario.usage_id)
    values = demo_block_values()
    _handler_ok("studio_submit", *driver.author(values, user=AUTHOR))
    # The workbench has no drafts: the block's first view in the LMS registers the badge
    # requirement (credplugin's safety net for settings nobody published).
    driver.render(AUTHOR)
    return {"driver": driver, "values": values, "scenario_id": scenario_id}


def complete_course(course):
    """The learner works through the block's handlers; a mentor grades from the review queue.

    Returns the learner (a Django user) after firing the course-passing event the LMS would
    send once the grade is in.
    """
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    driver, values = course["driver"], course["values"]
    learner, _created = get_user_model().objects.get_or_create(
        username=LEARNER,
        defaults={"email": "ada@example.org", "first_name": "Ada", "last_name": "Lovelace"},
    )
    learner.set_password(LEARNER_PASSWORD)
    learner.save(update_fields=["password"])
    for scenario in values["scenarios"]:
        correct = [option["id"] for option in scenario["options"] if option["correct"]]
        _handler_ok(
            "answer_scenario",
            *driver.call(
                LEARNER, "answer_scenario", {"scenario_id": scenario["id"], "selected": correct}
            ),
        )
    _handler_ok(
        "upload_file",
        *driver.upload(
            LEARNER, "evaluation.md", b"# Evaluation\n\nMacro F1 0.81; per-queue recall.\n"
        ),
    )
    project_levels = {c["id"]: c["required_level"] for c in values["rubric"]["criteria"]}
    _handler_ok(
        "submit_work",
        *driver.call(
            LEARNER,
            "submit_work",
            {
                "text": LEARNER_ANSWER,
                "links": ["https://example.org/ada/ticket-classifier"],
                "reflection": LEARNER_REFLECTION,
                "self_assessment": project_levels,
            },
        ),
    )
    submissions = driver.submission_uuids(MENTOR)
    if len(submissions) != 1:
        raise DemoFailure(f"the review queue holds {len(submissions)} submissions, not 1")
    block = driver.block(MENTOR)
    levels = _mentor_levels(block.current_rubric())
    _handler_ok(
        "review_submit",
        *driver.grade(MENTOR, submissions[0], levels, "Honest evaluation and a concrete plan."),
    )
    send_course_passing_event(learner, block.course_key())
    return learner


def _mentor_levels(rubric):
    """The required level on every other criterion and one level higher on the rest."""
    levels = {}
    for index, criterion in enumerate(rubric["criteria"]):
        ids = [level["id"] for level in criterion["levels"]]
        required = ids.index(criterion["required_level"])
        levels[criterion["id"]] = ids[min(required + index % 2, len(ids) - 1)]
    return levels


def send_course_passing_event(user, course_key):
    """What the LMS's grading sends after a regrade; the plugin's receiver takes it from here."""
    from openedx_events.learning.data import (  # noqa: PLC0415
        CourseData,
        CoursePassingStatusData,
        UserData,
        UserPersonalData,
    )
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED  # noqa: PLC0415

    status = CoursePassingStatusData(
        is_passing=True,
        course=CourseData(course_key=course_key, display_name="credplugin demo course"),
        user=UserData(
            id=user.id,
            is_active=True,
            pii=UserPersonalData(username=user.username, email=user.email, name=user.username),
        ),
    )
    for receiver, response in COURSE_PASSING_STATUS_UPDATED.send_event(
        course_passing_status=status
    ):
        if isinstance(response, Exception):
            raise DemoFailure(f"the receiver {receiver.__name__} raised {response!r}")


# The renewal step: the badge renews 60 days before it expires, through a renewal assessment on
# what changed since the course, graded by the mentor.
RENEWAL_WINDOW_DAYS = 60
RENEWAL_GRACE_DAYS = 30
RENEWAL_RUBRIC = {
    "criteria": [
        {
            "id": "agent-risks",
            "name": "Risks of AI agents",
            "description": "Names what an autonomous agent may do wrong and how to contain it.",
            "competency": None,
            "levels": [
                {"id": "missing", "name": "Missing", "description": "", "points": 0},
                {"id": "sound", "name": "Sound", "description": "", "points": 2},
                {"id": "thorough", "name": "Thorough", "description": "", "points": 3},
            ],
            "required_level": "sound",
        }
    ]
}


def renew_badge(badge, learner):
    """Move the clock into the renewal window, and record the learner's renewal assessment as
    the mentor graded it; the worker then signs the badge's second version.

    The renewal policy and the renewal assessment are set through ``credplugin.api``, as an
    operator or a publish does. Returns the moment the clock was moved to.
    """
    import time_machine  # noqa: PLC0415
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from credplugin import api  # noqa: PLC0415

    badge_class = badge.badge_class
    api.set_renewal_policy(
        str(badge_class.uuid), window_days=RENEWAL_WINDOW_DAYS, grace_days=RENEWAL_GRACE_DAYS
    )
    usage_key = badge_class.course_key.make_usage_key("credplugin_assessment", "renewal-agents")
    registered = api.register_renewal_assessment(
        course_key=str(badge_class.course_key),
        usage_key=str(usage_key),
        title="Renewal: what changed — AI agents",
        renews=badge_class.slug,
        rubric=RENEWAL_RUBRIC,
        pass_rule={"all_criteria_met": True},
        assessment_methods=["project_rubric", "mentor_review"],
    )
    mentor, _created = get_user_model().objects.get_or_create(
        username=MENTOR, defaults={"is_staff": True, "email": "mentor@example.org"}
    )
    moment = badge.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS - 1)
    with time_machine.travel(moment):
        api.record_assessment_result(
            user_id=learner.id,
            course_key=str(badge_class.course_key),
            usage_key=str(usage_key),
            rubric_hash=registered["rubric_hash"],
            criterion_levels=[
                {
                    "criterion_id": "agent-risks",
                    "criterion": "Risks of AI agents",
                    "level_id": "thorough",
                    "level": "Thorough",
                    "points": 3,
                    "required_level_id": "sound",
                    "met": True,
                }
            ],
            scores={},
            points_earned=3,
            points_possible=3,
            passed=True,
            evidence=[{"name": "Agent containment plan", "url": "https://example.org/ada/agents"}],
            assessment_methods=["project_rubric", "mentor_review"],
            feedback="A concrete containment plan for the support agent.",
            reviewer_id=mentor.id,
        )
    return moment
