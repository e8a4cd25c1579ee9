"""A retired learner's survey data is erased; published counts and the badge remain."""

import sys
import types
from datetime import timedelta

import pytest
from django.dispatch import Signal

from credplugin import api
from credplugin.models import (
    IssuedBadge,
    OutcomeSnapshot,
    SurveyInvitation,
    SurveyOptOut,
    SurveyResponse,
)
from credplugin.outcomes import retirement, statements
from credplugin.outcomes.figures import Scope
from tests.credplugin.outcomes.test_statements import answer

pytestmark = pytest.mark.django_db


def test_retirement_erases_answers_but_not_counts_nor_the_credential(earn, settings):
    settings.CREDPLUGIN_SURVEY_DAYS = [30]
    ada = earn("ada")
    grace = earn("grace")
    answer(ada, comment="My manager is Bob.")
    answer(grace)
    SurveyOptOut.objects.create(user=ada.user)
    scope = Scope.achievement(ada.badge_class.achievement_uuid)
    final = ada.issued_at + timedelta(days=365)
    statements.roll_up(scope, now=final)
    kept = OutcomeSnapshot.objects.filter(
        section="survey-30", period_start=statements.quarter_of(ada.issued_at)
    )
    counted = kept.get().figures["respondents"]
    assert counted == {"n": 2, "value": 2}

    assert retirement.retire_learner(ada.user_id) == 3
    assert not SurveyResponse.objects.filter(invitation__badge__user=ada.user).exists()
    assert not SurveyInvitation.objects.filter(badge__user=ada.user).exists()
    assert not SurveyOptOut.objects.exists()
    assert SurveyResponse.objects.count() == 1  # grace's
    statements.roll_up(scope, now=final + timedelta(days=1))
    assert kept.get().figures["respondents"] == counted
    assert api.get_public_badge(str(ada.uuid))  # the credential still verifies and is served
    assert IssuedBadge.objects.filter(pk=ada.pk).exists()


def test_the_platform_retirement_signal_reaches_it(earn, monkeypatch):
    signal = Signal()
    names = retirement.RETIREMENT_SIGNAL.rsplit(".", 1)[0].split(".")
    for depth in range(1, len(names) + 1):
        module = types.ModuleType(".".join(names[:depth]))
        monkeypatch.setitem(sys.modules, module.__name__, module)
    sys.modules[".".join(names)].USER_RETIRE_LMS_MISC = signal
    ada = earn("ada")
    answer(ada)
    assert retirement.connect()
    signal.send(sender=None, user=ada.user)
    assert not SurveyResponse.objects.exists()
    signal.disconnect(dispatch_uid="credplugin.outcomes.retirement")


def test_outside_the_platform_there_is_no_signal_to_hear():
    assert retirement.connect() is False
