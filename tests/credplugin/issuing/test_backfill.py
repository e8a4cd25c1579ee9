"""Backfilling learners who passed before the badge existed: interruptible and repeatable."""

from unittest import mock

import pytest

from credplugin.issuer import keys
from credplugin.issuing import backfill, evaluation
from credplugin.models import CoursePassingRecord, IssuedBadge
from tests.factories import COURSE_KEY, BadgeRequirementFactory, learner_meeting

pytestmark = pytest.mark.django_db


def test_an_interrupted_backfill_finishes_on_the_next_run_without_duplicates(
    django_capture_on_commit_callbacks,
):
    keys.generate()
    requirement = BadgeRequirementFactory()
    learners = [learner_meeting(requirement) for _ in range(4)]
    for user in learners:
        CoursePassingRecord.objects.create(user=user, course_key=COURSE_KEY, is_passing=True)
    real_evaluate = evaluation.evaluate

    def interrupted(user_id, course_key):
        if user_id == learners[2].id:
            raise KeyboardInterrupt
        return real_evaluate(user_id, course_key)

    with (
        mock.patch.object(evaluation, "evaluate", side_effect=interrupted),
        pytest.raises(KeyboardInterrupt),
        django_capture_on_commit_callbacks(execute=True),
    ):
        backfill.backfill(COURSE_KEY)
    assert IssuedBadge.objects.count() == 2
    progress = mock.Mock()
    with django_capture_on_commit_callbacks(execute=True):
        counts = backfill.backfill(str(COURSE_KEY), progress=progress)
    assert counts == {"learners": 4, "requested": 2, "unchanged": 2}
    assert progress.call_args_list[-1] == mock.call(4, 4)
    assert sorted(IssuedBadge.objects.values_list("user_id", flat=True)) == sorted(
        user.id for user in learners
    )


def test_the_passing_lookup_falls_back_to_the_plugins_own_records():
    user = learner_meeting(BadgeRequirementFactory())
    CoursePassingRecord.objects.create(user=user, course_key=COURSE_KEY, is_passing=True)
    CoursePassingRecord.objects.create(
        user=learner_meeting(BadgeRequirementFactory()), course_key=COURSE_KEY, is_passing=False
    )
    assert backfill.passing_learners(COURSE_KEY) == [user.id]
