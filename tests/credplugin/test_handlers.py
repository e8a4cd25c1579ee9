"""The receivers, driven by real openedx-events signals with failures allowed to surface."""

from unittest import mock

from django.test import TestCase, override_settings
from openedx_events.content_authoring.data import XBlockData
from openedx_events.content_authoring.signals import XBLOCK_DELETED
from openedx_events.learning.data import (
    CcxCourseData,
    CcxCoursePassingStatusData,
    CertificateData,
    CourseData,
    CoursePassingStatusData,
    UserData,
    UserPersonalData,
)
from openedx_events.learning.signals import (
    CCX_COURSE_PASSING_STATUS_UPDATED,
    CERTIFICATE_CREATED,
    COURSE_PASSING_STATUS_UPDATED,
)
from openedx_events.tests.utils import OpenEdxEventsTestMixin

from credplugin.models import BadgeRequirement, CoursePassingRecord, IssuedBadge
from credplugin.signals import handlers
from tests.factories import COURSE_KEY, BadgeRequirementFactory, IssuerKeyFactory, learner_meeting


def user_data(user):
    return UserData(
        id=user.id,
        is_active=True,
        pii=UserPersonalData(username=user.username, email=user.email, name="Ada"),
    )


class ReceiverTest(OpenEdxEventsTestMixin, TestCase):
    ENABLED_OPENEDX_EVENTS = [
        COURSE_PASSING_STATUS_UPDATED.event_type,
        CCX_COURSE_PASSING_STATUS_UPDATED.event_type,
        CERTIFICATE_CREATED.event_type,
        XBLOCK_DELETED.event_type,
    ]

    def setUp(self):
        IssuerKeyFactory()
        self.requirement = BadgeRequirementFactory()
        self.user = learner_meeting(self.requirement)

    def send_passing(self, is_passing=True, **metadata):
        data = CoursePassingStatusData(
            is_passing=is_passing,
            course=CourseData(course_key=COURSE_KEY),
            user=user_data(self.user),
        )
        with self.captureOnCommitCallbacks(execute=True):
            COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=data, **metadata)

    def test_a_passing_event_sent_many_times_issues_one_badge(self):
        for _ in range(10):
            self.send_passing()
        assert IssuedBadge.objects.filter(user=self.user).count() == 1

    def test_passing_a_ccx_run_awards_the_master_course_badge(self):
        data = CcxCoursePassingStatusData(
            is_passing=True,
            course=CcxCourseData(
                ccx_course_key="ccx-v1:credplugin+ethics+2026+ccx@3",
                master_course_key=COURSE_KEY,
            ),
            user=user_data(self.user),
        )
        with self.captureOnCommitCallbacks(execute=True):
            CCX_COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=data)
        record = CoursePassingRecord.objects.get()
        assert str(record.course_key) == "ccx-v1:credplugin+ethics+2026+ccx@3"
        assert IssuedBadge.objects.get().badge_class == self.requirement.badge_class

    @override_settings(CREDPLUGIN_EVENTS_FROM="local")
    def test_the_event_bus_replay_is_ignored_when_local_delivery_issues(self):
        with mock.patch.object(handlers.api, "course_passing_status_changed") as changed:
            handlers.course_passing_status_updated(
                sender=None,
                course_passing_status=CoursePassingStatusData(
                    is_passing=True,
                    course=CourseData(course_key=COURSE_KEY),
                    user=user_data(self.user),
                ),
                from_event_bus=True,
            )
        changed.assert_not_called()

    def test_a_failure_inside_the_plugin_never_reaches_grading(self):
        with (
            mock.patch.object(
                handlers.api, "course_passing_status_changed", side_effect=RuntimeError("db")
            ),
            self.assertLogs("credplugin.signals.handlers", "ERROR") as logs,
        ):
            self.send_passing()  # would raise: the mixin lets receiver errors surface
        assert "the sweeper will retry" in logs.output[0]

    @override_settings(CREDPLUGIN_AWARD_ON="certificate")
    def test_certificate_created_awards_in_certificate_mode(self):
        self.send_passing()
        assert not IssuedBadge.objects.exists()
        certificate = CertificateData(
            user=user_data(self.user),
            course=CourseData(course_key=COURSE_KEY),
            mode="verified",
            grade="0.9",
            download_url="",
            name="Ada",
            current_status="downloadable",
        )
        with self.captureOnCommitCallbacks(execute=True):
            CERTIFICATE_CREATED.send_event(certificate=certificate)
        assert IssuedBadge.objects.filter(user=self.user).count() == 1

    def test_deleting_the_block_retires_its_requirement(self):
        XBLOCK_DELETED.send_event(
            xblock_info=XBlockData(
                usage_key=self.requirement.usage_key, block_type="credplugin_project"
            )
        )
        assert not BadgeRequirement.objects.get().active
