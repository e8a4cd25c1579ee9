"""Bad and hostile input to the peer step's handlers: a 4xx with a reason, and nothing stored.

Named cases first, then mutated bodies (the block's fuzzer: any refused request that leaves a
write behind in the block, edx-submissions or credplugin fails the test).
"""

import random
import uuid

import pytest

from credplugin.models import CalibrationAttempt, ExcludedReviewer, PeerReview
from tests.workbench_driver import WorkbenchDriver

from .conftest import PROJECT_SCENARIO
from .peer_support import EXAMPLE, LEVELS, author_peer_block, held_review_uuid, peer_state, submit
from .test_fuzz import Fuzzer, KeptBlocks, json_body

BODIES = 1_500
SEED = 20261128


@pytest.fixture
def peers(workbench):
    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO))
    author_peer_block(driver, peer_calibration=[EXAMPLE])
    for user in ("learner_1", "learner_2"):
        submit(driver, user)
    return driver


def stored():
    return (
        list(PeerReview.objects.values_list("completed", "levels", "feedback", "helpfulness")),
        CalibrationAttempt.objects.count(),
        ExcludedReviewer.objects.count(),
    )


@pytest.mark.parametrize(
    ("user", "handler", "payload", "status"),
    [
        ("learner_2", "peer_calibrate", {"example_id": "nope", "levels": LEVELS}, 404),
        ("learner_2", "peer_calibrate", {"example_id": "example-1", "levels": "all"}, 400),
        ("learner_2", "peer_calibrate", {"example_id": "example-1", "levels": {"x": "y"}}, 400),
        ("learner_2", "peer_calibrate", {"example_id": ["example-1"], "levels": LEVELS}, 404),
        ("learner_9", "peer_calibrate", {"example_id": "example-1", "levels": LEVELS}, 400),
        ("learner_2", "peer_review", {"review_uuid": "1' OR 1=1", "levels": LEVELS}, 404),
        ("learner_2", "peer_review", {"review_uuid": None, "feedback": "x"}, 404),
        ("learner_2", "peer_rate", {"review_uuid": "x", "helpfulness": 3}, 404),
        ("learner_2", "peer_rate", {"review_uuid": str(uuid.uuid4()), "helpfulness": 9}, 400),
        ("learner_2", "peer_rate", {"review_uuid": str(uuid.uuid4()), "helpfulness": True}, 400),
        ("learner_2", "peer_exclude", {"review_uuid": "x", "reason": "abuse"}, 403),
        ("staff_mentor", "peer_exclude", {"review_uuid": "x", "reason": ""}, 400),
        ("staff_mentor", "peer_exclude", {"review_uuid": "x", "reason": "r" * 501}, 400),
        ("staff_mentor", "peer_exclude", {"review_uuid": "x", "reason": "abuse"}, 404),
        ("learner_2", "peer_reviews", {"submission_uuid": "x"}, 403),
        ("staff_mentor", "peer_reviews", {"submission_uuid": "x"}, 404),
    ],
)
def test_bad_peer_input_is_refused_and_nothing_stored(peers, user, handler, payload, status):
    before = stored()
    answer_status, body = peers.call(user, handler, payload)
    assert answer_status == status, body
    assert body["error"]
    assert stored() == before


def test_a_review_missing_levels_and_feedback_names_each_field(peers):
    calibrate = {"example_id": "example-1", "levels": EXAMPLE["levels"]}
    assert peers.call("learner_2", "peer_calibrate", calibrate)[0] == 200
    review_uuid = held_review_uuid(peer_state(peers, "learner_2"))
    before = stored()
    status, body = peers.call(
        "learner_2",
        "peer_review",
        {"review_uuid": review_uuid, "levels": {"evaluation": "advanced"}, "feedback": "  "},
    )
    assert status == 400
    assert {error["field"] for error in body["errors"]} == {
        "criterion.data-preparation",
        "feedback",
    }
    assert stored() == before


def test_a_peer_step_off_answers_404_for_its_handlers(workbench):
    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for(PROJECT_SCENARIO))
    author_peer_block(driver, peer_enabled=False)
    submit(driver, "learner_1")
    assert driver.call("learner_1", "peer_state", {})[0] == 404


def test_mutated_bodies_to_the_peer_handlers_get_no_500_and_store_nothing(peers, monkeypatch):
    rng = random.Random(SEED)
    fuzzer = Fuzzer(monkeypatch)
    driver = KeptBlocks(peers.usage_id)
    calibrate = {"example_id": "example-1", "levels": EXAMPLE["levels"]}
    assert driver.call("learner_2", "peer_calibrate", calibrate)[0] == 200
    review_uuid = held_review_uuid(peer_state(driver, "learner_2"))
    targets = [
        ("learner_2", "peer_state", {}),
        ("learner_2", "peer_calibrate", calibrate),
        ("learner_2", "peer_review", {"review_uuid": review_uuid, "levels": LEVELS}),
        ("learner_1", "peer_rate", {"review_uuid": review_uuid, "helpfulness": 3}),
        ("staff_mentor", "peer_exclude", {"review_uuid": review_uuid, "reason": "Empty."}),
        ("staff_mentor", "peer_reviews", {"submission_uuid": review_uuid}),
    ]
    while fuzzer.sent < BODIES:
        user, handler, payload = rng.choice(targets)
        if handler == "peer_review":
            # A saved review ends the lease; keep the fuzzing on refusals of this one.
            payload = {**payload, "feedback": rng.choice([None, "", 5, ["x"], "\ud800"])}
        if handler == "peer_exclude":
            payload = {**payload, "review_uuid": rng.choice(["", "x", None, 7])}
        fuzzer.send(driver, user, handler, json_body(rng, payload))
    assert fuzzer.failures == [], "\n".join(fuzzer.failures[:40])
    assert {200, 400, 404} <= set(fuzzer.statuses), fuzzer.statuses
