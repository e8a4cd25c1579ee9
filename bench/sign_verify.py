"""Signs and verifies per second of the typical badge: fast path, pyld reference, JavaScript.

    .venv/bin/python bench/sign_verify.py [--seconds 3] [--memory-signs 100000] [--json]

One Python process, one thread; node likewise. Figures are given per wall-clock second and per
second of the process's own CPU time: the second is what one core does even when the machine is
busy with other work (the load average is recorded). The credential is the typical badge
(``tests/openbadges/typical_badge.py``: 5 competencies, 5 rubric criteria × 4 levels, an ethics
score, evidence, a status entry, a did:web issuer), one per learner: the learners differ (id,
hashed e-mail, status index), the badge class is shared, as in a real issuance wave.

* fast: ``sign_credential`` / ``verify_signature`` as shipped (canonicalize() takes the fast
  path);
* reference: the same calls with canonicalization forced through pyld
  (``reference_canonicalize``), the baseline measured in the same run;
* javascript: ``tests/js/bench.mjs`` (Digital Bazaar / DCC stack, ``vc.issue`` and
  ``vc.verifyCredential`` with a no-op status check), when node and its modules are present.

A breakdown of one fast sign (CPU µs per step) shows where the remaining time goes.

* checks and bomb: ``verify_credential`` with and without the plain-form checks, and the
  canonicalization bomb's refusal times (``bench/verify_checks.py``, which also runs alone).

Before timing, the fast and reference paths sign the same credentials with the same ``created``
and must produce identical proofValues. ``--memory-signs`` then signs that many distinct
credentials on the fast path and reports the resident set size before, during and after.

Figures go to ``bench/results/sign_verify.json``; ``--json`` also prints them.
"""

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

# These imports need the repository on sys.path.
from bench.verify_checks import CHECKS_MAX_COST, measure_bomb, measure_checks  # noqa: E402
from credplugin.openbadges import proof  # noqa: E402
from credplugin.openbadges.canonical import canonicalize, reference_canonicalize  # noqa: E402
from credplugin.openbadges.did import did_document  # noqa: E402
from credplugin.openbadges.fastcanon.emit import document_quads  # noqa: E402
from credplugin.openbadges.keys import generate_key  # noqa: E402
from tests.openbadges.typical_badge import ISSUER_DID, typical_credential  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "sign_verify.json"
JS_BENCH = REPO_ROOT / "tests" / "js" / "bench.mjs"
JS_MODULES = REPO_ROOT / "tests" / "js" / "node_modules" / "@digitalbazaar" / "vc"
GOAL_PER_SECOND = 2500
LEARNERS = 100
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timing window per figure")
    parser.add_argument(
        "--memory-signs", type=int, default=100_000, help="fast-path signs for the memory check"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one object")
    return parser.parse_args(argv)


def learner_credential(number: int) -> dict:
    document = typical_credential(status_index=number, learner=f"learner{number}@example.org")
    document["id"] = f"urn:uuid:5b6f0b52-8f7e-4b8e-9d59-{number:012x}"
    return document


def timed(seconds: float, operation, items: list) -> dict:
    """Run ``operation`` over ``items`` in turn for ``seconds``.

    Calls per wall-clock second, per second of this process's CPU time (what one core does,
    whatever else the machine runs), and the median wall-clock call.
    """
    durations = []
    clock = time.perf_counter
    cpu_start = time.process_time()
    deadline = clock() + seconds
    index = 0
    while clock() < deadline:
        item = items[index % len(items)]
        start = clock()
        operation(item)
        durations.append(clock() - start)
        index += 1
    cpu_seconds = time.process_time() - cpu_start
    return {
        "per_s": round(len(durations) / sum(durations), 1),
        "per_cpu_s": round(len(durations) / cpu_seconds, 1),
        "median_us": round(statistics.median(durations) * 1e6, 1),
        "calls": len(durations),
    }


def measure_python(seconds: float, documents: list, key) -> dict:
    public_key = key.private_key.public_key()
    secured = [proof.sign_credential(document, key) for document in documents]
    signing = timed(seconds, lambda document: proof.sign_credential(document, key), documents)
    verifying = timed(
        seconds, lambda document: proof.verify_signature(document, public_key), secured
    )
    return {
        "signs_per_s": signing["per_s"],
        "verifies_per_s": verifying["per_s"],
        "signs_per_cpu_s": signing["per_cpu_s"],
        "verifies_per_cpu_s": verifying["per_cpu_s"],
        "sign_median_us": signing["median_us"],
        "verify_median_us": verifying["median_us"],
        "signs": signing["calls"],
        "verifies": verifying["calls"],
    }


def check_identical(documents: list, key) -> None:
    """The fast path must sign exactly as the reference does; stop the bench otherwise."""
    for document in documents:
        fast = proof.sign_credential(document, key, created=CREATED)
        with mock.patch.object(proof, "canonicalize", reference_canonicalize):
            reference = proof.sign_credential(document, key, created=CREATED)
        if fast["proof"] != reference["proof"]:
            raise SystemExit(f"fast and reference proofValues differ for {document['id']}")


def measure_javascript(seconds: float, documents: list, key) -> dict:
    if shutil.which("node") is None:
        return {"skipped": "node is not installed"}
    if not JS_MODULES.exists():
        return {"skipped": "npm modules missing: run `npm ci --prefix tests/js`"}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "key.json").write_text(json.dumps(key.to_json()))
        did_doc = did_document(key.controller, [key.public_key_multibase])
        (folder / "did.json").write_text(json.dumps(did_doc))
        files = []
        for number, document in enumerate(documents[:10]):
            path = folder / f"credential-{number}.json"
            path.write_text(json.dumps(document))
            files.append(str(path))
        command = ["node", str(JS_BENCH), "--key", str(folder / "key.json")]
        command += ["--did-doc", str(folder / "did.json"), "--seconds", str(seconds), *files]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        return {"skipped": f"bench.mjs failed: {completed.stderr.strip()[-500:]}"}
    figures = json.loads(completed.stdout)
    return {
        "signs_per_s": round(figures["signs_per_s"], 1),
        "verifies_per_s": round(figures["verifies_per_s"], 1),
        "signs_per_cpu_s": round(figures["signs_per_cpu_s"], 1),
        "verifies_per_cpu_s": round(figures["verifies_per_cpu_s"], 1),
        "sign_median_us": round(figures["sign_median_ms"] * 1000, 1),
        "verify_median_us": round(figures["verify_median_ms"] * 1000, 1),
        "signs": figures["signs"],
        "verifies": figures["verifies"],
        "node": subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
    }


