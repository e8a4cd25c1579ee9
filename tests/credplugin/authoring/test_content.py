"""Requirements follow the published course through Studio's content lifecycle.

The host's content store (tests/host/content.py) keeps Studio's draft and published versions
and sends openedx-events' own events with their own data classes; the plugin's receivers are
wired as in edx-platform. Learners work through the block's handlers in the LMS view.
"""

import copy
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command
from opaque_keys.edx.keys import CourseKey
from openedx_events.content_authoring.data import XBlockData
from openedx_events.content_authoring.signals import XBLOCK_PUBLISHED
from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED

from credplugin import api
from credplugin.models import BadgeClass, BadgeRequirement, IssuedBadge
from credplugin.openbadges.verify import verify_credential
from tests.host import content
from tests.host.demo_course import demo_block_values, send_course_passing_event
from xblocks.assessment import review
from xblocks.assessment.demo import PROJECT_VALUES

SPRING = CourseKey.from_string("course-v1:credplugin+ML101+2026_spring")
AUTUMN = CourseKey.from_string("course-v1:credplugin+ML101+2026_autumn")
OTHER = CourseKey.from_string("course-v1:partner+ML101+2027")
ANSWER = (
    "I split the tickets by date to avoid leakage, balanced the classes with weights and "
    "report macro F1 on the held-out month because misrouting rare queues is what hurts."
)
LEVELS = {"data-preparation": "proficient", "evaluation": "advanced"}


@pytest.fixture
def host(db):
    cache.clear()  # the LMS remembers registered blocks; each test starts from nothing
    content.reset()
    COURSE_PASSING_STATUS_UPDATED.enable()
    yield content
    content.reset()


@pytest.fixture
def signing_key(db):
    call_command("credplugin_keys", "generate", verbosity=0)


def values(**changes):
    edited = copy.deepcopy(PROJECT_VALUES)
    edited.update(changes)
    return edited


def authored(host, course_key, block_id="capstone", edit=None, **create):
    usage_key = host.create(course_key, block_id, **create)
    status, body = host.author(usage_key, edit or values())
    assert status == 200, body
    return usage_key


def requirement(usage_key):
    return BadgeRequirement.objects.select_related("badge_class", "rubric").get(usage_key=usage_key)


