"""Lookups into edx-platform, each with a fallback for the standalone host and for tests.

Nothing here imports edx-platform at module level: the plugin also runs outside it, and inside
it some modules are only importable once the LMS finished loading.
"""

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

# The Django-template twin of the LMS's Mako ``main.html``: header, footer, theme and CSS.
LMS_MAIN_TEMPLATE = "main_django.html"
STANDALONE_MAIN_TEMPLATE = "credplugin/standalone_base.html"


def main_template_name():
    """The template the plugin's pages extend, so they look native inside the LMS.

    Inside edx-platform that is ``main_django.html`` (blocks ``title``, ``headextra``,
    ``bodyclass``, ``body``); elsewhere the plugin's own page with the same blocks.
    """
    try:
        import common.djangoapps.edxmako  # noqa: F401, PLC0415
    except ImportError:
        return STANDALONE_MAIN_TEMPLATE
    try:
        get_template(LMS_MAIN_TEMPLATE)
    except TemplateDoesNotExist:
        return STANDALONE_MAIN_TEMPLATE
    return LMS_MAIN_TEMPLATE


def rest_authentication_classes():
    """The platform's usual REST authentication: its JWT when installed, then the session."""
    from rest_framework.authentication import SessionAuthentication  # noqa: PLC0415

    try:
        from edx_rest_framework_extensions.auth.jwt.authentication import (  # noqa: PLC0415
            JwtAuthentication,
        )
    except ImportError:
        return [SessionAuthentication]
    return [JwtAuthentication, SessionAuthentication]


def is_course_staff(user, course_key):
    """Whether ``user`` may see and change every learner's badges in ``course_key``.

    In the LMS this is the course's staff role (``has_access(user, "staff", course)``, which
    includes instructors and global staff); standalone, Django's ``is_staff``.
    """
    if not user.is_authenticated:
        return False
    try:
        from lms.djangoapps.courseware.access import has_access  # noqa: PLC0415
    except ImportError:
        return bool(user.is_staff)
    return bool(has_access(user, "staff", course_key))


def course_staff_users(course_key):
    """Who reviews work in ``course_key``: its staff and instructors in the LMS (edx-platform's
    course roles); standalone, Django's staff users."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    try:
        from common.djangoapps.student.roles import (  # noqa: PLC0415
            CourseInstructorRole,
            CourseStaffRole,
        )
    except ImportError:
        return list(get_user_model().objects.filter(is_staff=True, is_active=True))
    users = {}
    for role in (CourseStaffRole(course_key), CourseInstructorRole(course_key)):
        users.update({user.pk: user for user in role.users_with_role()})
    return list(users.values())


def user_language(user):
    """The language the learner chose in the LMS (``pref-lang``), or None."""
    try:
        from openedx.core.djangoapps.user_api.preferences.api import (  # noqa: PLC0415
            get_user_preference,
        )
    except ImportError:
        return None
    return get_user_preference(user, "pref-lang")


def learner_display_name(user):
    """The learner's full name as the platform knows it (``UserProfile.name`` in the LMS)."""
    profile_name = getattr(getattr(user, "profile", None), "name", "")
    return profile_name or user.get_full_name() or user.get_username()


def get_course_passing_users(course_key):
    """Ids of learners who have passed ``course_key``, for backfilling badges.

    In the LMS the grades app knows (``PersistentCourseGrade.passed_timestamp`` is set once a
    learner passes); standalone, the passing records the plugin itself kept.
    """
    try:
        from lms.djangoapps.grades.models import PersistentCourseGrade  # noqa: PLC0415
    except ImportError:
        from credplugin.models import CoursePassingRecord  # noqa: PLC0415

        return CoursePassingRecord.objects.filter(
            course_key=course_key, is_passing=True
        ).values_list("user_id", flat=True)
    return PersistentCourseGrade.objects.filter(
        course_id=course_key, passed_timestamp__isnull=False
    ).values_list("user_id", flat=True)


# --- course content, as learners see it (the published version) ----------------------------


def _content_store():
    """The standalone host's published-content reader (``CREDPLUGIN_CONTENT_STORE``)."""
    from django.utils.module_loading import import_string  # noqa: PLC0415

    from credplugin.conf import credplugin_settings  # noqa: PLC0415

    path = credplugin_settings.CONTENT_STORE
    return import_string(path) if path else None


def _modulestore():
    """edx-platform's modulestore and its branch names, or None outside edx-platform."""
    try:
        from xmodule.modulestore import ModuleStoreEnum  # noqa: PLC0415
        from xmodule.modulestore.django import modulestore  # noqa: PLC0415
    except ImportError:
        return None
    return modulestore(), ModuleStoreEnum


