"""Command line: ``python -m credplugin.openbadges keygen|sign|verify|bake|unbake``.

Also ``credplugin-verify`` (:func:`verify_main`), for anyone handed a badge file. Exit codes:
0 verified (or done), 1 not verified, 2 unusable input (missing, oversized, unreadable file,
bad arguments). A verified badge from an issuer not named with ``--trust`` is reported as
"signature intact, unknown issuer": the signature proves nothing about who holds the key.
"""

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from credplugin.openbadges.baking import (
    PNG_SIGNATURE,
    BakingError,
    bake_png,
    bake_svg,
    unbake_png,
    unbake_svg,
)
from credplugin.openbadges.canonical import CanonicalizationError
from credplugin.openbadges.clr import is_clr, verify_clr
from credplugin.openbadges.did import DidError, did_web_from_url
from credplugin.openbadges.keys import KeyFormatError, SigningKey, generate_key
from credplugin.openbadges.proof import ProofError, sign_credential
from credplugin.openbadges.report import TRUSTED, issuer_standing
from credplugin.openbadges.verify import verify_credential

MAX_INPUT_BYTES = 16 * 1024 * 1024
EXIT_OK, EXIT_NOT_VERIFIED, EXIT_UNUSABLE = 0, 1, 2
UTF8_BOM = b"\xef\xbb\xbf"


class UnusableInput(Exception):
    """The command cannot run on what it was given; the message says why."""


def read_bytes(path: str) -> bytes:
    """Read a file, refusing missing or oversized ones before reading them."""
    try:
        size = os.stat(path).st_size
        if size > MAX_INPUT_BYTES:
            raise UnusableInput(f"{path}: {size} bytes is over the {MAX_INPUT_BYTES} byte limit")
        return Path(path).read_bytes()
    except OSError as error:
        raise UnusableInput(f"{path}: {error.strerror or error}") from error


