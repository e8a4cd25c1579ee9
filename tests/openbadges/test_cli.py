"""``python -m credplugin.openbadges`` and ``credplugin-verify``: output and exit codes."""

import json
import os
import stat
import subprocess
import sys

import pytest

from credplugin.openbadges import (
    SigningKey,
    StatusList,
    did_document,
    generate_key,
    sign_credential,
    status_list_credential,
)
from credplugin.openbadges.cli import MAX_INPUT_BYTES, main, verify_main
from tests import attacks
from tests.openbadges import builders
from tests.openbadges.test_baking import SVG, tiny_png

NOW = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_json(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def key_file(workdir, capsys):
    assert main(["keygen", "--out", "key.json", "--did-web", builders.SITE]) == 0
    capsys.readouterr()
    return workdir / "key.json"


def test_keygen_writes_a_private_key_file(key_file):
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    data = json.loads(key_file.read_text())
    assert data["did"] == "did:web:lms.example.com"
    assert data["verificationMethod"] == f"{data['did']}#{data['publicKeyMultibase']}"
    assert data["privateKeyMultibase"].startswith("z")


def test_keygen_does_not_overwrite_without_force(key_file, capsys):
    assert main(["keygen", "--out", str(key_file)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["keygen", "--out", str(key_file), "--force"]) == 0
    assert json.loads(key_file.read_text())["did"].startswith("did:key:")


def sign_with_cli(workdir, key_file, status_index=None):
    unsigned = builders.credential("did:web:lms.example.com", status_index=status_index).to_json()
    source = write_json(workdir / "unsigned.json", unsigned)
    assert main(["sign", "--key", str(key_file), "--out", "signed.json", source]) == 0
    return workdir / "signed.json"


def did_document_file(workdir, key_file):
    key = json.loads(key_file.read_text())
    return write_json(workdir / "did.json", did_document(key["did"], [key["publicKeyMultibase"]]))


def test_sign_then_verify_with_did_doc_and_status_list(workdir, key_file, capsys):
    signed = sign_with_cli(workdir, key_file, status_index=4)
    key = SigningKey.from_json(json.loads(key_file.read_text()))
    revoked_bits = StatusList()
    revoked_bits.set(4)
    lists = {}
    for name, bits in (("ok", StatusList()), ("revoked", revoked_bits)):
        unsigned = status_list_credential(builders.STATUS_LIST_URL, key.controller, bits)
        lists[name] = write_json(workdir / f"{name}.json", sign_credential(unsigned, key))
    did_doc = did_document_file(workdir, key_file)
    args = [str(signed), "--did-doc", did_doc, "--now", NOW]
    assert verify_main([*args, "--status-list", lists["ok"], "--trust", key.controller]) == 0
    assert capsys.readouterr().out.startswith(
        "VERIFIED: issued by an issuer you trust\n"
        "  issuer: did:web:lms.example.com (Example University), which you trust\n"
        "  PASS structure"
    )
    assert verify_main([*args, "--status-list", lists["revoked"], "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["verified"] is False
    assert [c["name"] for c in report["checks"] if not c["passed"]] == ["status"]
    assert verify_main(args) == 1
    assert "was not given" in capsys.readouterr().out


def test_sign_refuses_a_document_from_another_issuer(workdir, key_file, capsys):
    unsigned = builders.credential("did:web:other.example.org").to_json()
    source = write_json(workdir / "unsigned.json", unsigned)
    assert main(["sign", "--key", str(key_file), source]) == 2
    assert "is not the key's controller did:web:lms.example.com" in capsys.readouterr().err


def test_sign_refuses_undefined_terms(workdir, key_file, capsys):
    unsigned = {**builders.credential("did:web:lms.example.com").to_json(), "colour": "red"}
    assert main(["sign", "--key", str(key_file), write_json(workdir / "u.json", unsigned)]) == 2
    assert "colour" in capsys.readouterr().err


def test_tampered_credential_exits_1(workdir, key_file, capsys):
    signed = json.loads(sign_with_cli(workdir, key_file).read_text())
    signed["name"] = "Something else"
    tampered = write_json(workdir / "tampered.json", signed)
    assert verify_main([tampered, "--did-doc", did_document_file(workdir, key_file)]) == 1
    assert "FAIL proof" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "neither JSON"),
        (b"\x89PNG\r\n\x1a\n garbage", "PNG"),
        (b"<svg", "SVG"),
        (b"\xff\xfe\x00", "neither JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "neither JSON"),
    ],
)
def test_unusable_files_exit_2(workdir, capsys, content, message):
    (workdir / "bad").write_bytes(content)
    assert verify_main(["bad"]) == 2
    assert message in capsys.readouterr().err


def test_wrong_json_types_give_a_report_and_exit_1(workdir, capsys):
    assert verify_main([write_json(workdir / "list.json", {"@context": 5, "proof": []})]) == 1
    assert "FAIL structure" in capsys.readouterr().out


def test_oversized_and_missing_files_exit_2(workdir, capsys):
    with open(workdir / "huge.json", "wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    assert verify_main(["huge.json"]) == 2
    assert "limit" in capsys.readouterr().err
    assert verify_main(["missing.json"]) == 2
    assert verify_main(["x.json", "--now", "tomorrow"]) == 2
    assert verify_main([]) == 2


def test_bake_unbake_and_verify_baked_images(workdir, key_file, capsys):
    signed = str(sign_with_cli(workdir, key_file))
    (workdir / "badge.png").write_bytes(tiny_png())
    (workdir / "badge.svg").write_text(SVG, encoding="utf-8")
    did_doc = did_document_file(workdir, key_file)
    (workdir / "bom.svg").write_bytes(b"\xef\xbb\xbf" + SVG.encode())
    for image in ("badge.png", "badge.svg", "bom.svg"):
        baked = f"baked-{image}"
        assert main(["bake", image, signed, "--out", baked]) == 0
        assert verify_main([baked, "--did-doc", did_doc, "--now", NOW]) == 0
        capsys.readouterr()
        assert main(["unbake", baked]) == 0
        assert json.loads(capsys.readouterr().out) == json.loads((workdir / signed).read_text())
    assert main(["unbake", "badge.png"]) == 2
    assert "no baked credential" in capsys.readouterr().err


def test_module_entry_point_runs(workdir):
    result = subprocess.run(
        [sys.executable, "-m", "credplugin.openbadges", "verify", "nothing.json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert result.returncode == 2
    assert "nothing.json" in result.stderr


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda proofs: proofs.append(dict(proofs[0])), "exactly one proof"),
        (lambda proofs: proofs[0].update(cryptosuite="bbs-2023"), "unsupported cryptosuite"),
        (lambda proofs: proofs.clear(), "exactly one proof"),
    ],
)
def test_bad_proofs_exit_1_with_the_reason(workdir, key_file, capsys, mutate, reason):
    signed = json.loads(sign_with_cli(workdir, key_file).read_text())
    mutate(signed["proof"])
    path = write_json(workdir / "bad-proof.json", signed)
    assert verify_main([path, "--did-doc", did_document_file(workdir, key_file), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert reason in next(c["reason"] for c in report["checks"] if c["name"] == "proof")


@pytest.fixture
def revoked_files(workdir, key_file):
    """A signed badge at status index 4, the DID document and a list with bit 4 set."""
    signed = json.loads(sign_with_cli(workdir, key_file, status_index=4).read_text())
    key = SigningKey.from_json(json.loads(key_file.read_text()))
    bits = StatusList()
    bits.set(4)
    unsigned = status_list_credential(builders.STATUS_LIST_URL, key.controller, bits)
    revoked_list = write_json(workdir / "revoked.json", sign_credential(unsigned, key))
    options = ["--did-doc", did_document_file(workdir, key_file), "--status-list", revoked_list]
    return signed, [*options, "--now", NOW, "--trust", key.controller]


@pytest.mark.parametrize(
    "rewrite",
    [attacks.status_behind_iri, attacks.expiry_behind_value_object, attacks.fake_name_in_index],
    ids=["status-iri", "expiry-value-object", "name-in-index"],
)
def test_attacks_1_and_2_rewritten_badges_are_not_verified(workdir, capsys, revoked_files, rewrite):
    signed, options = revoked_files
    assert verify_main([*options, write_json(workdir / "original.json", signed)]) == 1
    assert "has been revoked" in capsys.readouterr().out
    rewritten = write_json(workdir / "rewritten.json", rewrite(signed))
    assert verify_main([rewritten, *options]) == 1
    out = capsys.readouterr().out
    assert out.startswith("NOT VERIFIED: not in the plain Open Badges 3.0 form")
    assert attacks.FAKE_NAME not in out


@pytest.mark.parametrize("k", [9, 12])
def test_attack_3_the_canonicalization_bomb_exits_1_with_a_reason(workdir, capsys, k):
    key = generate_key()
    for bomb in (attacks.canonicalization_bomb(key, k), attacks.plain_form_bomb(key, k)):
        assert verify_main([write_json(workdir / "bomb.json", bomb)]) == 1
        headline = capsys.readouterr().out.splitlines()[0]
        assert "plain Open Badges 3.0 form" in headline or "the work limit" in headline


def test_attack_4_a_stranger_under_a_trusted_name_is_an_unknown_issuer(workdir, capsys, signed):
    stranger = generate_key()
    forged = attacks.stranger_as_site(signed, stranger, "Example University")
    path = write_json(workdir / "forged.json", forged)
    assert verify_main([path, "--trust", "did:web:lms.example.com", "--now", NOW]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "VERIFIED: signature intact, unknown issuer"
    assert lines[1].startswith(f"  issuer: {stranger.controller} (Example University), not one")
    assert verify_main([path, "--now", NOW, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["issuer"]["standing"] == "unknown"


def test_a_naive_valid_from_and_a_lone_surrogate_are_reasons(workdir, capsys):
    key = generate_key()
    naive = sign_credential({**attacks.unsigned_badge(key), "validFrom": "2025-01-01T00:00"}, key)
    assert verify_main([write_json(workdir / "naive.json", naive)]) == 1
    assert "not a dateTime with a timezone" in capsys.readouterr().out
    (workdir / "surrogate.json").write_text('{"name": "\\ud800"}', encoding="utf-8")
    assert verify_main(["surrogate.json"]) == 1
    assert capsys.readouterr().out.startswith("NOT VERIFIED: not in the plain")
