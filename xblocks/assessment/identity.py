"""Who is acting and on what: the few facts the block needs from its runtime.

In the LMS and Studio the user service carries ``edx-platform.*`` attributes and the block's
usage id is a real usage key. The XBlock SDK workbench (the standalone host, the demo and the
browser tests) has neither, so this module maps workbench users onto Django users:

* the workbench user id (``?student=…`` in its URLs) is a Django username, created on first use;
* a workbench user whose id starts with ``staff`` is course staff (``is_staff``) — a convention
  for demos and tests only; the workbench itself has no authentication at all;
* the course is ``WORKBENCH_COURSE`` and the usage key is built from the scenario's usage id.
"""

from dataclasses import dataclass

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

WORKBENCH_COURSE = "course-v1:credplugin+Workbench+demo"
WORKBENCH_STAFF_PREFIX = "staff"
BLOCK_TYPE = "credplugin_assessment"


@dataclass(frozen=True)
class Actor:
    """The person behind a request.

    Attributes:
        user_id: the Django user id credplugin records results for (None if anonymous).
        student_id: the anonymous id edx-submissions files work under.
        is_staff: course staff may review and read every learner's work.
        username: for logs and the review queue's own display only.
    """

    user_id: int | None
    student_id: str
    is_staff: bool
    username: str


def current_actor(block):
    user = block.runtime.service(block, "user").get_current_user()
    attrs = user.opt_attrs
    if "edx-platform.user_id" in attrs:
        return Actor(
            user_id=attrs.get("edx-platform.user_id"),
            student_id=str(attrs.get("edx-platform.anonymous_user_id") or ""),
            is_staff=bool(attrs.get("edx-platform.user_is_staff")),
            username=attrs.get("edx-platform.username") or "",
        )
    workbench_id = attrs.get("xblock-workbench.user_id")
    if workbench_id:
        return _workbench_actor(str(workbench_id))
    return Actor(user_id=None, student_id="", is_staff=False, username="")


def _workbench_actor(workbench_id):
    from django.contrib.auth import get_user_model  # noqa: PLC0415  (workbench only)

    is_staff = workbench_id.startswith(WORKBENCH_STAFF_PREFIX)
    user, _created = get_user_model().objects.get_or_create(
        username=workbench_id[:150], defaults={"is_staff": is_staff}
    )
    return Actor(
        user_id=user.pk, student_id=workbench_id, is_staff=user.is_staff, username=user.username
    )


def usage_key(block):
    """The block's usage key without branch or version, as Studio and the LMS both know it."""
    usage_id = block.scope_ids.usage_id
    if isinstance(usage_id, UsageKey):
        return usage_id.for_branch(None) if hasattr(usage_id, "for_branch") else usage_id
    try:
        return UsageKey.from_string(str(usage_id))
    except InvalidKeyError:
        safe_id = "".join(ch if ch.isalnum() or ch in "-_.~" else "_" for ch in str(usage_id))
        return CourseKey.from_string(WORKBENCH_COURSE).make_usage_key(BLOCK_TYPE, safe_id)


def course_key(block):
    return usage_key(block).course_key
