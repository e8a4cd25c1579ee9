"""Work entered in the peer pool as the assessment block enters it, for the plugin-side tests
of the peer sweep and the reminders (unit and MariaDB)."""

import uuid

from credplugin import api

RUBRIC = {
    "criteria": [
        {
            "id": "quality",
            "name": "Quality",
            "levels": [{"id": "low", "points": 0}, {"id": "high", "points": 1}],
        }
    ]
}


def enter_work(author_id, *, course_key, usage_key, submission_uuid=None, **changes):
    """Enter one learner's work (two reviews needed unless ``changes`` say otherwise); returns
    its submission uuid. ``changes`` are further ``peer_enter`` arguments."""
    submission_uuid = submission_uuid or str(uuid.uuid4())
    api.peer_enter(
        **{
            "submission_uuid": submission_uuid,
            "course_key": str(course_key),
            "usage_key": str(usage_key),
            "author_id": author_id,
            "rubric": RUBRIC,
            "required_reviews": 2,
            "title": "Peer project",
            **changes,
        }
    )
    return submission_uuid
