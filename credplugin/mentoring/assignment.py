"""Who mentors whom: staff assign a mentor to a learner or a cohort of one course run, by hand,
from a CSV file, or round robin over the course's reviewers for learners without one.

A mentor must review work in the course (``compat.course_staff_users``). A learner has at most
one mentor per course: their own assignment, else their cohort's. Every write checks all its
input first and stores nothing when any of it is wrong.
"""

import csv
import io

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from credplugin import compat
from credplugin.exceptions import InvalidInput, NotFound
from credplugin.mentoring.models import MentorAssignment, ReviewQueueEntry

MAX_CSV_BYTES = 1_000_000
MAX_CSV_ROWS = 5_000
MAX_COHORT = 255
CSV_COLUMNS = ("mentor", "learner", "cohort")


def mentors_of(course_key, learner_ids):
    """``{learner_id: mentor_id}`` for those of ``learner_ids`` who have a mentor."""
    learner_ids = set(learner_ids)
    if not learner_ids:
        return {}
    assignments = MentorAssignment.objects.filter(course_key=course_key)
    mentors = dict(
        assignments.filter(learner_id__in=learner_ids).values_list("learner_id", "mentor_id")
    )
    by_cohort = dict(assignments.filter(cohort__isnull=False).values_list("cohort", "mentor_id"))
    if by_cohort:
        cohorts = compat.learner_cohorts(course_key, learner_ids - set(mentors))
        for learner_id, cohort in cohorts.items():
            if cohort in by_cohort:
                mentors[learner_id] = by_cohort[cohort]
    return mentors


def learners_of(course_key, mentor_id, learner_ids):
    """Those of ``learner_ids`` whom ``mentor_id`` mentors in the course."""
    return {
        learner
        for learner, mentor in mentors_of(course_key, learner_ids).items()
        if mentor == mentor_id
    }


def has_assignments(course_key):
    return MentorAssignment.objects.filter(course_key=course_key).exists()


def course_mentors(course_key):
    """Who may mentor in the course: the people who review its work, by id."""
    return sorted(compat.course_staff_users(course_key), key=lambda user: user.pk)


def _person(value, field, row=None):
    """The active user named by id, username or e-mail address."""
    text = str(value if value is not None else "").strip()
    users = get_user_model().objects.filter(is_active=True)
    if text.isdigit():
        found = users.filter(pk=int(text)).first()
    elif text:
        found = users.filter(Q(username=text) | Q(email__iexact=text)).first()
    else:
        found = None
    if found is None:
        message = _("There is no active user “%(name)s”.") % {"name": text[:100]}
        raise InvalidInput(_row(row, field, message))
    return found


def _row(row, field, message):
    if row is None:
        return f"{field}: {message}"
    return _("Row %(row)d, %(field)s: %(message)s") % {
        "row": row,
        "field": field,
        "message": message,
    }


def _check_mentor(mentor, eligible, row=None):
    if mentor.pk not in eligible:
        raise InvalidInput(
            _row(
                row,
                "mentor",
                _("%(name)s does not review work in this course.")
                % {"name": mentor.get_username()},
            )
        )


def _clean_cohort(value, cohorts, row=None):
    name = str(value or "").strip()
    if not name or len(name) > MAX_COHORT or name not in cohorts:
        message = _("The course has no cohort “%(name)s”.") % {"name": name[:100]}
        raise InvalidInput(_row(row, "cohort", message))
    return name


def _clean(mentor, learner, cohort, *, eligible, cohorts, row=None):
    """One assignment's ``(mentor, learner or None, cohort or None)``, checked."""
    if bool(learner) == bool(cohort):
        raise InvalidInput(_row(row, "learner", _("Name either a learner or a cohort.")))
    mentor = _person(mentor, "mentor", row)
    _check_mentor(mentor, eligible, row)
    if learner:
        learner = _person(learner, "learner", row)
        if learner.pk == mentor.pk:
            raise InvalidInput(_row(row, "learner", _("Nobody mentors themselves.")))
        return mentor, learner, None
    return mentor, None, _clean_cohort(cohort, cohorts, row)


def check(course_key, *, mentor, learner=None, cohort=None):
    """Raise ``InvalidInput`` unless :func:`assign` would store this; stores nothing."""
    eligible = {user.pk for user in course_mentors(course_key)}
    cohorts = compat.course_cohorts(course_key) if cohort else set()
    return _clean(mentor, learner, cohort, eligible=eligible, cohorts=cohorts)


def _store(course_key, mentor, learner, cohort, assigned_by_id):
    """Create the assignment, or give the learner (or cohort) this mentor instead."""
    target = {"learner": learner} if learner is not None else {"cohort": cohort}
    assignment, _created = MentorAssignment.objects.update_or_create(
        course_key=course_key,
        **target,
        defaults={"mentor": mentor, "assigned_by_id": assigned_by_id},
    )
    return assignment


def assign(course_key, *, mentor, learner=None, cohort=None, assigned_by_id=None):
    """Give a learner or a cohort a mentor (ids, usernames or e-mail addresses; a cohort by
    name). Raises ``InvalidInput`` with the reason and stores nothing."""
    mentor, learner, cohort = check(course_key, mentor=mentor, learner=learner, cohort=cohort)
    with transaction.atomic():
        return _store(course_key, mentor, learner, cohort, assigned_by_id)


def unassign(course_key, assignment_id):
    deleted, _kinds = MentorAssignment.objects.filter(
        course_key=course_key, pk=assignment_id
    ).delete()
    if not deleted:
        raise NotFound(_("There is no such mentor assignment in this course."))


