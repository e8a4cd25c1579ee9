"""Requests per second of the public badge page and the verify API, against a trivial view.

    .venv/bin/python bench/public_pages.py [--seconds 5] [--json]

Runs in one process on a throwaway SQLite database: migrates, generates a signing key, issues
one badge through the real pipeline (eager Celery), then drives each endpoint through Django's
full request stack (middleware included) with the test client for ``--seconds`` each:

- ``baseline``: a view that returns ``ok`` — the cost of the stack itself;
- ``badge_page``: ``/credplugin/badges/<uuid>/``, which verifies the credential live;
- ``credential_json``: ``…/credential.json``, the stored credential;
- ``verify_api``: ``POST /credplugin/api/v1/verify`` with the credential JSON.

Each figure is reported with its ratio to the baseline measured in the same run, so the
numbers compare across machines. Figures go to ``bench/results/public_pages.json``.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS = REPO_ROOT / "bench" / "results" / "public_pages.json"


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time per endpoint")
    parser.add_argument("--json", action="store_true", help="print the figures as one object")
    return parser.parse_args(argv)


def _configure_django(host_dir):
    sys.path.insert(0, str(REPO_ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.host.settings"
    os.environ["CREDPLUGIN_HOST_DIR"] = host_dir
    os.environ["CREDPLUGIN_HOST_SETTINGS_TYPE"] = "test"
    os.environ.pop("CREDPLUGIN_DATABASE_URL", None)
    os.environ.pop("CREDPLUGIN_CELERY_BROKER", None)
    import django  # noqa: PLC0415

    django.setup()


def baseline_view(request):
    """The cheapest possible answer through the same middleware: the stack's own cost."""
    from django.http import HttpResponse  # noqa: PLC0415

    return HttpResponse("ok")


def _bench_urlconf():
    """The host's URLs plus the baseline view, as a module Django can use as ROOT_URLCONF."""
    import types  # noqa: PLC0415

    from django.urls import include, path  # noqa: PLC0415

    module = types.ModuleType("bench_public_pages_urls")
    module.urlpatterns = [
        path("bench/baseline", baseline_view),
        path("", include("tests.host.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def _issue_badge():
    """One badge issued by the real pipeline, as a learner would earn it."""
    from django.core.management import call_command  # noqa: PLC0415

    from credplugin.models import IssuedBadge  # noqa: PLC0415
    from tests.factories import UserFactory, criterion_levels  # noqa: PLC0415
    from tests.issued_badges import pass_capstone, register_capstone  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    call_command("credplugin_keys", "generate", verbosity=0)
    setup = register_capstone()
    learner = UserFactory(username="bench")
    pass_capstone(
        learner,
        setup["rubric_hash"],
        criterion_levels=criterion_levels(),
        points_earned=4,
        evidence=[],
        feedback="",
    )
    return IssuedBadge.objects.get(user=learner)


def _rate(send, seconds):
    """Requests per second of ``send()`` over ``seconds``, after a short warm-up."""
    for _ in range(3):
        send()
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        response = send()
        if response.status_code != 200:
            raise RuntimeError(f"the benchmark got HTTP {response.status_code}")
        count += 1
    return count / (time.perf_counter() - start)


def run(seconds):
    from django.test import Client, override_settings  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    badge = _issue_badge()
    client = Client()
    body = json.dumps(badge.credential)
    with override_settings(ROOT_URLCONF=_bench_urlconf()):
        page = reverse("credplugin:badge-page", args=[badge.uuid])
        credential = reverse("credplugin:badge-credential", args=[badge.uuid])
        verify = reverse("credplugin:verify-api")
        endpoints = {
            "baseline": lambda: client.get("/bench/baseline"),
            "badge_page": lambda: client.get(page),
            "credential_json": lambda: client.get(credential),
            "verify_api": lambda: client.post(verify, body, content_type="application/json"),
        }
        rates = {name: _rate(send, seconds) for name, send in endpoints.items()}
    return {
        "seconds_per_endpoint": seconds,
        "requests_per_second": {name: round(rate, 1) for name, rate in rates.items()},
        "ratio_to_baseline": {
            name: round(rate / rates["baseline"], 4) for name, rate in rates.items()
        },
        "database": "sqlite (in-process test client, no network)",
        "python": sys.version.split()[0],
    }


def main(argv=None):
    args = _parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="credplugin-bench-") as host_dir:
        _configure_django(host_dir)
        figures = run(args.seconds)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(figures))
    else:
        for name, rate in figures["requests_per_second"].items():
            ratio = figures["ratio_to_baseline"][name]
            print(f"{name:16} {rate:10.1f} req/s   {ratio:8.4f} × baseline")
        print(f"written to {RESULTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
