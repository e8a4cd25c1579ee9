"""The survey form: only its learner sees it, one answer per survey, editable for a while."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credplugin.models import SurveyInvitation, SurveyOptOut, SurveyResponse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER = {
    "job_change": "new_role",
    "promotion": "on",
    "pay_change": "up_to_10",
    "applies_competencies": "3",
    "comment": "I lead reviews now.",
    "consent": "on",
}


@pytest.fixture
def invitation(earn):
    badge = earn(email="ada@example.org")
    return SurveyInvitation.objects.create(
        badge=badge, offset_days=30, status=SurveyInvitation.Status.SENT
    )


def survey_url(invitation):
    return reverse("credplugin:survey", args=[invitation.token])


def test_the_form_is_for_the_badge_earner_only(client, invitation):
    assert client.get(survey_url(invitation)).status_code == 302  # to the login page
    client.force_login(UserFactory(username="mallory"))
    assert client.get(survey_url(invitation)).status_code == 404
    client.force_login(invitation.badge.user)
    response = client.get(survey_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>Since you earned the badge, has your job changed?</legend>" in html
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_survey_is_404(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("credplugin:survey", args=["nope"])).status_code == 404


def test_an_incomplete_answer_is_refused_and_stores_nothing(client, invitation):
    client.force_login(invitation.badge.user)
    response = client.post(survey_url(invitation), {"job_change": "bogus"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_one_answer_per_survey_which_the_learner_may_change(client, invitation):
    client.force_login(invitation.badge.user)
    assert client.post(survey_url(invitation), ANSWER).status_code == 302
    client.post(survey_url(invitation), {**ANSWER, "consent": "", "pay_change": ""})
    response = SurveyResponse.objects.get()
    assert (response.job_change, response.promotion, response.applies_competencies) == (
        "new_role",
        True,
        3,
    )
    assert (response.consent, response.pay_change) == (False, "")
    assert "Save my changes" in client.get(survey_url(invitation)).content.decode()


def test_the_answer_is_frozen_after_the_edit_window(client, invitation, settings):
    settings.CREDPLUGIN_SURVEY_EDIT_DAYS = 30
    client.force_login(invitation.badge.user)
    client.post(survey_url(invitation), ANSWER)
    SurveyResponse.objects.update(submitted_at=timezone.now() - timedelta(days=31))
    client.post(survey_url(invitation), {**ANSWER, "job_change": "none"})
    assert SurveyResponse.objects.get().job_change == "new_role"
    html = client.get(survey_url(invitation)).content.decode()
    assert "This answer can no longer be changed." in html
    assert "the time to change your answer has passed" in html
    assert '<form class="credplugin-form credplugin-survey-form"' not in html


def test_the_e_mail_link_opts_out_without_signing_in(client, invitation):
    url = reverse("credplugin:survey-opt-out", args=[invitation.token])
    assert "Stop the surveys" in client.get(url).content.decode()
    assert not SurveyOptOut.objects.exists()
    assert "no more follow-up surveys" in client.post(url).content.decode()
    assert SurveyOptOut.objects.filter(user=invitation.badge.user).exists()
    assert client.post(reverse("credplugin:survey-opt-out", args=["x"])).status_code == 404
