"""The verifier's plain-form checks (ADR 0009): what they cost, and how fast the bomb is refused.

    .venv/bin/python bench/verify_checks.py [--seconds 3] [--json]

* checks: ``verify_credential`` as the verify API runs it (did:web resolved, its status list
  credential verified on every call) on the typical badge of ``bench/sign_verify.py``, with the
  plain-form checks and, call by call in between, without them: they may cost at most 10 % of
  the CPU throughput;
* bomb: how long each canonicalizer and ``verify_credential`` take to refuse the
  canonicalization bomb (k identical blank-node results in two subjects, and the
  same in the plain form) at k = 9 and 12, best of five (goal: under 100 ms).

``bench/sign_verify.py`` reports both too. Figures go to ``bench/results/verify_checks.json``.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path
from unittest import mock

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

# These imports need the repository on sys.path.
from credplugin.openbadges import proof, verify  # noqa: E402
from credplugin.openbadges.canonical import (  # noqa: E402
    CanonicalizationError,
    canonicalize,
    reference_canonicalize,
)
from credplugin.openbadges.did import did_document  # noqa: E402
from credplugin.openbadges.keys import generate_key  # noqa: E402
from credplugin.openbadges.status_list import StatusList, status_list_credential  # noqa: E402
from tests import attacks  # noqa: E402
from tests.openbadges.builders import DURING, STATUS_LIST_URL  # noqa: E402
from tests.openbadges.typical_badge import ISSUER_DID, typical_credential  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "verify_checks.json"
CHECKS_MAX_COST = 0.10
BOMB_GOAL_MS = 100
LEARNERS = 10


def measure_checks(seconds: float, documents: list, key) -> dict:
    """Full verifications per second with the plain-form checks, and without them.

    The two alternate call by call (the checks switched on and off in between), so a busy
    machine slows both alike; each call's wall-clock and CPU time is added to its side.
    """
    status_list = proof.sign_credential(
        status_list_credential(STATUS_LIST_URL, key.controller, StatusList()), key
    )
    documents_by_id = {
        key.controller: did_document(key.controller, [key.public_key_multibase]),
        STATUS_LIST_URL: status_list,
    }
    secured = [proof.sign_credential(document, key) for document in documents]
    checking = {"on": True}
    real = {"check_credential_form": verify.check_credential_form}
    real["check_status_list_form"] = verify.check_status_list_form

    def switchable(name):
        return lambda document: real[name](document) if checking["on"] else None

    def verify_one(document):
        if not verify.verify_credential(document, resolve=documents_by_id.get, now=DURING).verified:
            raise SystemExit(f"{document['id']} did not verify")

    sides = {True: [0.0, 0.0, 0], False: [0.0, 0.0, 0]}  # wall seconds, CPU seconds, calls
    with (
        mock.patch.object(verify, "check_credential_form", switchable("check_credential_form")),
        mock.patch.object(verify, "check_status_list_form", switchable("check_status_list_form")),
    ):
        for document in secured * 3:  # warm every cache both ways use
            verify_one(document)
        deadline = time.perf_counter() + 2 * seconds
        index = 0
        while time.perf_counter() < deadline:
            checking["on"] = index % 2 == 0
            wall, cpu = time.perf_counter(), time.process_time()
            verify_one(secured[(index // 2) % len(secured)])
            side = sides[checking["on"]]
            side[0] += time.perf_counter() - wall
            side[1] += time.process_time() - cpu
            side[2] += 1
            index += 1
    figures = {}
    for checks, (wall, cpu, calls) in sides.items():
        figures["with_checks" if checks else "without_checks"] = {
            "per_s": round(calls / wall, 1),
            "per_cpu_s": round(calls / cpu, 1),
            "calls": calls,
        }
    for measure in ("per_s", "per_cpu_s"):
        cost = 1 - figures["with_checks"][measure] / figures["without_checks"][measure]
        figures[f"cost_{measure}"] = round(cost, 3)
    figures["goal_met"] = figures["cost_per_cpu_s"] <= CHECKS_MAX_COST
    return figures


def measure_bomb() -> dict:
    """Milliseconds (best of 5) to refuse the canonicalization bomb, each way it can come."""
    key = generate_key()
    figures = {}
    for k in (9, 12):
        for name, bomb in (
            ("reported", attacks.canonicalization_bomb(key, k)),
            ("plain_form", attacks.plain_form_bomb(key, k)),
        ):
            unsecured = {field: value for field, value in bomb.items() if field != "proof"}
            ways = {
                "fast_canonicalize": lambda document=unsecured: _refusal(canonicalize, document),
                "reference_canonicalize": lambda document=unsecured: _refusal(
                    reference_canonicalize, document
                ),
                "verify_credential": lambda document=bomb: _refusal(_unverified, document),
            }
            for way, refuse in ways.items():
                best = math.inf
                for _ in range(5):
                    started = time.perf_counter()
                    refuse()
                    best = min(best, time.perf_counter() - started)
                figures[f"k{k}_{name}_{way}_ms"] = round(best * 1000, 2)
    figures["goal_met"] = all(value < BOMB_GOAL_MS for value in figures.values())
    return figures


def _refusal(operation, document) -> None:
    try:
        operation(document)
    except CanonicalizationError:
        return
    raise SystemExit("the canonicalization bomb was not refused")


def _unverified(document) -> None:
    if verify.verify_credential(document, now=DURING).verified:
        raise SystemExit("the canonicalization bomb verified")
    raise CanonicalizationError("refused")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timing window per side")
    parser.add_argument("--json", action="store_true", help="print the figures as one object")
    args = parser.parse_args(argv)
    key = generate_key(ISSUER_DID)
    documents = []
    for number in range(LEARNERS):
        document = typical_credential(status_index=number, learner=f"l{number}@example.org")
        document["id"] = f"urn:uuid:5b6f0b52-8f7e-4b8e-9d59-{number:012x}"
        documents.append(document)
    figures = {"checks": measure_checks(args.seconds, documents, key), "bomb": measure_bomb()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures) if args.json else json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
