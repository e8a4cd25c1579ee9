"""openedx-events receivers. Thin: each maps an event to one ``credplugin.api`` call.

A receiver never raises into grading (with ``DEBUG=True`` openedx-events would let the error
break the learner's request): failures are logged, and the outbox and sweeper recover.
"""

import logging

from credplugin import api

log = logging.getLogger(__name__)


def _passing_status(course_passing_status, from_event_bus):
    if not api.accepts_delivery(from_event_bus=from_event_bus):
        return
    user = course_passing_status.user
    course = course_passing_status.course
    # CcxCourseData names the CCX run the learner passed as ``ccx_course_key``.
    course_key = getattr(course, "ccx_course_key", None) or course.course_key
    try:
        api.course_passing_status_changed(
            user_id=user.id, course_key=course_key, is_passing=course_passing_status.is_passing
        )
    except Exception:
        log.exception(
            "credplugin could not record passing=%s for user %s in %s; the sweeper will retry",
            course_passing_status.is_passing,
            user.id,
            course_key,
        )


def course_passing_status_updated(sender, course_passing_status, from_event_bus=False, **kwargs):
    """COURSE_PASSING_STATUS_UPDATED: fires on every course-grade recompute."""
    _passing_status(course_passing_status, from_event_bus)


def ccx_course_passing_status_updated(
    sender, course_passing_status, from_event_bus=False, **kwargs
):
    """CCX_COURSE_PASSING_STATUS_UPDATED: the same, for a CCX course."""
    _passing_status(course_passing_status, from_event_bus)


def certificate_created(sender, certificate, from_event_bus=False, **kwargs):
    """CERTIFICATE_CREATED: the trigger when ``CREDPLUGIN_AWARD_ON`` is ``certificate``."""
    if not api.accepts_delivery(from_event_bus=from_event_bus):
        return
    try:
        api.certificate_created(
            user_id=certificate.user.id, course_key=certificate.course.course_key
        )
    except Exception:
        log.exception(
            "credplugin could not record a certificate for user %s in %s",
            certificate.user.id,
            certificate.course.course_key,
        )


def _content_changed(action, subject, call):
    """Run one content-lifecycle call; a failure is logged, never raised into Studio."""
    try:
        call()
    except Exception:
        log.exception("credplugin could not follow the %s of %s", action, subject)


def xblock_published(sender, xblock_info, **kwargs):
    """XBLOCK_PUBLISHED: requirements follow what learners now see."""
    _content_changed(
        "publication",
        xblock_info.usage_key,
        lambda: api.content_published(xblock_info.usage_key, xblock_info.block_type),
    )


def xblock_duplicated(sender, xblock_info, **kwargs):
    """XBLOCK_DUPLICATED: the copy counts under its own usage key once published."""
    _content_changed(
        "duplication",
        xblock_info.usage_key,
        lambda: api.content_duplicated(xblock_info.usage_key, xblock_info.source_usage_key),
    )


def library_block_published(sender, library_block, **kwargs):
    """LIBRARY_BLOCK_PUBLISHED: re-check the course copies of an assessment library block."""
    if library_block.usage_key.block_type != api.ASSESSMENT_BLOCK_TYPE:
        return
    _content_changed(
        "library publication",
        library_block.usage_key,
        lambda: api.library_block_published(library_block.usage_key),
    )


def xblock_deleted(sender, xblock_info, **kwargs):
    """XBLOCK_DELETED: retire only what the deletion took out of the published course."""
    _content_changed(
        "deletion", xblock_info.usage_key, lambda: api.content_deleted(xblock_info.usage_key)
    )


def course_copied(sender, course, **kwargs):
    """COURSE_RERUN_COMPLETED, COURSE_IMPORT_COMPLETED: register the new course's blocks."""
    _content_changed(
        "re-run or import", course.course_key, lambda: api.course_content_copied(course.course_key)
    )