def published_blocks(course_key, block_type):
    """``[(usage key, block)]`` of every ``block_type`` block learners of ``course_key`` see.

    In edx-platform: the modulestore's published branch (Studio and the LMS read the same
    store). Standalone: the host's content store. None when there is neither: nobody can say
    what is published, which is not the same as nothing being published.
    """
    platform = _modulestore()
    if platform is not None:
        store, enum = platform
        with store.branch_setting(enum.Branch.published_only, course_key):
            blocks = store.get_items(course_key, qualifiers={"category": block_type})
        return [(block.location.for_branch(None), block) for block in blocks]
    content = _content_store()
    return list(content.published_blocks(course_key, block_type)) if content else None


def published_block(usage_key):
    """The published version of one block, or None when learners do not see it."""
    platform = _modulestore()
    if platform is not None:
        store, enum = platform
        from xmodule.modulestore.exceptions import ItemNotFoundError  # noqa: PLC0415

        with store.branch_setting(enum.Branch.published_only, usage_key.course_key):
            try:
                return store.get_item(usage_key)
            except ItemNotFoundError:
                return None
    content = _content_store()
    return content.published_block(usage_key) if content else None


def library_copies(library_usage_key):
    """Usage keys of the course blocks copied from a content-library block (Studio's upstream
    links: ``ComponentLink``, ``PublishableEntityLink`` before Teak)."""
    try:
        from cms.djangoapps.contentstore import models as contentstore  # noqa: PLC0415
    except ImportError:
        content = _content_store()
        return list(content.library_copies(library_usage_key)) if content else []
    link = getattr(contentstore, "ComponentLink", None) or contentstore.PublishableEntityLink
    return list(
        link.objects.filter(upstream_usage_key=library_usage_key).values_list(
            "downstream_usage_key", flat=True
        )
    )


def serves_learners():
    """Whether this process is the LMS (where learners see published content), not Studio.

    Studio's previews render drafts; only what the LMS renders is the published version.
    """
    from django.conf import settings  # noqa: PLC0415

    if str(getattr(settings, "ROOT_URLCONF", "")).startswith("cms."):
        return False
    return getattr(settings, "PROJECT_TYPE", "lms.djangoapp") != "cms.djangoapp"


# --- outcomes and mentors: enrollments and cohorts -----------------------------------------------


def course_enrollments(course_keys, start, end, users=None):
    """``{user_id: enrolled_at}`` of learners who enrolled in ``course_keys`` in ``[start,
    end)`` (either bound may be None), optionally only ``users``; a learner's first enrollment.

    In the LMS, ``CourseEnrollment.created``; standalone, where there are no enrollments, a
    learner counts as enrolled from their first assessed attempt in the course.
    """
    from django.db.models import Min  # noqa: PLC0415

    try:
        from common.djangoapps.student.models import CourseEnrollment  # noqa: PLC0415
    except ImportError:
        from credplugin.models import AssessmentResult  # noqa: PLC0415

        rows = AssessmentResult.objects.filter(course_key__in=course_keys)
    else:
        rows = CourseEnrollment.objects.filter(course_id__in=course_keys)
    if users is not None:
        rows = rows.filter(user_id__in=users)
    if start is not None or end is not None:
        # Only learners with a row in the period can have their first there: read the other
        # rows of those learners alone, not the whole course's.
        in_period = rows
        if start is not None:
            in_period = in_period.filter(created__gte=start)
        if end is not None:
            in_period = in_period.filter(created__lt=end)
        rows = rows.filter(user_id__in=in_period.values("user_id"))
    firsts = rows.values("user_id").annotate(first=Min("created"))
    if start is not None:
        firsts = firsts.filter(first__gte=start)
    if end is not None:
        firsts = firsts.filter(first__lt=end)
    return {row["user_id"]: row["first"] for row in firsts}


def learner_cohorts(course_key, user_ids):
    """``{user_id: cohort name}`` of these learners in ``course_key``.

    In the LMS, the course's cohorts (``course_groups``' ``CohortMembership``: one cohort per
    learner and course); standalone, Django's auth groups, each a cohort of every course (a
    learner in several counts in the first by name).
    """
    user_ids = list(user_ids)
    try:
        from openedx.core.djangoapps.course_groups.models import (  # noqa: PLC0415
            CohortMembership,
        )
    except ImportError:
        from django.contrib.auth.models import Group  # noqa: PLC0415

        rows = (
            Group.user_set.through.objects.filter(user_id__in=user_ids)
            .order_by("-group__name")
            .values_list("user_id", "group__name")
        )
    else:
        rows = CohortMembership.objects.filter(
            course_id=course_key, user_id__in=user_ids
        ).values_list("user_id", "course_user_group__name")
    return dict(rows)


def course_cohorts(course_key):
    """The names of ``course_key``'s cohorts (standalone: every auth group's name)."""
    try:
        from openedx.core.djangoapps.course_groups.models import (  # noqa: PLC0415
            CourseUserGroup,
        )
    except ImportError:
        from django.contrib.auth.models import Group  # noqa: PLC0415

        return set(Group.objects.values_list("name", flat=True))
    return set(
        CourseUserGroup.objects.filter(
            course_id=course_key, group_type=CourseUserGroup.COHORT
        ).values_list("name", flat=True)
    )
