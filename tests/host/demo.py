"""``make demo``: the whole journey of one badge on SQLite and a real local Celery worker.

1. creates the issuer's signing key (``manage.py credplugin_keys generate``);
2. authors a demo course whose ``credplugin_assessment`` block (project + ethics case) is saved
   through the block's own Studio handler;
3. a learner submits through the block's handlers, a mentor grades with the rubric, and the
   platform's ``COURSE_PASSING_STATUS_UPDATED`` event fires;
4. a separate Celery worker process issues the badge; the demo verifies it through the public
   verify API;
5. renews it: the clock moves into the renewal window, the learner passes the renewal
   assessment and the mentor grades it; the worker signs the second version, verified too;
6. passes a second small course whose badge, with the first, completes a pathway; the worker
   issues the pathway badge (``tests/host/demo_pathway.py``), and the learner's record is
   signed as a CLR 2.0 — both verified through the verify API;
7. prints a short summary and writes ``var/demo/``: ``credential.json``, ``badge.png``,
   ``badge.svg``, ``did.json``, ``status-list.json``, ``renewed-credential.json``,
   ``pathway-credential.json``, ``clr.json`` and ``summary.json``; a clearly labelled simulated
   cohort (``tests/host/demo_outcomes.py``) gives the badge published outcomes, whose signed
   statement is written to ``outcomes.json``;
8. serves the workbench and the public pages on http://127.0.0.1:8000 until Ctrl-C.

The course and the learner's journey through the block live in ``tests/host/demo_course.py``.

Environment: ``DEMO_SERVE=0`` stops after the summary; ``DEMO_PORT`` changes the port;
``DEMO_DIR`` changes the output folder (default ``var/demo``, emptied at every run);
``CREDPLUGIN_DEMO_BROKER`` names a broker (e.g. ``redis://127.0.0.1:6379/5``) instead of
kombu's SQLAlchemy transport on a SQLite file, which needs no server (docs/decisions/0005).
"""

