"""A badge whose result peers formed says so: the evidence names the method, and the credential
still passes the plain-form check, the 1EdTech schema and the reference JavaScript verifier."""

import pytest
from django.urls import reverse

from credplugin import api
from credplugin.models import IssuedBadge
from credplugin.openbadges.form import check_credential_form
from tests.factories import COURSE_KEY, UserFactory, criterion_levels
from tests.issued_badges import EVIDENCE, PROJECT, badge_setup  # noqa: F401 - pytest fixture
from tests.js_stack import js_stack  # noqa: F401 - pytest fixture
from tests.openbadges.test_credential import schema_validator  # noqa: F401 - pytest fixture


def record(learner, rubric_hash, judgement):
    """A passed capstone result formed as ``judgement`` says."""
    api.record_assessment_result(
        user_id=learner.id,
        course_key=str(COURSE_KEY),
        usage_key=str(PROJECT),
        rubric_hash=rubric_hash,
        criterion_levels=criterion_levels(level_id="expert"),
        scores={},
        points_earned=6,
        points_possible=6,
        passed=True,
        evidence=EVIDENCE,
        assessment_methods=["project_rubric", "peer_review", "mentor_review"],
        feedback="",
        reviewer_id=None,
        judgement=judgement,
    )


@pytest.fixture
def peer_badge(badge_setup, django_capture_on_commit_callbacks):  # noqa: F811
    def issue(judgement):
        learner = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            record(learner, badge_setup["rubric_hash"], judgement)
            api.course_passing_status_changed(
                user_id=learner.id, course_key=str(COURSE_KEY), is_passing=True
            )
        return IssuedBadge.objects.get(user=learner)

    return issue


def _narratives(credential):
    return [item.get("narrative") for item in credential["evidence"]]


@pytest.mark.parametrize(
    ("judgement", "narrative"),
    [
        (
            {"mode": "peer_confirmed", "peer_reviews": 3},
            "Median of 3 peer reviews, confirmed by a mentor.",
        ),
        ({"mode": "peer_median", "peer_reviews": 1}, "Median of 1 peer review."),
        (
            {"mode": "mentor_after_peers", "peer_reviews": 2},
            "Decided by a mentor after 2 peer reviews.",
        ),
        (
            {"mode": "mentor_override", "peer_reviews": 0},
            "Decided by a mentor in place of peer review.",
        ),
    ],
)
def test_the_credential_names_how_the_result_was_formed(peer_badge, judgement, narrative):
    credential = peer_badge(judgement).credential
    assert narrative in _narratives(credential)
    assert any("median of their levels" in (text or "") for text in _narratives(credential))
    check_credential_form(credential)


def test_a_peer_formed_credential_passes_the_schema_and_the_javascript_verifier(
    client,
    peer_badge,
    schema_validator,  # noqa: F811
    js_stack,  # noqa: F811
):
    badge = peer_badge({"mode": "peer_confirmed", "peer_reviews": 3})
    served = client.get(reverse("credplugin:badge-credential", kwargs={"badge_uuid": badge.uuid}))
    credential = served.json()
    assert "Median of 3 peer reviews, confirmed by a mentor." in _narratives(credential)
    errors = sorted(schema_validator.iter_errors(credential), key=str)
    assert not errors, [error.message for error in errors]
    did_document = client.get(reverse("credplugin:did-document")).json()
    status_list = client.get(
        reverse("credplugin:status-list", args=["revocation", badge.status_list_sequence])
    ).json()
    answer = js_stack.verify(credential, did_documents=[did_document], status_lists=[status_list])
    assert answer.verified, answer.error


@pytest.mark.parametrize(
    "judgement",
    [
        {"mode": "crowd", "peer_reviews": 3},
        {"mode": "peer_median", "peer_reviews": -1},
        {"mode": "peer_median", "peer_reviews": True},
        {"mode": "peer_median"},
        ["peer_median"],
    ],
)
def test_a_malformed_judgement_is_refused_and_nothing_stored(badge_setup, judgement):  # noqa: F811
    from credplugin.models import AssessmentResult  # noqa: PLC0415

    with pytest.raises(api.InvalidInput):
        record(UserFactory(), badge_setup["rubric_hash"], judgement)
    assert not AssessmentResult.objects.exists()
