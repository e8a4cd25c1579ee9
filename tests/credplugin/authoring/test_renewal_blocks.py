"""Marking an assessment block as the renewal assessment of a badge in Studio's editor.

The author picks the badge from those of this course's runs; the save only checks the draft,
publishing registers the block (``RenewalAssessment``), and unpublishing or unmarking it
retires it, as for badge requirements (docs/decisions/0016).
"""

import copy

import pytest
from django.core.cache import cache
from opaque_keys.edx.keys import CourseKey

from credplugin import api
from credplugin.models import BadgeClass, BadgeRequirement, RenewalAssessment
from tests.host import content
from xblocks.assessment.demo import PROJECT_VALUES

SPRING = CourseKey.from_string("course-v1:credplugin+ML101+2026_spring")
AUTUMN = CourseKey.from_string("course-v1:credplugin+ML101+2026_autumn")
SLUG = PROJECT_VALUES["badge"]["slug"]


@pytest.fixture
def host(db):
    cache.clear()
    content.reset()
    yield content
    content.reset()


def renewal_values(renews=SLUG, **changes):
    values = copy.deepcopy(PROJECT_VALUES)
    values.update({"badge": {}, "renews": renews, **changes})
    return values


@pytest.fixture
def spring_badge(host):
    """The badge ``SLUG``, published in the spring run."""
    usage_key = host.create(SPRING, "capstone")
    status, body = host.author(usage_key, copy.deepcopy(PROJECT_VALUES))
    assert status == 200, body
    host.publish(usage_key)
    return BadgeClass.objects.get(course_key=SPRING, slug=SLUG)


def renewal(usage_key):
    return RenewalAssessment.objects.filter(usage_key=usage_key).first()


def test_the_editor_offers_the_badges_of_every_run_of_the_course(host, spring_badge):
    api.set_renewal_policy(str(spring_badge.uuid), window_days=60)
    usage_key = host.create(AUTUMN, "renewal")
    html = host.studio_block(usage_key).studio_view().content
    assert 'data-field="renews"' in html
    assert f'<option value="{SLUG}">{spring_badge.name} ({SLUG})</option>' in html
    assert api.badges_to_renew(str(AUTUMN)) == [
        {"slug": SLUG, "name": spring_badge.name, "renewable": True}
    ]


def test_a_saved_mark_counts_only_once_it_is_published(host, spring_badge):
    usage_key = host.create(AUTUMN, "renewal")
    status, body = host.author(usage_key, renewal_values())
    assert status == 200, body
    assert host.studio_block(usage_key).renews == SLUG
    assert renewal(usage_key) is None  # a draft: learners do not see it yet
    host.publish(usage_key)
    registered = renewal(usage_key)
    assert registered.active
    assert registered.achievement_uuid == spring_badge.achievement_uuid
    assert registered.course_key == AUTUMN
    assert registered.title == PROJECT_VALUES["display_name"]
    assert registered.rubric is not None
    assert not BadgeRequirement.objects.filter(usage_key=usage_key).exists()


def test_unmarking_or_deleting_a_published_renewal_block_retires_it(host, spring_badge):
    usage_key = host.create(AUTUMN, "renewal")
    assert host.author(usage_key, renewal_values())[0] == 200
    host.publish(usage_key)
    status, body = host.author(usage_key, renewal_values(renews=""))
    assert status == 400  # no renewal and no badge: the Badge section is needed again
    assert "badge.slug" in [problem["field"] for problem in body["errors"]]
    edited = copy.deepcopy(PROJECT_VALUES)
    edited["badge"]["slug"] = "autumn-extra"
    assert host.author(usage_key, edited)[0] == 200
    assert renewal(usage_key).active  # until published
    host.publish(usage_key)
    assert not renewal(usage_key).active
    assert BadgeRequirement.objects.get(usage_key=usage_key).active

    other = host.create(AUTUMN, "renewal-2")
    assert host.author(other, renewal_values())[0] == 200
    host.publish(other)
    assert renewal(other).active
    host.delete(other, published_too=True)
    assert not renewal(other).active


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"renews": "no-such-badge"}, "No run of this course offers a badge with the slug"),
        ({"renews": "not a slug!"}, "Choose the badge this block renews from the list."),
        ({"badge": {"slug": "own-badge", "name": "Own"}}, "awards no badge of its own"),
    ],
)
def test_a_mark_that_cannot_count_is_explained_at_its_field_and_nothing_changes(
    host, spring_badge, changes, message
):
    usage_key = host.create(AUTUMN, "renewal")
    status, body = host.author(usage_key, renewal_values(**changes))
    assert status == 400, body
    (problem,) = [p for p in body["errors"] if p["field"] == "renews"]
    assert message in problem["message"]
    assert host.studio_block(usage_key).renews == ""
