"""The LMS's safety net on MariaDB: concurrent first renders register a block exactly once.

A course published before the plugin listened has no requirement rows. Its block's first
learners open it at the same moment, each in its own thread and database connection; exactly
one of them registers the badge requirement, the rest find it (or lose the insert race and
write nothing), and every page renders.
"""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F

from credplugin.authoring import requirements
from credplugin.models import BadgeClass, BadgeRequirement
from tests.host import content
from tests.host.models import ContentBlock
from xblocks.assessment.demo import PROJECT_VALUES

pytestmark = pytest.mark.integration

RENDERS = 8


def test_concurrent_first_renders_register_a_never_saved_block_once(
    integration_database_url, monkeypatch, caplog
):
    cache.clear()
    content.reset()
    usage_key = content.create("course-v1:credplugin+ML101+2026", "capstone")
    assert content.author(usage_key, PROJECT_VALUES)[0] == 200
    ContentBlock.objects.filter(usage_key=str(usage_key)).update(published=F("draft"))

    outcomes, failures = [], []
    register = requirements.register_badge_requirement

    def counted(**description):
        registered = register(**description)
        outcomes.append(registered["registered"])
        return registered

    monkeypatch.setattr(requirements, "register_badge_requirement", counted)
    start = threading.Barrier(RENDERS)

    def render(number):
        try:
            block = content.lms_block(usage_key, f"learner_{number}")
            start.wait()
            assert "Capstone" in block.student_view().content
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=render, args=(n,)) for n in range(RENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    assert "could not check the requirement" not in caplog.text
    assert outcomes.count(True) == 1, outcomes
    assert BadgeRequirement.objects.filter(usage_key=usage_key, active=True).count() == 1
    assert BadgeClass.objects.count() == 1
    content.reset()
