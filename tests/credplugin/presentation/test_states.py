"""A listed badge's state from its stored status and expiry."""

from datetime import timedelta

from django.utils import timezone

from credplugin.models import IssuedBadge
from credplugin.presentation.states import badge_state


def _badge(status=IssuedBadge.Status.ACTIVE, valid_until=None):
    return IssuedBadge(status=status, valid_until=valid_until)


def test_active_without_expiry():
    assert badge_state(_badge()) == "active"


def test_past_expiry_is_expired_and_future_is_active():
    now = timezone.now()
    assert badge_state(_badge(valid_until=now - timedelta(seconds=1)), now) == "expired"
    assert badge_state(_badge(valid_until=now + timedelta(days=1)), now) == "active"


def test_revocation_and_suspension_outrank_expiry():
    past = timezone.now() - timedelta(days=1)
    assert badge_state(_badge(IssuedBadge.Status.REVOKED, past)) == "revoked"
    assert badge_state(_badge(IssuedBadge.Status.SUSPENDED, past)) == "suspended"