import io
import json
import os
import shutil
import signal
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from tests.host.demo_course import (
    LEARNER,
    LEARNER_PASSWORD,
    MENTOR,
    DemoFailure,
    author_course,
    complete_course,
    renew_badge,
)
from tests.host.demo_outcomes import COHORT, publish_outcomes, seed_cohort
from tests.host.demo_pathway import (
    author_pathway,
    complete_second_course,
    write_pathway_and_record,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ISSUE_TIMEOUT_SECONDS = 90


class Settings:
    """What the environment asks of this run, read once before Django starts."""

    def __init__(self, environ):
        self.demo_dir = Path(environ.get("DEMO_DIR") or REPO_ROOT / "var" / "demo").resolve()
        self.serve = environ.get("DEMO_SERVE", "1") not in ("0", "", "false", "no")
        try:
            self.port = int(environ.get("DEMO_PORT") or 8000)
        except ValueError as error:
            raise DemoFailure(
                f"DEMO_PORT must be a port number, not {environ['DEMO_PORT']!r}"
            ) from error
        # Four slashes: sqla+sqlite:/// then the absolute path of the broker's own SQLite file.
        self.broker = environ.get("CREDPLUGIN_DEMO_BROKER") or (
            f"sqla+sqlite:///{self.host_dir / 'broker.sqlite3'}"
        )
        self.root_url = f"http://127.0.0.1:{self.port}"

    @property
    def host_dir(self):
        return self.demo_dir / "host"


def prepare_environment(settings):
    """Start from nothing: a fresh folder, SQLite in it, a real broker, this site's root URL.

    Must run before ``django.setup()``: the host reads these variables when its settings load.
    """
    shutil.rmtree(settings.demo_dir, ignore_errors=True)
    settings.host_dir.mkdir(parents=True)
    os.environ.pop("CREDPLUGIN_DATABASE_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.host.settings",
        CREDPLUGIN_HOST_DIR=str(settings.host_dir),
        CREDPLUGIN_HOST_SETTINGS_TYPE="devstack",
        CREDPLUGIN_HOST_ROOT_URL=settings.root_url,
        CREDPLUGIN_CELERY_BROKER=settings.broker,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )


class Progress:
    """Numbered steps on stdout; a failure names its step."""

    def __init__(self, total):
        self.total = total
        self.number = 0

    @contextmanager
    def step(self, title):
        self.number += 1
        print(f"[{self.number}/{self.total}] {title} …", flush=True)
        started = time.monotonic()
        try:
            yield
        except DemoFailure as failure:
            raise DemoFailure(f"step {self.number} ({title}) failed: {failure}") from failure
        except Exception as error:
            raise DemoFailure(
                f"step {self.number} ({title}) failed: {type(error).__name__}: {error}"
            ) from error
        print(f"      done in {time.monotonic() - started:.1f} s", flush=True)


def check_broker(url):
    """Fail in seconds, not after the worker's retries, when a named broker is unreachable."""
    from kombu import Connection  # noqa: PLC0415

    if url.startswith("sqla+sqlite:"):
        return
    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:  # kombu raises the transport's own errors
        raise DemoFailure(
            f"cannot reach the broker {url} named by CREDPLUGIN_DEMO_BROKER ({error}); "
            "start it, or unset CREDPLUGIN_DEMO_BROKER to use a SQLite file as the broker"
        ) from error


def start_worker(settings):
    """A real ``celery worker`` process on the demo's broker, sharing the demo's SQLite file."""
    from tests.workers import CeleryWorker  # noqa: PLC0415  (after the environment is set)

    worker = CeleryWorker(
        env=dict(os.environ),
        log_path=settings.demo_dir / "worker.log",
        name="demo",
        pool="solo",
        concurrency=1,
    )
    try:
        worker.start()
    except (RuntimeError, TimeoutError) as error:
        worker.stop()
        raise DemoFailure(f"the Celery worker did not start: {error}") from error
    return worker


def create_issuer_key():
    """``manage.py credplugin_keys generate``, as an operator runs it after installing."""
    from django.core.management import call_command  # noqa: PLC0415

    output = io.StringIO()
    call_command("credplugin_keys", "generate", stdout=output)
    print(f"      {output.getvalue().strip()}")


def wait_for_badge(user_id, worker, **which):
    """The badge the worker issues for ``user_id`` (of the badge class ``which`` names, if
    any); a clear reason when it does not come."""
    from credplugin.models import IssuanceRequest, IssuedBadge  # noqa: PLC0415

    deadline = time.monotonic() + ISSUE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        badge = (
            IssuedBadge.objects.filter(user_id=user_id, **which)
            .select_related("badge_class")
            .first()
        )
        if badge is not None:
            return badge
        failed = IssuanceRequest.objects.filter(
            user_id=user_id, status=IssuanceRequest.Status.FAILED
        ).first()
        if failed is not None:
            raise DemoFailure(f"the worker could not issue the badge: {failed.reason}")
        if not worker.running:
            raise DemoFailure(f"the Celery worker stopped:\n{worker.log()[-3000:]}")
        time.sleep(0.2)
    requests = list(IssuanceRequest.objects.filter(user_id=user_id))
    state = ", ".join(f"{r.status} ({r.reason or 'no reason'})" for r in requests) or "none"
    raise DemoFailure(
        f"no badge after {ISSUE_TIMEOUT_SECONDS} s; issuance requests: {state}. "
        f"End of the worker log:\n{worker.log()[-3000:]}"
    )


def wait_for_renewal(badge, worker):
    """The badge once the worker signed its second version; a clear reason when it does not."""
    from credplugin.models import IssuedBadge, RenewalRequest  # noqa: PLC0415

    deadline = time.monotonic() + ISSUE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        renewed = IssuedBadge.objects.select_related("badge_class").get(pk=badge.pk)
        if renewed.version > 1:
            return renewed
        request = RenewalRequest.objects.filter(badge=badge).first()
        if request is None:
            raise DemoFailure("the renewal assessment did not start a renewal")
        if request.status == RenewalRequest.Status.FAILED:
            raise DemoFailure(f"the worker could not renew the badge: {request.reason}")
        if not worker.running:
            raise DemoFailure(f"the Celery worker stopped:\n{worker.log()[-3000:]}")
        time.sleep(0.2)
    raise DemoFailure(f"no renewed badge after {ISSUE_TIMEOUT_SECONDS} s")


def write_renewal(client, renewed, report, summary, settings):
    """Save the renewed credential as the refresh service serves it; add both versions to the
    summary."""
    from django.urls import reverse  # noqa: PLC0415

    from credplugin import api  # noqa: PLC0415

    url = reverse("credplugin:badge-refresh", kwargs={"badge_uuid": renewed.uuid})
    credential = json.loads(_get(client, url, "refresh service").content)
    path = settings.demo_dir / "renewed-credential.json"
    path.write_text(json.dumps(credential, indent=2))
    summary["files"]["renewed_credential"] = str(path)
    summary["versions"] = [
        {
            "version": version["version"],
            "valid_from": version["credential"]["validFrom"],
            "valid_until": version["credential"].get("validUntil"),
        }
        for version in api.badge_versions(str(renewed.uuid))
    ]
    summary["renewal_verification"] = report
    (settings.demo_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    return credential


def _get(client, url, what):
    response = client.get(url)
    if response.status_code != 200:
        raise DemoFailure(f"GET {url} ({what}) answered {response.status_code}")
    return response


def verify(client, credential):
    """What the public verify API says about the credential, as any visitor would ask it."""
    from django.urls import reverse  # noqa: PLC0415

    response = client.post(
        reverse("credplugin:verify-api"),
        data=json.dumps(credential),
        content_type="application/json",
    )
    if response.status_code != 200:
        raise DemoFailure(f"the verify API answered {response.status_code}: {response.content!r}")
    return response.json()


def write_outputs(client, badge, report, settings):
    """Save what a learner and a verifier can download, and the summary, under the demo dir."""
    from django.urls import reverse  # noqa: PLC0415

    out = settings.demo_dir
    kwargs = {"badge_uuid": badge.uuid}
    credential = json.loads(
        _get(client, reverse("credplugin:badge-credential", kwargs=kwargs), "credential").content
    )
    status = credential["credentialStatus"]
    status_url = (status[0] if isinstance(status, list) else status)["statusListCredential"]
    downloads = {
        "badge_png": ("badge.png", reverse("credplugin:badge-png", kwargs=kwargs)),
        "badge_svg": ("badge.svg", reverse("credplugin:badge-svg", kwargs=kwargs)),
        "did_document": ("did.json", reverse("credplugin:did-document")),
        "status_list": ("status-list.json", urlparse(status_url).path),
    }
    files = {"credential": ("credential.json", json.dumps(credential, indent=2).encode())}
    for key, (name, url) in downloads.items():
        files[key] = (name, _get(client, url, name).content)
    paths = {}
    for key, (name, content) in files.items():
        (out / name).write_bytes(content)
        paths[key] = str(out / name)
    summary = {
        "badge_uuid": str(badge.uuid),
        "badge_url": settings.root_url + reverse("credplugin:badge-page", kwargs=kwargs),
        "files": paths,
        "verification": report,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    return credential, summary


def print_summary(credential, summary, verdict):
    """A few lines a person reads: the badge, what it proves, whether it verifies, where it is."""
    from credplugin.presentation.describe import describe_credential  # noqa: PLC0415

    facts = describe_credential(credential)
    lines = [
        "",
        f"Badge issued to {LEARNER}: {facts['name']} ({facts['achievement_type']}), "
        f"{facts['hours']} hours, by {facts['issuer_name']}",
        "  competencies and levels reached:",
    ]
    scores = {}
    for competency in facts["competencies"]:
        if competency["required_level"]:
            lines.append(
                f"    - {competency['name']}: {competency['level']} "
                f"(required: {competency['required_level']})"
            )
        else:
            scores[competency["name"].lower()] = competency["level"]
    if scores:
        lines.append(f"  scores: {_readable_scores(scores)}")
    lines += [
        f"  version {v['version']}: valid from {v['valid_from'][:10]} until {v['valid_until'][:10]}"
        for v in summary.get("versions", [])
    ]
    lines += [
        f"  verification: {verdict['label']} — {verdict['explanation']}",
        f"  badge page: {summary['badge_url']}",
        f"  files: {Path(summary['files']['credential']).parent}/ "
        + " ".join(Path(path).name for path in summary["files"].values())
        + " summary.json",
    ]
    print("\n".join(lines), flush=True)


def _readable_scores(scores):
    """``{"rubric points": "12", "rubric points possible": "15", …}`` as "rubric 12/15 points"."""
    parts, folded = [], set()
    for name, value in scores.items():
        possible = scores.get(f"{name} possible")
        if name.endswith(" points") and possible is not None:
            base = name.removesuffix(" points")
            percent = scores.get(f"{base} percent")
            folded |= {name, f"{name} possible", f"{base} percent"}
            parts.append(
                f"{base} {value}/{possible} points" + (f" ({percent} %)" if percent else "")
            )
    parts += [f"{name} {value}" for name, value in scores.items() if name not in folded]
    return ", ".join(parts)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(settings, course, summary):
    """Serve the workbench, the public pages and the admin until Ctrl-C, static files included.

    The admin gets a local superuser ``admin``/``admin``: the server listens on 127.0.0.1 only.
    """
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: PLC0415
    from django.core.servers.basehttp import run  # noqa: PLC0415
    from django.core.wsgi import get_wsgi_application  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    get_user_model().objects.create_superuser("admin", "admin@example.org", "admin")
    # Ctrl-C and a plain ``kill`` both end the server the same way, even when the shell that
    # started the demo in the background made it ignore SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    scenario = f"{settings.root_url}/workbench/scenario/{course['scenario_id']}/"
    print(
        f"\nServing on {settings.root_url} — press Ctrl-C to stop.\n"
        f"  start here:                 {settings.root_url}/\n"
        f"  the block as the learner:   {scenario}?student={LEARNER}\n"
        f"  My badges ({LEARNER} / {LEARNER_PASSWORD}): "
        f"{settings.root_url}{reverse('credplugin:my-badges')}\n"
        f"  the block as the mentor:    {scenario}?student={MENTOR}\n"
        f"  the badge page:             {summary['badge_url']}\n"
        f"  verify any badge:           {settings.root_url}{reverse('credplugin:verify-page')}\n"
        f"  the issuer's DID document:  {settings.root_url}{reverse('credplugin:did-document')}\n"
        f"  the admin (admin / admin):  {settings.root_url}/admin/",
        flush=True,
    )
    try:
        run("127.0.0.1", settings.port, StaticFilesHandler(get_wsgi_application()), threading=True)
    except OSError as error:
        raise DemoFailure(
            f"cannot listen on 127.0.0.1:{settings.port} ({error.strerror}); "
            "set DEMO_PORT to a free port, or DEMO_SERVE=0"
        ) from error


def _warnings_to(path):
    """A ``warnings.showwarning`` that appends to ``path`` instead of printing."""

    def show(message, category, filename, lineno, *_file_and_line):
        with path.open("a", encoding="utf-8") as log:
            log.write(warnings.formatwarning(message, category, filename, lineno))

    return show


def run(settings):
    """Every step, then the summary; with DEMO_SERVE, the server until Ctrl-C. Stops the worker."""
    import django  # noqa: PLC0415

    # The output is for a person; libraries' warnings go to a file instead (edx-submissions
    # resets the warning filters on every read, so filtering them would not last).
    warnings.showwarning = _warnings_to(settings.demo_dir / "warnings.log")
    progress = Progress(total=12)
    worker = None
    try:
        with progress.step(f"create a fresh SQLite database in {settings.host_dir}"):
            django.setup()
            from django.core.management import call_command  # noqa: PLC0415
            from django.test import Client  # noqa: PLC0415

            call_command("migrate", run_syncdb=True, verbosity=0)  # the workbench has no migrations
        with progress.step(f"reach the broker ({settings.broker})"):
            check_broker(settings.broker)
        with progress.step("create the issuer's signing key (credplugin_keys generate)"):
            create_issuer_key()
        with progress.step("author the demo course: save the assessment block in Studio"):
            course = author_course()
        # Seeded before the worker starts: SQLite takes one writer at a time, and the cohort
        # is written here, in this process.
        with progress.step(f"seed a simulated cohort of {COHORT} learners (labelled as such)"):
            badge_class = seed_cohort()
        with progress.step("start a Celery worker process on that broker"):
            worker = start_worker(settings)
        with progress.step("a learner submits, a mentor grades, the course-passing event fires"):
            learner = complete_course(course)
        client = Client()
        with progress.step("the worker issues the badge; verify it"):
            badge = wait_for_badge(learner.id, worker)
            report = verify(client, badge.credential)
        with progress.step(f"write {settings.demo_dir}"):
            credential, summary = write_outputs(client, badge, report, settings)
        with progress.step("publish the badge's outcomes; write the signed outcomes.json"):
            summary.update(
                publish_outcomes(client, badge_class, settings.demo_dir, settings.root_url)
            )
            (settings.demo_dir / "summary.json").write_text(json.dumps(summary, indent=2))
        if report["verdict"] != "verified":
            print_summary(credential, summary, report)
            raise DemoFailure(f"the issued badge did not verify: {report['explanation']}")
        with progress.step("renew it: the learner passes the renewal assessment, graded"):
            moment = renew_badge(badge, learner)
            print(f"      the clock moved to {moment:%Y-%m-%d}, inside the renewal window")
            renewed = wait_for_renewal(badge, worker)
            renewed_report = verify(client, renewed.credential)
            write_renewal(client, renewed, renewed_report, summary, settings)
        with progress.step("a second course completes a pathway; write its badge and the CLR"):
            requirement, pathway = author_pathway(badge.badge_class)
            complete_second_course(requirement, learner)
            pathway_badge = wait_for_badge(learner.id, worker, badge_class=pathway.badge_class)
            write_pathway_and_record(
                client, pathway_badge, learner, summary, settings=settings, verify=verify
            )
        print_summary(credential, summary, report)
        if renewed_report["verdict"] != "verified":
            raise DemoFailure(f"the renewed badge did not verify: {renewed_report['explanation']}")
        if settings.serve:
            serve(settings, course, summary)
    finally:
        if worker is not None:
            print("Stopping the Celery worker …", flush=True)
            worker.stop()


def main():
    try:
        settings = Settings(os.environ)
        prepare_environment(settings)
        run(settings)
    except DemoFailure as failure:
        print(f"\nmake demo stopped: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
