"""The operator's commands: keys, sweep, backfill, revoke, verify."""

import json
import struct
import zlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credplugin import api
from credplugin.issuer import keys
from credplugin.models import CoursePassingRecord, IssuanceRequest, IssuedBadge, IssuerKey
from credplugin.openbadges import bake_png, generate_key
from tests import attacks
from tests.factories import (
    COURSE_KEY,
    BadgeRequirementFactory,
    CoursePassingRecordFactory,
    UserFactory,
    learner_meeting,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_keys_generate_list_rotate_and_export_without_private_material():
    assert "Generated signing key z6Mk" in run("credplugin_keys", "generate")
    with pytest.raises(CommandError, match="rotate"):
        run("credplugin_keys", "generate")
    run("credplugin_keys", "rotate")
    listing = run("credplugin_keys", "list")
    assert listing.count("z6Mk") == 2 and "active" in listing and "retired" in listing
    document = json.loads(run("credplugin_keys", "export-public"))
    assert len(document["verificationMethod"]) == 2
    active = IssuerKey.objects.get(active=True).public_key_multibase
    assert run("credplugin_keys", "export-public", "--multibase").strip() == active
    for output in (listing, json.dumps(document)):
        assert "PRIVATE" not in output and "privateKey" not in output


def test_waiting_awards_are_issued_after_generate_and_sweep():
    requirement = BadgeRequirementFactory()
    users = [learner_meeting(requirement) for _ in range(3)]
    for user in users:
        IssuanceRequest.objects.create(user=user, badge_class=requirement.badge_class)
    run("credplugin_sweep", "--older-than", "0", "--inline")
    assert set(IssuanceRequest.objects.values_list("status", flat=True)) == {"waiting"}
    assert "3 award(s) waited" in run("credplugin_keys", "generate")
    assert "3 issuance request(s)" in run("credplugin_sweep", "--inline")
    assert IssuedBadge.objects.count() == 3


def test_backfill_dry_run_changes_nothing_and_a_rerun_does_nothing_more(
    django_capture_on_commit_callbacks,
):
    keys.generate()
    requirement = BadgeRequirementFactory()
    passed = [learner_meeting(requirement) for _ in range(3)]
    for user in passed:
        CoursePassingRecordFactory(user=user)
    CoursePassingRecordFactory(user=UserFactory())  # passed, but never did the project
    output = run("credplugin_backfill", "--course", str(COURSE_KEY), "--dry-run")
    assert "3 of 4 passing learner(s) would be awarded" in output
    assert not IssuanceRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        output = run("credplugin_backfill", "--course", str(COURSE_KEY))
    assert "learners [" in output and "Requested badges for 3 of 4" in output
    assert IssuedBadge.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert "for 0 of 4" in run("credplugin_backfill", "--course", str(COURSE_KEY))
    assert IssuedBadge.objects.count() == 3
    with pytest.raises(CommandError, match="not a course key"):
        run("credplugin_backfill", "--course", "nonsense")


def issued_badge(django_capture_on_commit_callbacks):
    keys.generate()
    user = learner_meeting(BadgeRequirementFactory())
    CoursePassingRecord.objects.create(user=user, course_key=COURSE_KEY, is_passing=True)
    with django_capture_on_commit_callbacks(execute=True):
        api.evaluate(user.id, COURSE_KEY)
    return IssuedBadge.objects.get()


def test_revoke_and_verify_a_stored_badge(django_capture_on_commit_callbacks):
    badge = issued_badge(django_capture_on_commit_callbacks)
    staff = UserFactory(username="operator", is_staff=True)
    assert "The badge verifies" in run("credplugin_verify", "--uuid", str(badge.uuid))
    output = run("credplugin_revoke", str(badge.uuid), "--reason", "Fraud", "--actor", "operator")
    assert "is now revoked" in output
    badge.refresh_from_db()
    assert badge.status_changed_by == staff
    with pytest.raises(CommandError, match="does not verify"):
        run("credplugin_verify", "--uuid", str(badge.uuid))
    with pytest.raises(CommandError, match="already revoked"):
        run("credplugin_revoke", str(badge.uuid), "--reason", "again")
    with pytest.raises(CommandError, match="No user"):
        run("credplugin_revoke", str(badge.uuid), "--reason", "x", "--actor", "nobody")


def test_verify_reads_json_and_baked_png_files(tmp_path, django_capture_on_commit_callbacks):
    badge = issued_badge(django_capture_on_commit_callbacks)
    as_json = tmp_path / "badge.json"
    as_json.write_text(json.dumps(badge.credential))
    report = json.loads(run("credplugin_verify", "--file", str(as_json), "--json"))
    assert report["verified"] is True
    png = tmp_path / "badge.png"
    png.write_bytes(bake_png(_tiny_png(), badge.credential))
    assert "The badge verifies" in run("credplugin_verify", "--file", str(png))
    tampered = dict(badge.credential, name="Something else")
    as_json.write_text(json.dumps(tampered))
    with pytest.raises(CommandError, match="does not verify"):
        run("credplugin_verify", "--file", str(as_json))
    with pytest.raises(CommandError, match="cannot be read"):
        run("credplugin_verify", "--file", str(tmp_path / "missing.json"))


def test_verify_names_a_strangers_badge_as_such(tmp_path, django_capture_on_commit_callbacks):
    badge = issued_badge(django_capture_on_commit_callbacks)
    assert "issued by this site" in run("credplugin_verify", "--uuid", str(badge.uuid))
    forged = attacks.stranger_as_site(badge.credential, generate_key(), "Our own name")
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    output = run("credplugin_verify", "--file", str(path))
    assert "The signature is intact, but did:key:" in output
    assert "nothing shows who controls its key" in output
    path.write_text("[" * 100_000)
    with pytest.raises(CommandError, match="holds no readable credential"):
        run("credplugin_verify", "--file", str(path))


def _tiny_png():
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