def resident_mib() -> float:
    """Current resident set size of this process, in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def measure_memory(signs: int, key) -> dict:
    """Sign ``signs`` distinct credentials (new id, identifier and status index each)."""
    base = learner_credential(0)
    subject = base["credentialSubject"]
    identity = subject["identifier"][0]
    status = base["credentialStatus"]
    for number in range(1_000):  # warm up every cache before the first reading
        proof.sign_credential(_variant(base, subject, identity, status, number), key)
    before = resident_mib()
    samples = []
    started = time.perf_counter()
    for number in range(signs):
        proof.sign_credential(_variant(base, subject, identity, status, 1_000 + number), key)
        if number % 10_000 == 9_999:
            samples.append(resident_mib())
    elapsed = time.perf_counter() - started
    return {
        "signs": signs,
        "rss_before_mib": before,
        "rss_after_mib": resident_mib(),
        "rss_max_sampled_mib": max(samples, default=before),
        "rss_every_10000_mib": samples,
        "signs_per_s": round(signs / elapsed, 1) if signs else None,
    }


def _variant(base: dict, subject: dict, identity: dict, status: dict, number: int) -> dict:
    return {
        **base,
        "id": f"urn:uuid:00000000-0000-4000-8000-{number:012x}",
        "credentialSubject": {
            **subject,
            "identifier": [{**identity, "identityHash": f"sha256${number:064x}"}],
        },
        "credentialStatus": {
            **status,
            "id": f"{status['statusListCredential']}#{number}",
            "statusListIndex": str(number),
        },
    }


def sign_breakdown(document: dict, key) -> dict:
    """CPU µs of each step of one fast sign (best of several rounds), to show where time goes."""
    options = proof.proof_options(key, CREATED)
    config = {**options, "@context": document["@context"]}
    canonical = canonicalize(document).encode("utf-8")
    steps = {
        "sign_credential": lambda: proof.sign_credential(document, key, created=CREATED),
        "canonicalize_document": lambda: canonicalize(document),
        "canonicalize_proof_config": lambda: canonicalize(config),
        "sha256_of_canonical_document": lambda: hashlib.sha256(canonical).digest(),
        "ed25519_signature": lambda: key.sign(bytes(64)),
        "independent_copy_of_document": lambda: proof._independent_copy(document),
        "proof_options": lambda: proof.proof_options(key, CREATED),
    }
    best = dict.fromkeys(steps, math.inf)
    for _ in range(7):
        for name, step in steps.items():
            started = time.process_time()
            for _ in range(100):
                step()
            best[name] = min(best[name], (time.process_time() - started) / 100 * 1e6)
    return {name: round(value, 1) for name, value in best.items()}


def raw_signature_rate(key, seconds: float) -> float:
    message = bytes(64)
    return timed(seconds, key.sign, [message])["per_s"]


def describe(document: dict) -> dict:
    canonical = canonicalize(document)
    return {
        "json_bytes": len(json.dumps(document)),
        "quads": canonical.count("\n"),
        "blank_nodes": len(document_quads(document)[3]),
        "canonical_bytes": len(canonical.encode()),
    }


def _ratios(fast: dict, reference: dict, javascript: dict) -> dict:
    """fast ÷ reference and fast ÷ JavaScript, for every figure both sides have."""
    ratios = {}
    for baseline_name, baseline in (("reference", reference), ("javascript", javascript)):
        for figure in ("signs_per_s", "verifies_per_s", "signs_per_cpu_s", "verifies_per_cpu_s"):
            ratios[f"fast_vs_{baseline_name}_{figure}"] = _ratio(fast[figure], baseline.get(figure))
    return ratios


def _ratio(numerator, denominator):
    if not isinstance(numerator, float | int) or not isinstance(denominator, float | int):
        return None
    return round(numerator / denominator, 2)


def main(argv=None):
    args = _parse_args(argv)
    key = generate_key(ISSUER_DID)
    documents = [learner_credential(number) for number in range(LEARNERS)]
    check_identical(documents[:10], key)

    fast = measure_python(args.seconds, documents, key)
    with mock.patch.object(proof, "canonicalize", reference_canonicalize):
        reference = measure_python(args.seconds, documents[:10], key)
    javascript = measure_javascript(args.seconds, documents, key)
    checks = measure_checks(args.seconds, documents[:10], key)
    figures = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {
            "load_average_1m": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "credential": describe(documents[0]),
        "goal_per_s": GOAL_PER_SECOND,
        "fast": fast,
        "reference": reference,
        "javascript": javascript,
        "raw_ed25519_signs_per_s": raw_signature_rate(key, min(args.seconds, 1.0)),
        "fast_sign_breakdown_cpu_us": sign_breakdown(documents[0], key),
        "ratios": _ratios(fast, reference, javascript),
        "checks": checks,
        "bomb": measure_bomb(),
        "goal_met": {
            measure: fast[f"signs_{measure}"] >= GOAL_PER_SECOND
            and fast[f"verifies_{measure}"] >= GOAL_PER_SECOND
            for measure in ("per_s", "per_cpu_s")
        },
    }
    if args.memory_signs:
        figures["memory"] = measure_memory(args.memory_signs, key)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    _print(figures)
    if args.json:
        print(json.dumps(figures))


def _print(figures: dict) -> None:
    print(f"typical badge: {figures['credential']}")
    print(f"machine: {figures['machine']}")
    header = ("signs/s", "verifies/s", "signs/cpu-s", "verifies/cpu-s", "sign µs", "verify µs")
    print(f"{'path':<12}" + "".join(f"{name:>16}" for name in header))
    columns = (
        "signs_per_s",
        "verifies_per_s",
        "signs_per_cpu_s",
        "verifies_per_cpu_s",
        "sign_median_us",
        "verify_median_us",
    )
    for name in ("fast", "reference", "javascript"):
        row = figures[name]
        if "skipped" in row:
            print(f"{name:<12}skipped: {row['skipped']}")
            continue
        print(f"{name:<12}" + "".join(f"{row[column]:>16}" for column in columns))
    for name, ratio in figures["ratios"].items():
        print(f"  {name}: {ratio}")
    print(f"fast sign, CPU µs per step: {figures['fast_sign_breakdown_cpu_us']}")
    print(f"goal ≥{figures['goal_per_s']}/s signs and verifies met: {figures['goal_met']}")
    checks = figures["checks"]
    print(
        f"verify_credential/s with the plain-form checks {checks['with_checks']['per_s']} "
        f"({checks['with_checks']['per_cpu_s']}/cpu-s), without "
        f"{checks['without_checks']['per_s']} ({checks['without_checks']['per_cpu_s']}/cpu-s): "
        f"cost {checks['cost_per_cpu_s']:.1%} of CPU throughput (goal ≤ {CHECKS_MAX_COST:.0%}: "
        f"{checks['goal_met']})"
    )
    print(f"canonicalization bomb refused in (ms): {figures['bomb']}")
    if "memory" in figures:
        memory = figures["memory"]
        print(
            f"memory over {memory['signs']} signs: RSS {memory['rss_before_mib']} MiB before, "
            f"{memory['rss_after_mib']} MiB after (max sampled {memory['rss_max_sampled_mib']})"
        )


if __name__ == "__main__":
    main()
