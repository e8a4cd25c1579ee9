"""Who is acting: edx-platform's user attributes, the workbench convention, the usage key."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import UsageKey
from xblock.reference.user_service import XBlockUser

from xblocks.assessment import identity


def block_with_user(opt_attrs, usage_id="x"):
    user = XBlockUser(is_current_user=True)
    user.opt_attrs.update(opt_attrs)
    service = SimpleNamespace(get_current_user=lambda: user)
    runtime = SimpleNamespace(service=lambda block, name: service)
    return SimpleNamespace(runtime=runtime, scope_ids=SimpleNamespace(usage_id=usage_id))


def test_lms_user_attributes():
    block = block_with_user(
        {
            "edx-platform.user_id": 42,
            "edx-platform.anonymous_user_id": "5f3c…anon",
            "edx-platform.user_is_staff": True,
            "edx-platform.username": "mentor",
        }
    )
    assert identity.current_actor(block) == identity.Actor(
        user_id=42, student_id="5f3c…anon", is_staff=True, username="mentor"
    )


def test_lms_learner_is_not_staff():
    block = block_with_user({"edx-platform.user_id": 7, "edx-platform.anonymous_user_id": "a"})
    assert identity.current_actor(block).is_staff is False


def test_workbench_users_map_to_django_users(db):
    learner = identity.current_actor(block_with_user({"xblock-workbench.user_id": "learner_9"}))
    staff = identity.current_actor(block_with_user({"xblock-workbench.user_id": "staff_9"}))
    assert (learner.is_staff, staff.is_staff) == (False, True)
    assert learner.student_id == "learner_9"
    assert get_user_model().objects.get(pk=learner.user_id).username == "learner_9"


def test_anonymous_user_has_no_identity():
    actor = identity.current_actor(block_with_user({}))
    assert (actor.user_id, actor.student_id, actor.is_staff) == (None, "", False)


def test_usage_keys():
    key = UsageKey.from_string("block-v1:Org+C1+2026+type@credplugin_assessment+block@abc")
    assert identity.usage_key(block_with_user({}, key)) == key
    assert str(identity.course_key(block_with_user({}, key))) == "course-v1:Org+C1+2026"
    workbench = identity.usage_key(block_with_user({}, "my-scenario.credplugin_assessment.d0.u0"))
    assert str(workbench) == (
        "block-v1:credplugin+Workbench+demo+type@credplugin_assessment"
        "+block@my-scenario.credplugin_assessment.d0.u0"
    )