def earn(host, usage_key, learner, captured):
    """The learner submits in the LMS, a mentor grades, the course passes: the badge."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    user, _created = get_user_model().objects.get_or_create(
        username=learner, defaults={"email": f"{learner}@example.org"}
    )
    with captured(execute=True):  # grading and passing queue work after commit
        block = host.lms_block(usage_key, learner)
        payload = {"text": ANSWER, "links": ["https://example.org/repo"], "self_assessment": LEVELS}
        status, body = host.call(block, "submit_work", payload)
        assert status == 200, body
        mentor = host.lms_block(usage_key, "staff_mentor")
        uuid = next(
            row["submission_uuid"]
            for row in review.queue(usage_key.course_key, usage_key)
            if review.get_submission(row["submission_uuid"])["student_item"]["student_id"]
            == learner
        )
        host.call(mentor, "review_open", {"submission_uuid": uuid})
        status, body = host.call(
            mentor,
            "review_submit",
            {"submission_uuid": uuid, "levels": LEVELS, "feedback": "Good.", "decision": "grade"},
        )
        assert status == 200, body
        send_course_passing_event(user, usage_key.course_key)
    return IssuedBadge.objects.select_related("badge_class").filter(user=user).first()


def verified(badge):
    report = verify_credential(badge.credential, resolve=api.resolve_for_verification)
    assert report.verified, report
    return badge.credential


# --- drafts and publishing --------------------------------------------------------------


def test_a_draft_edit_is_not_seen_or_registered_until_it_is_published(host):
    usage_key = authored(host, SPRING)
    assert host.lms_block(usage_key, "learner_1") is None
    assert not BadgeRequirement.objects.exists()

    host.publish(usage_key)
    first = requirement(usage_key)
    assert first.badge_class.name == "Applied ML Practitioner"

    stricter = copy.deepcopy(PROJECT_VALUES["rubric"])
    stricter["criteria"][0]["required_level"] = "advanced"
    badge = dict(PROJECT_VALUES["badge"], name="Applied ML Expert")
    assert host.author(usage_key, values(rubric=stricter, badge=badge))[0] == 200

    lms = host.lms_block(usage_key, "learner_1")
    assert lms.rubric == PROJECT_VALUES["rubric"]
    host.lms_block(usage_key, "learner_1").student_view()  # the LMS's check changes nothing
    assert requirement(usage_key).rubric == first.rubric
    assert BadgeClass.objects.get().name == "Applied ML Practitioner"

    host.publish(usage_key)
    assert host.lms_block(usage_key, "learner_1").rubric["criteria"][0]["required_level"] == (
        "advanced"
    )
    published = requirement(usage_key)
    assert published.rubric != first.rubric
    assert published.rubric.definition["criteria"][0]["required_level"] == "advanced"
    assert BadgeClass.objects.get().name == "Applied ML Expert"


def test_learners_are_judged_on_the_rubric_they_submitted_to_not_a_later_publish(
    host, signing_key, django_capture_on_commit_callbacks
):
    usage_key = authored(host, SPRING)
    host.publish(usage_key)
    submitted_rubric = requirement(usage_key).rubric
    block = host.lms_block(usage_key, "ada")
    payload = {"text": ANSWER, "links": [], "self_assessment": LEVELS}
    assert host.call(block, "submit_work", payload)[0] == 200
    renamed = copy.deepcopy(PROJECT_VALUES["rubric"])
    renamed["criteria"][0]["name"] = "Data preparation (2027 wording)"
    assert host.author(usage_key, values(rubric=renamed))[0] == 200
    host.publish(usage_key)
    assert requirement(usage_key).rubric != submitted_rubric

    mentor = host.lms_block(usage_key, "staff_mentor")
    [row] = review.queue(SPRING, usage_key)
    host.call(mentor, "review_open", {"submission_uuid": row["submission_uuid"]})
    decision = {"levels": LEVELS, "feedback": "Good.", "decision": "grade"}
    status, body = host.call(
        mentor, "review_submit", {"submission_uuid": row["submission_uuid"], **decision}
    )
    assert status == 200, body
    from credplugin.models import AssessmentResult  # noqa: PLC0415

    assert AssessmentResult.objects.get().rubric == submitted_rubric


def test_publishing_a_unit_registers_every_assessment_in_it(host):
    first = authored(host, SPRING, "project")
    second = authored(host, SPRING, "ethics", edit=demo_block_values())
    responses = host.publish_unit(SPRING)
    assert all(not isinstance(response, Exception) for _receiver, response in responses)
    assert {str(r.usage_key) for r in BadgeRequirement.objects.all()} == {str(first), str(second)}


def test_the_receiver_takes_openedx_events_own_data_and_never_raises(host, monkeypatch, caplog):
    usage_key = authored(host, SPRING)
    host.publish(usage_key)

    def broken(*args, **kwargs):
        raise RuntimeError("modulestore unavailable")

    monkeypatch.setattr(host.PublishedContent, "published_block", broken)
    with caplog.at_level(logging.ERROR, logger="credplugin.signals.handlers"):
        responses = XBLOCK_PUBLISHED.send_event(
            xblock_info=XBlockData(usage_key=usage_key, block_type="credplugin_assessment")
        )
    assert [response for _receiver, response in responses] == [None]
    assert "could not follow the publication" in caplog.text


def test_an_unregistrable_published_block_does_not_stop_the_rest_of_the_course(host, caplog):
    good = authored(host, SPRING, "good")
    bad = host.create(SPRING, "bad", values={"badge": {"slug": "x", "name": ""}})
    host.publish_unit(SPRING)
    assert requirement(good).active
    assert not BadgeRequirement.objects.filter(usage_key=bad).exists()
    assert "cannot register the published block" in caplog.text


# --- re-runs, imports and copies ---------------------------------------------------------


def test_a_rerun_registers_its_blocks_and_its_learners_earn_the_same_achievement(
    host, signing_key, django_capture_on_commit_callbacks
):
    spring_block = authored(host, SPRING)
    host.publish(spring_block)
    spring_badge = earn(host, spring_block, "ada", django_capture_on_commit_callbacks)

    host.rerun(SPRING, AUTUMN)
    autumn_block = AUTUMN.make_usage_key("credplugin_assessment", "capstone")
    autumn = requirement(autumn_block)
    assert autumn.active and autumn.badge_class.course_key == AUTUMN
    assert autumn.badge_class != spring_badge.badge_class
    assert requirement(spring_block).active

    autumn_badge = earn(host, autumn_block, "grace", django_capture_on_commit_callbacks)
    assert autumn_badge.badge_class.course_key == AUTUMN
    spring_credential, autumn_credential = verified(spring_badge), verified(autumn_badge)
    achievement = spring_credential["credentialSubject"]["achievement"]["id"]
    assert autumn_credential["credentialSubject"]["achievement"]["id"] == achievement
    assert achievement == f"urn:uuid:{spring_badge.badge_class.uuid}"


def test_another_organizations_course_is_another_achievement(host):
    host.publish(authored(host, SPRING))
    host.publish(authored(host, OTHER))
    spring, other = BadgeClass.objects.order_by("id")
    assert spring.achievement_uuid != other.achievement_uuid


def test_an_imported_course_registers_its_blocks_and_awards_them(
    host, signing_key, django_capture_on_commit_callbacks
):
    source = authored(host, SPRING)
    olx = host.export_olx(source)
    imported = host.import_olx(OTHER, "capstone", olx)
    assert requirement(imported).badge_class.course_key == OTHER
    assert not BadgeRequirement.objects.filter(usage_key=source).exists()  # never published
    badge = earn(host, imported, "lin", django_capture_on_commit_callbacks)
    assert badge.badge_class.course_key == OTHER
    verified(badge)


def test_an_import_ignores_the_stale_badge_uuid_and_rubric_hash_of_an_old_export(host):
    olx = host.export_olx(authored(host, SPRING)).replace(
        b"<credplugin_assessment ",
        b'<credplugin_assessment badge_uuid="00000000-0000-0000-0000-000000000000" '
        b'rubric_hash="deadbeef" ',
    )
    imported = host.import_olx(OTHER, "capstone", olx)
    registered = requirement(imported)
    assert str(registered.badge_class.uuid) != "00000000-0000-0000-0000-000000000000"
    assert registered.rubric.content_hash != "deadbeef"
    assert registered.rubric.content_hash == api.snapshot_rubric(PROJECT_VALUES["rubric"])


def test_a_duplicate_registers_under_its_own_usage_key_once_learners_see_it(host):
    source = authored(host, SPRING)
    host.publish(source)
    draft_copy = host.duplicate(source, "capstone-copy")
    assert not BadgeRequirement.objects.filter(usage_key=draft_copy).exists()

    live_copy = host.duplicate(source, "capstone-live", published=True)
    copied = requirement(live_copy)
    assert copied.active and copied.pk != requirement(source).pk
    assert copied.badge_class == requirement(source).badge_class
    assert requirement(source).active

    host.publish(draft_copy)
    assert requirement(draft_copy).active
    assert BadgeRequirement.objects.filter(active=True).count() == 3


# --- deletion ----------------------------------------------------------------------------


def test_a_draft_deletion_retires_nothing_until_it_is_published(
    host, signing_key, django_capture_on_commit_callbacks
):
    project = authored(host, SPRING, "project")
    ethics = authored(host, SPRING, "ethics", edit=dict(values(), display_name="Second part"))
    host.publish_unit(SPRING)
    ada = earn(host, project, "ada", django_capture_on_commit_callbacks)
    assert ada is None  # the second block of the badge is still missing
    earn(host, ethics, "grace", django_capture_on_commit_callbacks)
    grace = earn(host, project, "grace", django_capture_on_commit_callbacks)
    assert grace is not None

    host.delete(ethics)
    assert requirement(ethics).active

    with django_capture_on_commit_callbacks(execute=True):
        host.publish_unit(SPRING)
    assert not requirement(ethics).active
    assert requirement(project).active
    # Ada, who was waiting only for the deleted block, is evaluated again and earns it.
    assert IssuedBadge.objects.filter(user__username="ada").exists()
    # Grace keeps the badge she earned with both blocks.
    grace.refresh_from_db()
    assert grace.status == IssuedBadge.Status.ACTIVE
    verified(grace)


def test_a_deletion_learners_see_at_once_retires_at_once(host):
    usage_key = authored(host, SPRING)
    host.publish(usage_key)
    host.delete(usage_key, published_too=True)
    assert not requirement(usage_key).active
    assert requirement(usage_key).retired_at is not None


def test_without_a_content_source_nothing_is_retired(host, settings):
    usage_key = authored(host, SPRING)
    host.publish(usage_key)
    settings.CREDPLUGIN_CONTENT_STORE = ""
    host.delete(usage_key, published_too=True)
    assert requirement(usage_key).active


# --- the LMS's safety net ----------------------------------------------------------------


def published_without_an_event(host, course_key, block_id="capstone"):
    """A block published before the plugin listened (or while its receiver failed)."""
    from django.db.models import F  # noqa: PLC0415

    from tests.host.models import ContentBlock  # noqa: PLC0415

    usage_key = authored(host, course_key, block_id)
    ContentBlock.objects.filter(usage_key=str(usage_key)).update(published=F("draft"))
    return usage_key


def test_the_lms_registers_a_published_block_nobody_registered_when_it_renders(host):
    usage_key = published_without_an_event(host, SPRING)
    assert not BadgeRequirement.objects.exists()
    assert "Capstone" in host.lms_block(usage_key, "learner_1").student_view().content
    registered = requirement(usage_key)
    assert registered.rubric.content_hash == api.snapshot_rubric(PROJECT_VALUES["rubric"])


def test_the_check_costs_one_indexed_read_then_nothing(host, django_assert_num_queries):
    usage_key = published_without_an_event(host, SPRING)
    description = host.lms_block(usage_key, "learner_1").badge_requirement()
    keys = {"course_key": SPRING, "usage_key": usage_key}
    assert api.ensure_badge_requirement(**keys, **description) is True
    with django_assert_num_queries(0):
        assert api.ensure_badge_requirement(**keys, **description) is False
    cache.clear()
    with django_assert_num_queries(1):
        assert api.ensure_badge_requirement(**keys, **description) is False


def test_studio_previews_register_nothing(host, settings):
    usage_key = published_without_an_event(host, SPRING)
    host.studio_block(usage_key, user=None).student_view()  # Studio's preview has no user id
    assert not BadgeRequirement.objects.exists()
    settings.ROOT_URLCONF = "cms.urls"
    description = host.lms_block(usage_key, "learner_1").badge_requirement()
    assert not api.ensure_badge_requirement(course_key=SPRING, usage_key=usage_key, **description)
    assert not BadgeRequirement.objects.exists()


def test_a_library_publish_rechecks_the_course_copies_of_the_block(host):
    from opaque_keys.edx.locator import LibraryUsageLocatorV2  # noqa: PLC0415

    from tests.host.models import ContentBlock  # noqa: PLC0415

    course_copy = authored(host, SPRING)
    host.publish(course_copy)
    before = requirement(course_copy).rubric
    library_block = LibraryUsageLocatorV2.from_string(
        "lb:credplugin:ml:credplugin_assessment:capstone"
    )
    synced = copy.deepcopy(ContentBlock.objects.get(usage_key=str(course_copy)).published)
    synced["rubric"]["criteria"][0]["name"] = "Data preparation (library 2027)"
    host.sync_from_library(course_copy, library_block, synced)
    assert requirement(course_copy).rubric == before

    host.publish_library_block(library_block)
    assert requirement(course_copy).rubric.definition["criteria"][0]["name"] == (
        "Data preparation (library 2027)"
    )
    other = LibraryUsageLocatorV2.from_string("lb:credplugin:ml:problem:quiz")
    assert [response for _receiver, response in host.publish_library_block(other)] == [None]
