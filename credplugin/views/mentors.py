"""The mentor dashboard: the work waiting for a mentor across every assessment block of a
course run, oldest first, and for course staff each mentor's backlog and turnaround.

Only people who review work in the course (its staff, or a mentor assigned in it) see the
page; anyone else is refused with 403, an unknown course id is 404. Learners' names are shown
only here, to their reviewers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from credplugin import api, compat
from credplugin.mentoring import queue, reminders, workload
from credplugin.mentoring.models import MentorAssignment
from credplugin.views.caching import never_cache_private
from credplugin.views.layout import page_context


def reviewer_course(request, course_key):
    """The course key, if ``request.user`` reviews work in it: 404 for a malformed id, 403
    for anyone who does not. Returns ``(course key, is course staff)``."""
    try:
        key = CourseKey.from_string(course_key)
    except InvalidKeyError as invalid:
        raise Http404(_("There is no such course.")) from invalid
    if compat.is_course_staff(request.user, key):
        return key, True
    reviewers = {user.pk for user in compat.course_staff_users(key)}
    if (
        request.user.pk in reviewers
        or MentorAssignment.objects.filter(course_key=key, mentor_id=request.user.pk).exists()
    ):
        return key, False
    raise PermissionDenied(_("Only the course's mentors and staff see its review queue."))


def _hours(delta):
    return int(delta.total_seconds() // 3600)


def _items(rows):
    return [{**row, "hours": _hours(row["waited"])} for row in rows]


@never_cache_private
@login_required
@require_safe
def mentor_dashboard(request, course_key):
    """The caller's queue, the work nobody is assigned, and (for staff) every mentor's load."""
    key, is_staff = reviewer_course(request, course_key)
    now = timezone.now()
    mine, unassigned = queue.course_queues(key, request.user.pk, now)
    context = page_context(
        course_key=key,
        mine=_items(mine),
        unassigned=_items(unassigned),
        mentors=workload.per_mentor(key, now) if is_staff else None,
        target_hours=reminders.threshold_hours(),
        reminders_enabled=reminders.reminders_enabled(request.user.pk),
        span_days=queue.TURNAROUND_SPAN.days,
    )
    return render(request, "credplugin/mentor_dashboard.html", context)


@never_cache_private
@login_required
@require_POST
def update_mentor_reminders(request, course_key):
    """Turn the caller's reminder e-mails about waiting work on or off."""
    key, _is_staff = reviewer_course(request, course_key)
    wanted = request.POST.get("enabled") == "on"
    if api.set_mentor_reminders(request.user.pk, enabled=wanted):
        messages.success(request, _("You will be e-mailed when work waits past the target."))
    else:
        messages.success(request, _("You will get no more e-mails about waiting work."))
    return redirect("credplugin:mentor-dashboard", course_key=str(key))
