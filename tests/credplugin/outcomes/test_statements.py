"""Published outcomes: frozen quarters, suppression, and the signed statement."""

import copy
import json
from datetime import timedelta

import jsonschema
import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from credplugin.issuer import identity
from credplugin.issuing import issuance
from credplugin.models import (
    IssuedBadge,
    OutcomePlan,
    OutcomeSnapshot,
    SurveyInvitation,
    SurveyResponse,
)
from credplugin.openbadges.form import FormError, check_credential_form
from credplugin.outcomes import statements
from credplugin.outcomes.figures import Scope
from credplugin.presentation.verdicts import verify_stored_badge
from tests.credplugin.outcomes.data import END, START, awarded, day, q1_cohort
from tests.factories import BadgeRequirementFactory
from tests.js_stack import js_stack  # noqa: F401 - fixture
from tests.openbadges.test_credential import SCHEMA_PATH

pytestmark = pytest.mark.django_db

SETTLED = END + timedelta(days=statements.PROGRAMME_SETTLE_DAYS, hours=1)


@pytest.fixture
def q1(settings):
    settings.CREDPLUGIN_SURVEY_DAYS = [30]
    requirement, learners = q1_cohort()
    badge_class = requirement.badge_class
    return badge_class, Scope.achievement(badge_class.achievement_uuid), learners


def answer(badge, **fields):
    invitation = SurveyInvitation.objects.create(badge=badge, offset_days=30)
    values = {
        "job_change": "none",
        "applies_competencies": 3,
        "consent": True,
        "submitted_at": day(2, 1),
        "updated_at": day(2, 1),
    }
    return SurveyResponse.objects.create(invitation=invitation, **{**values, **fields})


def test_a_quarter_is_kept_once_its_data_is_final_and_never_recomputed(q1):
    badge_class, scope, learners = q1
    survey_final = END + timedelta(days=30 + 14 + 30, hours=1)
    assert statements.roll_up(scope, now=survey_final - timedelta(hours=2)) == 0
    assert statements.roll_up(scope, now=survey_final) == 1  # answers to the 30-day survey
    assert statements.roll_up(scope, now=SETTLED - timedelta(hours=2)) == 0
    assert statements.roll_up(scope, now=SETTLED) == 1  # the programme figures
    kept = OutcomeSnapshot.objects.get(scope_key=scope.key, section="programme")
    assert kept.figures["earners"]["value"] == 4
    awarded(learners["u4"], badge_class, day(3, 1))  # a late change to Q1's data
    assert statements.roll_up(scope, now=SETTLED + timedelta(days=1)) == 0
    kept.refresh_from_db()
    assert kept.figures["earners"]["value"] == 4
    assert {s.section for s in OutcomeSnapshot.objects.all()} == {"programme", "survey-30"}


def test_the_beat_keeps_final_quarters_of_every_achievement_once(q1):
    badge_class, scope, _learners = q1
    other = BadgeRequirementFactory().badge_class  # an achievement without badges: nothing
    assert statements.keep_final_quarters(now=SETTLED - timedelta(hours=2)) == 1  # survey-30
    assert statements.keep_final_quarters(now=SETTLED) == 1  # the programme figures
    assert statements.keep_final_quarters(now=SETTLED) == 0
    assert {s.scope_key for s in OutcomeSnapshot.objects.all()} == {scope.key}
    assert not OutcomeSnapshot.objects.filter(scope_key__contains=str(other.achievement_uuid))


def test_published_figures_below_the_minimum_cohort_are_suppressed(q1, settings):
    _, scope, _ = q1
    statements.roll_up(scope, now=SETTLED)
    settings.CREDPLUGIN_OUTCOMES_MIN_COHORT = 10
    (period,) = statements.published(scope)
    assert period["sections"]["programme"]["earners"] == {"suppressed": True, "n": None}
    settings.CREDPLUGIN_OUTCOMES_MIN_COHORT = 4
    (period,) = statements.published(scope)
    assert period["sections"]["programme"]["earners"] == {"n": 4, "value": 4}


def test_overlapping_ranges_cannot_be_differenced(q1, settings):
    """Published figures are whole, frozen quarters: a later answer, a different range or a
    retired learner changes no published figure, so subtracting two shows nobody."""
    badge_class, scope, learners = q1
    settings.CREDPLUGIN_OUTCOMES_MIN_COHORT = 2
    for name in ("u1", "u2", "u5"):
        answer(IssuedBadge.objects.get(user=learners[name]), promotion=name == "u1")
    final = END + timedelta(days=30 + 14 + 30, hours=1)
    statements.roll_up(scope, now=final)
    before = statements.published(scope)
    answer(IssuedBadge.objects.get(user=learners["u3"]), promotion=True)  # a late answer
    statements.roll_up(scope, now=final + timedelta(days=40))
    (after,) = statements.published(scope)
    assert after["sections"]["survey-30"] == before[0]["sections"]["survey-30"]
    assert before[0]["sections"]["survey-30"]["respondents"] == {"n": 3, "value": 3}
    assert [p["start"] for p in before] == [START.date()]  # one quarter; no running totals


