"""``make demo`` (tests/host/demo.py) as a newcomer runs it, minus the server.

The demo runs as its own process with ``DEMO_SERVE=0`` in a temporary folder: SQLite, kombu's
SQLAlchemy transport on a SQLite file and a real Celery worker process, no service. What it
writes is checked here, and its credential is verified again with the JavaScript reference
stack.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from credplugin.openbadges import unbake_png, unbake_svg
from tests.js_stack import js_stack  # noqa: F401  (pytest fixture)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_TIMEOUT_SECONDS = 240
OUTPUT_FILES = {
    "credential": "credential.json",
    "badge_png": "badge.png",
    "badge_svg": "badge.svg",
    "did_document": "did.json",
    "status_list": "status-list.json",
    "renewed_credential": "renewed-credential.json",
    "pathway_credential": "pathway-credential.json",
    "clr": "clr.json",
}


def run_demo(demo_dir, **environment):
    """``python -m tests.host.demo`` from the repository, as ``make demo`` runs it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CREDPLUGIN_", "DJANGO_SETTINGS_MODULE", "DEMO_"))
    }
    env.update(DEMO_SERVE="0", DEMO_DIR=str(demo_dir), **environment)
    return subprocess.run(
        [sys.executable, "-m", "tests.host.demo"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """The demo run twice in one folder, as a newcomer might; the second run is checked.

    Returns the folder, the second run's process result and the first run's badge uuid.
    """
    demo_dir = tmp_path_factory.mktemp("demo") / "var" / "demo"
    first = run_demo(demo_dir)
    assert first.returncode == 0, f"first run:\n{first.stdout}\n{first.stderr}"
    first_uuid = json.loads((demo_dir / "summary.json").read_text())["badge_uuid"]
    (demo_dir / "left-over-from-the-first-run").write_text("stale")

    second = run_demo(demo_dir)
    assert second.returncode == 0, f"second run:\n{second.stdout}\n{second.stderr}"
    return demo_dir, second, first_uuid


def load(demo_dir, name):
    return json.loads((demo_dir / name).read_text())


def test_demo_writes_every_promised_file(demo_run):
    demo_dir, _completed, _first_uuid = demo_run
    summary = load(demo_dir, "summary.json")

    assert summary["files"] == {key: str(demo_dir / name) for key, name in OUTPUT_FILES.items()}
    assert all(Path(path).stat().st_size > 0 for path in summary["files"].values())
    assert summary["badge_url"] == (
        f"http://127.0.0.1:8000/credplugin/badges/{summary['badge_uuid']}/"
    )


def test_demo_starts_from_nothing_on_every_run(demo_run):
    demo_dir, _completed, first_uuid = demo_run

    assert not (demo_dir / "left-over-from-the-first-run").exists()
    assert load(demo_dir, "summary.json")["badge_uuid"] != first_uuid


def test_demo_badge_verifies_and_carries_the_graded_competencies(demo_run):
    demo_dir, completed, _first_uuid = demo_run
    summary = load(demo_dir, "summary.json")
    credential = load(demo_dir, "credential.json")

    assert summary["verification"]["verdict"] == "verified"
    assert summary["verification"]["verified"] is True
    assert summary["badge_uuid"] in credential["id"]
    achieved = [r for r in credential["credentialSubject"]["result"] if "achievedLevel" in r]
    assert len(achieved) == 5, "two project and three reflection criteria were graded"
    assert "Badge issued to learner_ada: Responsible ML Practitioner" in completed.stdout
    assert "Model evaluation: Advanced (required: Proficient)" in completed.stdout
    assert "verification: Verified" in completed.stdout
    assert summary["badge_url"] in completed.stdout


def test_demo_renews_the_badge_as_a_new_version_of_the_same_credential(demo_run):
    demo_dir, completed, _first_uuid = demo_run
    summary = load(demo_dir, "summary.json")
    first = load(demo_dir, "credential.json")
    renewed = load(demo_dir, "renewed-credential.json")

    assert renewed["id"] == first["id"]
    assert renewed["issuer"] == first["issuer"]
    assert renewed["awardedDate"] == first["awardedDate"]
    assert renewed["validUntil"] > first["validUntil"]
    assert renewed["validFrom"] >= first["validFrom"]
    assert renewed["refreshService"]["type"] == "1EdTechCredentialRefresh"
    assert [v["version"] for v in summary["versions"]] == [1, 2]
    assert summary["renewal_verification"]["verdict"] == "verified"
    assert "version 2: valid from" in completed.stdout
    assert "credplugin.tasks.renew_badge_task" in (demo_dir / "worker.log").read_text()


def test_demo_images_carry_the_same_credential(demo_run):
    demo_dir, _completed, _first_uuid = demo_run
    credential = load(demo_dir, "credential.json")

    assert unbake_png((demo_dir / "badge.png").read_bytes()) == credential
    assert unbake_svg((demo_dir / "badge.svg").read_bytes()) == credential


def test_demo_badge_was_issued_by_the_worker_process(demo_run):
    demo_dir, _completed, _first_uuid = demo_run
    worker_log = (demo_dir / "worker.log").read_text()

    assert "credplugin.tasks.issue_badge_task" in worker_log
    assert "succeeded" in worker_log
    assert "Traceback" not in worker_log


@pytest.mark.js
def test_demo_credential_verifies_with_the_javascript_stack(demo_run, js_stack):  # noqa: F811
    demo_dir, _completed, _first_uuid = demo_run

    for name in ("credential.json", "renewed-credential.json"):
        answer = js_stack.verify(
            load(demo_dir, name),
            did_documents=[load(demo_dir, "did.json")],
            status_lists=[load(demo_dir, "status-list.json")],
        )
        assert answer.verified, (name, answer.error)


def test_demo_second_course_completes_a_pathway_whose_badge_lists_both(demo_run):
    demo_dir, completed, _first_uuid = demo_run
    summary = load(demo_dir, "summary.json")
    pathway = load(demo_dir, "pathway-credential.json")
    components = [load(demo_dir, "credential.json"), load(demo_dir, "renewed-credential.json")]

    achievement = pathway["credentialSubject"]["achievement"]
    assert (achievement["name"], achievement["achievementType"]) == ("AI Champion", "Certificate")
    evidence = {item["name"]: item["id"] for item in pathway["evidence"]}
    assert set(evidence) == {"Responsible ML Practitioner", "AI Ethics Foundations"}
    assert evidence["Responsible ML Practitioner"].endswith(
        f"/badges/{summary['badge_uuid']}/credential.json"
    )
    assert summary["pathway_verification"]["verdict"] == "verified"
    assert components[0]["id"] == components[1]["id"]
    assert "the record holds 3 verified badges" in completed.stdout


def test_demo_record_is_a_signed_clr_of_the_three_badges(demo_run):
    demo_dir, _completed, _first_uuid = demo_run
    summary = load(demo_dir, "summary.json")
    record = load(demo_dir, "clr.json")
    pathway = load(demo_dir, "pathway-credential.json")

    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    assert record["partial"] is False
    embedded = record["credentialSubject"]["verifiableCredential"]
    assert [c["credentialSubject"]["achievement"]["name"] for c in embedded] == [
        "Responsible ML Practitioner",
        "AI Ethics Foundations",
        "AI Champion",
    ]
    assert embedded[2] == pathway
    pathway_id = pathway["credentialSubject"]["achievement"]["id"]
    associations = record["credentialSubject"]["association"]
    assert {(a["associationType"], a["targetId"]) for a in associations} == {
        ("isPartOf", pathway_id)
    }
    assert len(associations) == 2
    assert summary["clr_verification"]["record"]["verified"] is True
    assert [badge["verdict"] for badge in summary["clr_verification"]["badges"]] == ["verified"] * 3


@pytest.mark.js
def test_demo_pathway_badge_and_record_verify_with_the_javascript_stack(demo_run, js_stack):  # noqa: F811
    demo_dir, _completed, _first_uuid = demo_run
    record = load(demo_dir, "clr.json")
    for name, document in [
        ("pathway-credential.json", load(demo_dir, "pathway-credential.json")),
        ("clr.json", record),
        *[
            (f"clr.json badge {n}", c)
            for n, c in enumerate(record["credentialSubject"]["verifiableCredential"])
        ],
    ]:
        answer = js_stack.verify(
            document,
            did_documents=[load(demo_dir, "did.json")],
            status_lists=[load(demo_dir, "status-list.json")],
        )
        assert answer.verified, (name, answer.error)


@pytest.mark.js
def test_demo_outcomes_are_real_figures_signed_by_the_issuer(demo_run, js_stack):  # noqa: F811
    demo_dir, completed, _first_uuid = demo_run
    summary = load(demo_dir, "summary.json")
    statement = load(demo_dir, "outcomes.json")

    assert summary["outcomes_statement"] == str(demo_dir / "outcomes.json")
    assert summary["outcomes_url"].startswith("http://127.0.0.1:8000/credplugin/outcomes/")
    first_quarter = statement["credentialSubject"]["dataSetTimePeriod"][0]
    programme = next(s for s in first_quarter["sections"] if s["section"] == "programme")
    earners = next(f for f in programme["figures"] if f["measure"] == "earners")
    assert earners["value"] >= 30
    assert {s["section"] for s in first_quarter["sections"]} >= {"survey-30", "survey-180"}
    answer = js_stack.verify(statement, did_documents=[load(demo_dir, "did.json")])
    assert answer.verified, answer.error


def test_demo_names_the_failing_step(tmp_path):
    completed = run_demo(tmp_path / "demo", CREDPLUGIN_DEMO_BROKER="redis://127.0.0.1:1/0")

    assert completed.returncode == 1
    assert "make demo stopped: step 2 (reach the broker" in completed.stderr
    assert "cannot reach the broker redis://127.0.0.1:1/0" in completed.stderr


def test_demo_refuses_a_bad_port_before_doing_anything(tmp_path):
    completed = run_demo(tmp_path / "demo", DEMO_PORT="eighty")

    assert completed.returncode == 1
    assert "make demo stopped: DEMO_PORT must be a port number, not 'eighty'" in completed.stderr
    assert not (tmp_path / "demo").exists()