def _csv_rows(data):
    if isinstance(data, bytes):
        if len(data) > MAX_CSV_BYTES:
            raise InvalidInput(_("The file is larger than 1 MB."))
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidInput(_("The file is not UTF-8 text.")) from error
    if len(data) > MAX_CSV_BYTES:
        raise InvalidInput(_("The file is larger than 1 MB."))
    try:
        reader = csv.DictReader(io.StringIO(data))
        header = [name.strip().lower() for name in reader.fieldnames or ()]
        if "mentor" not in header or not ({"learner", "cohort"} & set(header)):
            raise InvalidInput(
                _("The first line must name the columns: mentor, and learner or cohort.")
            )
        unknown = set(header) - set(CSV_COLUMNS)
        if unknown:
            raise InvalidInput(
                _("Unknown column(s): %(names)s.") % {"names": ", ".join(sorted(unknown))[:200]}
            )
        reader.fieldnames = header
        rows = []
        for row in reader:
            if len(rows) >= MAX_CSV_ROWS:
                raise InvalidInput(_("The file has more than 5,000 rows."))
            rows.append(row)
    except csv.Error as error:
        raise InvalidInput(_("The file is not valid CSV: %(error)s") % {"error": error}) from error
    if not rows:
        raise InvalidInput(_("The file has no rows."))
    return rows


def import_csv(course_key, data, *, assigned_by_id=None):
    """Store the assignments of a CSV file (columns ``mentor`` and ``learner`` or ``cohort``;
    people by username, e-mail or id), all of them or, when any row is wrong, none.

    Raises ``InvalidInput`` whose ``errors`` lists every wrong row. Returns how many rows were
    stored.
    """
    rows = _csv_rows(data)
    eligible = {user.pk for user in course_mentors(course_key)}
    cohorts = compat.course_cohorts(course_key)
    cleaned, errors, seen = [], [], {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        if None in row:
            errors.append(_row(number, "row", _("The row has more values than columns.")))
            continue
        try:
            mentor, learner, cohort = _clean(
                row.get("mentor"),
                row.get("learner"),
                row.get("cohort"),
                eligible=eligible,
                cohorts=cohorts,
                row=number,
            )
        except InvalidInput as error:
            errors.append(str(error))
            continue
        target = ("learner", learner.pk) if learner else ("cohort", cohort)
        if target in seen:
            message = _("Also assigned on row %(row)d.") % {"row": seen[target]}
            errors.append(_row(number, target[0], message))
            continue
        seen[target] = number
        cleaned.append((mentor, learner, cohort))
    if errors:
        error = InvalidInput(
            _("Nothing was stored: %(count)d row(s) are wrong.") % {"count": len(errors)}
        )
        error.errors = errors
        raise error
    with transaction.atomic():
        for mentor, learner, cohort in cleaned:
            _store(course_key, mentor, learner, cohort, assigned_by_id)
    return len(cleaned)


def _candidate_learners(course_key):
    """Learners of the course: its enrollments (``compat``) and everyone who submitted work."""
    enrolled = set(compat.course_enrollments([course_key], None, None))
    submitted = set(
        ReviewQueueEntry.objects.filter(course_key=course_key).values_list("learner_id", flat=True)
    )
    return enrolled | submitted


def round_robin(course_key, *, assigned_by_id=None):
    """Give every learner without a mentor one of the course's reviewers, in turn.

    Fair: each learner, by id, goes to the reviewer with the fewest learners of their own in
    the course so far (ties: the lowest id), so counts end at most one apart unless staff made
    them uneven by hand. Returns ``{mentor_id: learners newly assigned}``.
    """
    mentors = [user.pk for user in course_mentors(course_key)]
    if not mentors:
        raise InvalidInput(_("Nobody reviews work in this course yet: add course staff first."))
    learners = _candidate_learners(course_key) - set(mentors)
    unassigned = sorted(learners - set(mentors_of(course_key, learners)))
    load = dict.fromkeys(mentors, 0)
    counts = (
        MentorAssignment.objects.filter(course_key=course_key, learner__isnull=False)
        .values("mentor_id")
        .annotate(learners=Count("pk"))
    )
    for row in counts:
        if row["mentor_id"] in load:
            load[row["mentor_id"]] = row["learners"]
    added = dict.fromkeys(mentors, 0)
    rows = []
    for learner_id in unassigned:
        mentor_id = min(mentors, key=lambda pk: (load[pk], pk))
        load[mentor_id] += 1
        added[mentor_id] += 1
        rows.append(
            MentorAssignment(
                course_key=course_key,
                mentor_id=mentor_id,
                learner_id=learner_id,
                assigned_by_id=assigned_by_id,
            )
        )
    # A concurrent assignment of the same learner wins; this one is dropped.
    MentorAssignment.objects.bulk_create(rows, ignore_conflicts=True)
    return {mentor_id: count for mentor_id, count in added.items() if count}


def describe(assignment):
    return {
        "id": assignment.pk,
        "course_id": str(assignment.course_key),
        "mentor": assignment.mentor.get_username(),
        "learner": assignment.learner.get_username() if assignment.learner_id else None,
        "cohort": assignment.cohort,
        "created": assignment.created.isoformat(),
    }


def list_assignments(course_key):
    return [
        describe(found)
        for found in MentorAssignment.objects.filter(course_key=course_key)
        .select_related("mentor", "learner")
        .order_by("pk")
    ]