def read_json(path: str) -> dict:
    """Read a JSON object from ``path``."""
    try:
        data = json.loads(read_bytes(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise UnusableInput(f"{path}: not valid JSON ({error})") from error
    if not isinstance(data, dict):
        raise UnusableInput(f"{path}: expected a JSON object")
    return data


def read_credential(path: str):
    """The credential in a JSON file or baked into a PNG or SVG image."""
    data = read_bytes(path)
    try:
        if data.startswith(PNG_SIGNATURE):
            return unbake_png(data)
        if data.removeprefix(UTF8_BOM).lstrip().startswith(b"<"):
            return unbake_svg(data)
        return json.loads(data.decode("utf-8-sig"))
    except BakingError as error:
        raise UnusableInput(f"{path}: {error}") from error
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise UnusableInput(f"{path}: neither JSON nor a baked PNG/SVG ({error})") from error


def parse_now(text: str | None) -> datetime | None:
    """``--now`` as an aware datetime."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise UnusableInput(f"--now {text!r} is not an ISO 8601 date-time") from error
    if moment.tzinfo is None:
        raise UnusableInput("--now needs a timezone, e.g. 2025-01-01T00:00:00Z")
    return moment


def file_resolver(did_doc_paths, status_list_paths):
    """A ``resolve`` callable serving the DID documents and status lists given as files."""
    documents = {}
    for path in [*did_doc_paths, *status_list_paths]:
        document = read_json(path)
        documents[document.get("id")] = document

    def resolve(identifier: str) -> dict:
        if identifier not in documents:
            raise LookupError(f"{identifier} was not given (use --did-doc / --status-list)")
        return documents[identifier]

    return resolve


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="credential JSON, or a baked PNG or SVG badge")
    parser.add_argument("--did-doc", action="append", default=[], help="did:web DID document")
    parser.add_argument(
        "--status-list", action="append", default=[], help="status list credential JSON"
    )
    parser.add_argument("--now", help="judge validity at this ISO 8601 date-time")
    parser.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="DID",
        help="an issuer DID you trust (repeatable); any other issuer is reported as unknown",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run_verify(args) -> int:
    credential = read_credential(args.file)
    resolve = file_resolver(args.did_doc, args.status_list)
    if is_clr(credential):
        return _report_record(
            verify_clr(credential, resolve=resolve, now=parse_now(args.now)), args
        )
    report = verify_credential(credential, resolve=resolve, now=parse_now(args.now))
    standing = issuer_standing(report, trusted=set(args.trust))
    if args.json:
        issuer = None
        if standing is not None:
            issuer = {
                "id": report.facts.issuer_id,
                "name": report.facts.issuer_name,
                "standing": standing,
            }
        print(json.dumps({**report.to_json(), "issuer": issuer}, indent=2))
    else:
        print(_headline(report, standing))
        if standing is not None:
            print(f"  issuer: {_issuer_line(report.facts, standing)}")
        for check in report.checks:
            print(f"  {'PASS' if check.passed else 'FAIL'} {check.name}: {check.reason}")
    return EXIT_OK if report.verified else EXIT_NOT_VERIFIED


def _headline(report, standing) -> str:
    if not report.verified:
        return f"NOT VERIFIED: {report.first_failure.reason}"
    if standing == TRUSTED:
        return "VERIFIED: issued by an issuer you trust"
    return "VERIFIED: signature intact, unknown issuer"


def _issuer_line(facts, standing) -> str:
    named = f"{facts.issuer_id} ({facts.issuer_name})" if facts.issuer_name else facts.issuer_id
    if standing == TRUSTED:
        return f"{named}, which you trust"
    return (
        f"{named}, not one you trust (--trust DID): the signature shows only that the badge "
        "is intact and was signed with this DID's key, not who controls it"
    )


def _report_record(report, args) -> int:
    """A CLR learner record: the record's checks, then each badge inside it."""
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print("VERIFIED" if report.verified else "NOT VERIFIED", "(learner record)")
        for check in report.checks:
            print(f"  {'PASS' if check.passed else 'FAIL'} {check.name}: {check.reason}")
        for credential_id, badge_report in report.badges:
            verdict = "VERIFIED" if badge_report.verified else "NOT VERIFIED"
            print(f"  badge {credential_id}: {verdict}")
            for check in badge_report.checks:
                if not check.passed:
                    print(f"    FAIL {check.name}: {check.reason}")
    return EXIT_OK if report.verified else EXIT_NOT_VERIFIED


def run_keygen(args) -> int:
    controller = did_web_from_url(args.did_web) if args.did_web else None
    key = generate_key(controller)
    text = json.dumps(key.to_json(), indent=2) + "\n"
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if args.force else os.O_EXCL)
    try:
        descriptor = os.open(args.out, flags, 0o600)
    except FileExistsError as error:
        raise UnusableInput(f"{args.out} exists; use --force to replace it") from error
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(args.out, 0o600)
    print(f"{key.verification_method}\nwritten to {args.out} (mode 0600)")
    return EXIT_OK


def load_key(path: str) -> SigningKey:
    try:
        return SigningKey.from_json(read_json(path))
    except KeyFormatError as error:
        raise UnusableInput(f"{path}: {error}") from error


def write_output(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def run_sign(args) -> int:
    key = load_key(args.key)
    document = read_json(args.file)
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != key.controller:
        raise UnusableInput(
            f"the document's issuer {issuer_id!r} is not the key's controller {key.controller}"
        )
    created = parse_now(args.created)
    try:
        signed = sign_credential(document, key, created=created)
    except (ProofError, CanonicalizationError) as error:
        raise UnusableInput(f"{args.file}: cannot sign: {error}") from error
    write_output(json.dumps(signed, indent=2, ensure_ascii=False) + "\n", args.out)
    return EXIT_OK


def run_bake(args) -> int:
    image = read_bytes(args.image)
    credential = read_json(args.credential)
    try:
        if image.startswith(PNG_SIGNATURE):
            Path(args.out).write_bytes(bake_png(image, credential))
        else:
            Path(args.out).write_text(bake_svg(image, credential), encoding="utf-8")
    except BakingError as error:
        raise UnusableInput(f"{args.image}: {error}") from error
    return EXIT_OK


def run_unbake(args) -> int:
    credential = read_credential(args.image)
    write_output(json.dumps(credential, indent=2, ensure_ascii=False) + "\n", args.out)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m credplugin.openbadges",
        description="Open Badges 3.0: keys, eddsa-rdfc-2022 signing, verification, baking.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    keygen = commands.add_parser("keygen", help="create an Ed25519 key file (mode 0600)")
    keygen.add_argument("--out", required=True, help="key file to write")
    keygen.add_argument("--did-web", metavar="SITE_URL", help="publish under this site's did:web")
    keygen.add_argument("--force", action="store_true", help="replace an existing key file")
    keygen.set_defaults(run=run_keygen)

    sign = commands.add_parser("sign", help="sign a credential as the key's DID")
    sign.add_argument("--key", required=True, help="key file written by keygen")
    sign.add_argument("--created", help="proof creation time (ISO 8601, default now)")
    sign.add_argument("--out", help="write here instead of standard output")
    sign.add_argument("file", help="unsigned credential JSON")
    sign.set_defaults(run=run_sign)

    verify = commands.add_parser("verify", help="verify a credential offline")
    add_verify_arguments(verify)
    verify.set_defaults(run=run_verify)

    bake = commands.add_parser("bake", help="bake a credential into a PNG or SVG")
    bake.add_argument("image")
    bake.add_argument("credential")
    bake.add_argument("--out", required=True)
    bake.set_defaults(run=run_bake)

    unbake = commands.add_parser("unbake", help="extract the credential from a PNG or SVG")
    unbake.add_argument("image")
    unbake.add_argument("--out", help="write here instead of standard output")
    unbake.set_defaults(run=run_unbake)
    return parser


def _dispatch(parser: argparse.ArgumentParser, argv) -> int:
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_UNUSABLE
    try:
        return args.run(args)
    except (UnusableInput, DidError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNUSABLE


def main(argv=None) -> int:
    """``python -m credplugin.openbadges``."""
    return _dispatch(build_parser(), argv)


def verify_main(argv=None) -> int:
    """``credplugin-verify FILE [--did-doc FILE] [--status-list FILE] [--now ISO] [--json]``."""
    parser = argparse.ArgumentParser(
        prog="credplugin-verify", description="Verify an Open Badges 3.0 credential offline."
    )
    add_verify_arguments(parser)
    parser.set_defaults(run=run_verify)
    return _dispatch(parser, argv)
