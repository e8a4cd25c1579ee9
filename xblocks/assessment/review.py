"""The review workflow, kept in edx-submissions so the LMS gradebook hears every score.

A learner's work is a submission of item type ``credplugin_assessment`` (student item: the
anonymous student id, the course key, the block's usage key) — exactly the student item the
LMS grades app resolves when ``set_score`` fires its ``score_set`` signal, so a mentor's grade
for another learner reaches the gradebook as edx-ora2's staff grades do.

Mentor decisions are kept beside it as append-only submissions of item type
``credplugin_assessment_review`` for the same learner, under an item id derived from the usage
key (edx-submissions allows one student item per course, learner and item id). A mentor cannot
write another learner's XBlock user state, the plugin may not add tables for its XBlock, and an
append-only log keeps every judgement (who, when, which rubric) the way ORA keeps its
assessments. The newest event for the learner's newest submission decides the status.

Scenario answers are a third append-only log (item type ``credplugin_assessment_scenario``):
each answer stores the scenario's progress after it, so the newest entry per scenario is the
learner's progress. XBlock user state cannot count attempts: the LMS loads it before the handler
runs and the last save wins, so two racing answers would both see "no attempts yet".

Writers that check before they append (a submission only while the work is editable, an answer
only while attempts remain) hold :func:`locked` on the learner's student item: a row lock on
edx-submissions' ``StudentItem``, so racing requests on any number of processes take turns and
the second one sees what the first appended (the database runs at READ COMMITTED).
"""

import contextlib
import hashlib
import uuid


def _submissions():
    """edx-submissions' API, imported on first use (it needs Django's settings loaded)."""
    from submissions import api  # noqa: PLC0415

    return api


ITEM_TYPE = "credplugin_assessment"
REVIEW_ITEM_TYPE = "credplugin_assessment_review"
SCENARIO_ITEM_TYPE = "credplugin_assessment_scenario"
_LOG_PREFIXES = {REVIEW_ITEM_TYPE: "credplugin-review:", SCENARIO_ITEM_TYPE: "credplugin-scenario:"}

DRAFT = "draft"
SUBMITTED = "submitted"
IN_REVIEW = "in_review"
GRADED = "graded"
REVISION_REQUESTED = "revision_requested"
QUEUE_STATUSES = (SUBMITTED, IN_REVIEW, GRADED, REVISION_REQUESTED)
NEEDS_REVIEW = "needs_review"
NEEDS_REVIEW_STATUSES = (SUBMITTED, IN_REVIEW)
QUEUE_FILTERS = (NEEDS_REVIEW, *QUEUE_STATUSES)


def log_item_id(usage_key, item_type=REVIEW_ITEM_TYPE):
    """A log's own item id: edx-submissions allows one item per (course, learner, id)."""
    digest = hashlib.sha256(str(usage_key).encode()).hexdigest()[:40]
    return _LOG_PREFIXES[item_type] + digest


def student_item(course_key, usage_key, student_id, item_type=ITEM_TYPE):
    item_id = str(usage_key) if item_type == ITEM_TYPE else log_item_id(usage_key, item_type)
    return {
        "student_id": student_id,
        "course_id": str(course_key),
        "item_id": item_id,
        "item_type": item_type,
    }


def _learner_submissions(item, limit=None):
    """``get_submissions``, once more if the first read of a new item lost a creation race.

    edx-submissions creates the student item on a read; when two first reads race, one fails
    (validation sees the other's row, or its insert hits the unique key). The row is committed
    by then, so the second read finds it.
    """
    api = _submissions()
    try:
        return api.get_submissions(item, limit)
    except (api.SubmissionRequestError, api.SubmissionInternalError):
        return api.get_submissions(item, limit)


@contextlib.contextmanager
def locked(course_key, usage_key, student_id, item_type=ITEM_TYPE):
    """Hold the row lock of one learner's student item until the block ends (or commits).

    The row is created first if needed (``get_or_create`` settles a creation race on the
    table's unique key), so there is always a row to lock.
    """
    from django.db import transaction  # noqa: PLC0415  (needs Django's settings loaded)
    from submissions.models import StudentItem  # noqa: PLC0415

    item = student_item(course_key, usage_key, student_id, item_type)
    StudentItem.objects.get_or_create(**item)
    with transaction.atomic():
        StudentItem.objects.select_for_update().get(**item)
        yield