def test_the_statement_is_signed_by_the_issuer_and_tampering_shows(q1, settings):
    badge_class, scope, _ = q1
    settings.CREDPLUGIN_OUTCOMES_MIN_COHORT = 2
    call_command("credplugin_keys", "generate", verbosity=0)
    statements.roll_up(scope, now=SETTLED)
    signed = statements.statement(badge_class, scope)
    assert statements.verify_statement(signed) == (True, [])
    subject = signed["credentialSubject"]
    assert subject["type"] == "AggregateDataProfile"
    assert subject["id"] == f"urn:uuid:{badge_class.achievement_uuid}"
    (period,) = subject["dataSetTimePeriod"]
    assert (period["startDate"], period["endDate"]) == ("2026-01-01", "2026-03-31")
    programme = period["sections"][0]["figures"]
    earners = next(figure for figure in programme if figure["measure"] == "earners")
    assert earners == {
        "id": f"{period['id']}/programme/earners",
        "measure": "earners",
        "n": 4,
        "value": 4,
    }
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["dataSetTimePeriod"][0]["sections"][0]["figures"][0]["n"] = 40
    verified, reasons = statements.verify_statement(changed)
    assert not verified and reasons[0].startswith("proof:")


def test_the_javascript_verifier_accepts_the_statement(q1, settings, js_stack):  # noqa: F811
    badge_class, scope, _ = q1
    settings.CREDPLUGIN_OUTCOMES_MIN_COHORT = 2
    call_command("credplugin_keys", "generate", verbosity=0)
    statements.roll_up(scope, now=SETTLED)
    signed = statements.statement(badge_class, scope)
    did_document = issuance.issuer_did_document()
    answer = js_stack.verify(signed, did_documents=[did_document])
    assert answer.verified, answer.error
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["minimumCohort"] = 1
    assert not js_stack.verify(changed, did_documents=[did_document]).verified


def test_the_public_page_and_json_only_for_published_badges(client, q1, settings):
    badge_class, scope, _ = q1
    settings.CREDPLUGIN_OUTCOMES_MIN_COHORT = 4
    call_command("credplugin_keys", "generate", verbosity=0)
    page = reverse("credplugin:outcomes-page", args=[badge_class.uuid])
    statement = reverse("credplugin:outcomes-statement", args=[badge_class.uuid])
    assert client.get(page).status_code == 404
    OutcomePlan.objects.create(badge_class=badge_class, published=True)
    statements.roll_up(scope, now=SETTLED)
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row">Earners</th><td>4</td><td>4</td>' in html
    assert "not shown: fewer than 4 people" in html  # e.g. 1 of 4 revoked
    response = client.get(statement)
    assert response["Content-Type"] == "application/ld+json"
    assert statements.verify_statement(response.json())[0]
    with override_settings(CREDPLUGIN_OUTCOMES_MIN_COHORT=10):
        assert "<td>4</td><td>4</td>" not in client.get(page).content.decode()


def test_the_statement_is_signed_again_only_when_what_it_says_changes(client, q1, settings):
    badge_class, scope, _ = q1
    call_command("credplugin_keys", "generate", verbosity=0)
    OutcomePlan.objects.create(badge_class=badge_class, published=True)
    statement = reverse("credplugin:outcomes-statement", args=[badge_class.uuid])
    with time_machine.travel(SETTLED - timedelta(hours=2), tick=False):
        first = client.get(statement).json()
    with time_machine.travel(SETTLED - timedelta(minutes=90), tick=False):
        assert client.get(statement).json() == first  # nothing new: the same signature
    with time_machine.travel(SETTLED, tick=False):
        kept = client.get(statement).json()  # the programme figures became final
    assert len(kept["credentialSubject"]["dataSetTimePeriod"][0]["sections"]) == 2
    assert kept["proof"] != first["proof"] and statements.verify_statement(kept)[0]
    call_command("credplugin_keys", "rotate", verbosity=0)
    with time_machine.travel(SETTLED, tick=False):
        rotated = client.get(statement).json()
    assert rotated["proof"][0]["verificationMethod"] != kept["proof"][0]["verificationMethod"]


def test_a_site_that_moves_signs_its_statement_again(client, q1, settings):
    badge_class, _scope, _ = q1
    call_command("credplugin_keys", "generate", verbosity=0)
    OutcomePlan.objects.create(badge_class=badge_class, published=True)
    statement = reverse("credplugin:outcomes-statement", args=[badge_class.uuid])
    with time_machine.travel(SETTLED, tick=False):
        before = client.get(statement).json()
        settings.LMS_ROOT_URL = "https://moved.example.org"
        moved = client.get(statement).json()
    assert before["id"] != moved["id"]
    assert moved["id"].startswith("https://moved.example.org/")


def test_every_badge_page_of_the_achievement_links_to_its_outcomes(client, earn):
    badge = earn()
    page = reverse("credplugin:badge-page", args=[badge.uuid])
    outcomes = reverse("credplugin:outcomes-page", args=[badge.badge_class.uuid])
    assert outcomes not in client.get(page).content.decode()
    OutcomePlan.objects.create(badge_class=badge.badge_class, published=True)
    assert f'href="{outcomes}"' in client.get(page).content.decode()


def test_credentials_issued_once_outcomes_are_published_link_to_them(earn):
    before = earn()
    assert "related" not in before.credential["credentialSubject"]["achievement"]
    OutcomePlan.objects.create(badge_class=before.badge_class, published=True)
    badge = earn("grace")
    achievement = badge.credential["credentialSubject"]["achievement"]
    page = identity.public_url("outcomes-page", badge_class_uuid=str(badge.badge_class.uuid))
    assert page.endswith(reverse("credplugin:outcomes-page", args=[badge.badge_class.uuid]))
    assert achievement["related"] == [{"id": page, "type": ["Related"]}]
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(badge.credential)
    assert verify_stored_badge(badge).state == "verified"
    untyped = copy.deepcopy(badge.credential)
    del untyped["credentialSubject"]["achievement"]["related"][0]["type"]
    with pytest.raises(FormError):
        check_credential_form(untyped)
