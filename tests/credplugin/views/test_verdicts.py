"""From a verification report to the one verdict a page shows."""

from datetime import UTC, datetime

import pytest

from credplugin.openbadges import Check, VerificationReport
from credplugin.openbadges.verify import CHECK_NAMES
from credplugin.views.verdicts import Verdict, verdict_from_report

NOW = datetime(2027, 6, 1, tzinfo=UTC)
CREDENTIAL = {"validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z"}


def _report(status_set=None, **failures):
    """A report failing the named checks; ``status_set`` as the verifier reports a set bit."""
    return VerificationReport(
        Check(
            name,
            name not in failures,
            failures.get(name, "fine"),
            status_set if name == "status" else None,
        )
        for name in CHECK_NAMES
    )


def test_every_check_passing_is_verified():
    assert verdict_from_report(_report(), CREDENTIAL, NOW) == "verified"


@pytest.mark.parametrize("name", ["structure", "proof", "issuer", "proof_purpose"])
def test_an_authenticity_failure_is_invalid_even_if_also_expired(name):
    report = _report(**{name: "bad", "validity": "expired on 2027-01-01"})
    assert verdict_from_report(report, CREDENTIAL, NOW) == "invalid"


def test_revocation_outranks_expiry():
    report = _report(
        status="the credential has been revoked", status_set="revocation", validity="expired"
    )
    assert verdict_from_report(report, CREDENTIAL, NOW) == "revoked"


def test_suspension_list_hit_is_suspended():
    report = _report(status="the credential has been suspended", status_set="suspension")
    assert verdict_from_report(report, CREDENTIAL, NOW) == "suspended"


@pytest.mark.parametrize(
    "reason",
    [
        "https://elsewhere.example/list is not an allowed host",
        "https://elsewhere.example/revoked-and-suspended.json could not be fetched",
    ],
)
def test_an_unreachable_status_list_is_not_verified(reason):
    assert verdict_from_report(_report(status=reason), CREDENTIAL, NOW) == "invalid"


def test_validity_failure_after_the_end_is_expired():
    assert verdict_from_report(_report(validity="x"), CREDENTIAL, NOW) == "expired"


def test_validity_failure_before_the_start_is_not_yet_valid():
    early = datetime(2025, 1, 1, tzinfo=UTC)
    assert verdict_from_report(_report(validity="x"), CREDENTIAL, early) == "not_yet_valid"


def test_report_json_keeps_the_library_fields_and_adds_the_verdict():
    report = _report(status="the credential has been revoked")
    data = Verdict("revoked", report, NOW, "fraud").as_dict()
    assert data["verdict"] == "revoked"
    assert data["verified"] is False
    assert data["label"] == "Revoked"
    assert data["checked_at"] == NOW.isoformat()
    status = next(check for check in data["checks"] if check["name"] == "status")
    assert status["passed"] is False
    assert status["reason"] == "the credential has been revoked"
    assert isinstance(status["label"], str)
