"""From a verification report to the one verdict a page shows."""

from datetime import UTC, datetime

import pytest

from credplugin.openbadges import Check, VerificationReport
from credplugin.openbadges.verify import CHECK_NAMES
from credplugin.presentation.verdicts import Verdict, verdict_from_report

NOW = datetime(2027, 6, 1, tzinfo=UTC)


def _report(status_set=None, outside=None, **failures):
    """A report failing the named checks; ``status_set`` as the verifier reports a set bit,
    ``outside`` the side of the validity period a failed validity check found."""
    return VerificationReport(
        Check(
            name,
            name not in failures,
            failures.get(name, "fine"),
            status_set if name == "status" else None,
            outside if name == "validity" else None,
        )
        for name in CHECK_NAMES
    )


def test_every_check_passing_is_verified():
    assert verdict_from_report(_report()) == "verified"


@pytest.mark.parametrize("name", ["structure", "proof", "issuer", "proof_purpose"])
def test_an_authenticity_failure_is_invalid_even_if_also_expired(name):
    report = _report(**{name: "bad", "validity": "expired on 2027-01-01"})
    assert verdict_from_report(report) == "invalid"


def test_revocation_outranks_expiry():
    report = _report(
        status="the credential has been revoked", status_set="revocation", validity="expired"
    )
    assert verdict_from_report(report) == "revoked"


def test_suspension_list_hit_is_suspended():
    report = _report(status="the credential has been suspended", status_set="suspension")
    assert verdict_from_report(report) == "suspended"


@pytest.mark.parametrize(
    "reason",
    [
        "https://elsewhere.example/list is not an allowed host",
        "https://elsewhere.example/revoked-and-suspended.json could not be fetched",
    ],
)
def test_an_unreachable_status_list_is_not_verified(reason):
    assert verdict_from_report(_report(status=reason)) == "invalid"


def test_validity_failure_after_the_end_is_expired():
    assert verdict_from_report(_report(validity="x", outside="after")) == "expired"


def test_validity_failure_before_the_start_is_not_yet_valid():
    assert verdict_from_report(_report(validity="x", outside="before")) == "not_yet_valid"


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


def test_unreadable_dates_are_not_verified():
    assert verdict_from_report(_report(validity="validFrom '2026-01-01T00:00:00' …")) == "invalid"


def test_checks_after_a_failed_signature_judged_nothing():
    verdict = Verdict("invalid", _report(proof="the signature does not match"), NOW)
    outcomes = {check["name"]: check["outcome"] for check in verdict.checks}
    assert outcomes == {
        "structure": "passed",
        "proof": "failed",
        "issuer": "not_judged",
        "proof_purpose": "not_judged",
        "validity": "not_judged",
        "status": "not_judged",
    }
    assert verdict.reason == "the signature does not match"
    assert verdict.as_dict()["issuer"] is None
