"""What ``credplugin.api`` tells an assessment block about its badge and its learners."""

from credplugin import api
from tests.factories import UserFactory
from tests.issued_badges import PROJECT, badge_setup, earn  # noqa: F401 - fixtures


def test_a_block_links_its_learner_to_their_badge_once_issued(earn):  # noqa: F811
    issued = earn("ada")
    found = api.badge_for_block(user_id=issued.user_id, usage_key=str(PROJECT))
    assert found["name"] == issued.badge_class.name
    assert found["badge_url"].endswith(f"/badges/{issued.uuid}/")
    assert found["my_badges_url"].endswith("/my-badges/")
    waiting = UserFactory(username="grace")
    assert api.badge_for_block(user_id=waiting.pk, usage_key=str(PROJECT))["badge_url"] is None
    other_block = str(PROJECT).replace("project", "elsewhere")
    assert api.badge_for_block(user_id=issued.user_id, usage_key=other_block) is None


def test_staff_see_learners_by_name_and_username(db):
    named = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
    plain = UserFactory(username="grace", first_name="", last_name="")
    assert api.learner_names([named.pk, plain.pk]) == {
        named.pk: "Ada Lovelace (ada)",
        plain.pk: "grace",
    }