def submit(course_key, usage_key, student_id, answer):
    """File the learner's work; returns the submission dict (with its ``uuid``)."""
    return _submissions().create_submission(student_item(course_key, usage_key, student_id), answer)


def latest_submission(course_key, usage_key, student_id):
    found = _learner_submissions(student_item(course_key, usage_key, student_id), 1)
    return found[0] if found else None


def get_submission(submission_uuid):
    """The submission and its student id; None when the uuid is unknown or malformed."""
    try:
        uuid.UUID(str(submission_uuid))
    except ValueError:
        return None
    try:
        found = _submissions().get_submission_and_student(str(submission_uuid))
    except (_submissions().SubmissionNotFoundError, _submissions().SubmissionRequestError):
        return None
    return found


def events(course_key, usage_key, student_id):
    """Every mentor decision about this learner's work in this block, newest first."""
    item = student_item(course_key, usage_key, student_id, REVIEW_ITEM_TYPE)
    return [found["answer"] for found in _learner_submissions(item)]


def record_event(course_key, usage_key, student_id, event):
    item = student_item(course_key, usage_key, student_id, REVIEW_ITEM_TYPE)
    _submissions().create_submission(item, event)


def scenario_progress(course_key, usage_key, student_id):
    """``{scenario id: progress}`` from the newest answer to each scenario."""
    item = student_item(course_key, usage_key, student_id, SCENARIO_ITEM_TYPE)
    progress = {}
    for found in _learner_submissions(item):
        answer = found["answer"]
        progress.setdefault(answer["scenario_id"], answer["progress"])
    return progress


def record_scenario_answer(course_key, usage_key, student_id, scenario_id, progress):
    item = student_item(course_key, usage_key, student_id, SCENARIO_ITEM_TYPE)
    _submissions().create_submission(item, {"scenario_id": scenario_id, "progress": progress})


def latest_event_for(submission_uuid, event_list):
    for event in event_list:
        if event.get("submission_uuid") == submission_uuid:
            return event
    return None


def status_of(submission, event):
    if submission is None:
        return DRAFT
    if event is None:
        return SUBMITTED
    return event["status"]


def can_edit(status, event):
    """A draft, a revision asked for, or work graded as not passed: the learner may work on."""
    if status in (DRAFT, REVISION_REQUESTED):
        return True
    return status == GRADED and not event.get("passed")


def queue(course_key, usage_key, status=None):
    """The newest submission of every learner with its status: work needing review first,
    oldest first within each group.

    ``status`` (one of ``QUEUE_FILTERS``) filters; None lists everything.
    """
    wanted = NEEDS_REVIEW_STATUSES if status == NEEDS_REVIEW else (status,) if status else None
    latest_events = {
        found["student_id"]: found["answer"]
        for found in _submissions().get_all_submissions(
            str(course_key), log_item_id(usage_key), REVIEW_ITEM_TYPE, read_replica=False
        )
    }
    rows = []
    for found in _submissions().get_all_submissions(
        str(course_key), str(usage_key), ITEM_TYPE, read_replica=False
    ):
        event = latest_events.get(found["student_id"])
        if event and event.get("submission_uuid") != found["uuid"]:
            event = None
        row_status = status_of(found, event)
        if wanted and row_status not in wanted:
            continue
        rows.append(
            {
                "submission_uuid": found["uuid"],
                "attempt_number": found["attempt_number"],
                "submitted_at": found["submitted_at"],
                "status": row_status,
                "student_id": found["student_id"],
                "learner_user_id": found["answer"].get("learner_user_id"),
            }
        )
    rows.sort(key=lambda row: (row["status"] not in NEEDS_REVIEW_STATUSES, row["submitted_at"]))
    return rows


def set_score(submission_uuid, points_earned, points_possible, reviewer):
    """Record the grade on the learner's submission; the LMS regrades from the signal."""
    _submissions().set_score(
        submission_uuid,
        points_earned,
        points_possible,
        annotation_creator=reviewer,
        annotation_type="credplugin_mentor_review",
        annotation_reason="Mentor review against the block's rubric",
    )
