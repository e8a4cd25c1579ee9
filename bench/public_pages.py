"""Requests per second of the public badge page and the verify API, against a trivial view.

    .venv/bin/python bench/public_pages.py [--seconds 5] [--json]

Runs in one process on a throwaway SQLite database: migrates, generates a signing key, issues
one badge through the real pipeline (eager Celery), then drives each endpoint through Django's
full request stack (middleware included) with the test client for ``--seconds`` each:

- ``baseline``: a view that returns ``ok`` — the cost of the stack itself;
- ``badge_page``: ``/credplugin/badges/<uuid>/``, which verifies the credential live;
- ``credential_json``: ``…/credential.json``, the stored credential;
- ``verify_api``: ``POST /credplugin/api/v1/verify`` with the credential JSON.

Then the OB 3.0 API: ``GET /ims/ob/v3p0/credentials?limit=100`` with a valid bearer token for a
learner holding 500 badges (copies of the issued one: the read path does not care how they were
signed), p50/p99 latency against ``credential.json``'s p50/p99 in the same run.

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
        latencies = _ob_api_latencies(badge, client, credential, seconds)
    return {
        "latency_ms": latencies,
        "seconds_per_endpoint": seconds,
        "requests_per_second": {name: round(rate, 1) for name, rate in rates.items()},
        "ratio_to_baseline": {
            name: round(rate / rates["baseline"], 4) for name, rate in rates.items()
        },
        "database": "sqlite (in-process test client, no network)",
        "python": sys.version.split()[0],
    }


def _percentiles(send, seconds):
    """p50 and p99 in milliseconds of ``send()`` over ``seconds`` (at least 100 requests)."""
    send()
    durations, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(durations) < 100:
        start = time.perf_counter()
        response = send()
        durations.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"the benchmark got HTTP {response.status_code}")
    durations.sort()
    return {
        "p50": round(durations[len(durations) // 2], 2),
        "p99": round(durations[int(len(durations) * 0.99) - 1], 2),
        "requests": len(durations),
    }


def _ob_api_latencies(badge, client, credential_url, seconds, *, badges=500, page=100):
    """``getCredentials`` (``page`` of ``badges``) and ``credential.json``, same run."""
    import uuid  # noqa: PLC0415
    from datetime import timedelta  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415
    from oauth2_provider.models import get_access_token_model  # noqa: PLC0415

    from credplugin.delivery import ob_api  # noqa: PLC0415
    from credplugin.delivery.ob_api_scopes import SCOPE_CREDENTIAL_READ  # noqa: PLC0415
    from credplugin.models import IssuanceRequest, IssuedBadge  # noqa: PLC0415

    requests = IssuanceRequest.objects.bulk_create(
        IssuanceRequest(
            user=badge.user,
            badge_class=badge.badge_class,
            generation=badge.generation + number,
            status=IssuanceRequest.Status.ISSUED,
        )
        for number in range(1, badges)
    )
    copies = []
    for number, request in enumerate(requests, start=1):
        copy = IssuedBadge.objects.get(pk=badge.pk)
        copy.pk, copy.uuid, copy.request = None, uuid.uuid4(), request
        copy.generation, copy.status_list_index = (
            request.generation,
            badge.status_list_index + number,
        )
        copies.append(copy)
    IssuedBadge.objects.bulk_create(copies)
    client_row, _ = ob_api.register_client(
        {
            "client_name": "Bench",
            "client_uri": "https://bench.example",
            "tos_uri": "https://bench.example/tos",
            "policy_uri": "https://bench.example/privacy",
            "redirect_uris": ["https://bench.example/cb"],
            "scope": SCOPE_CREDENTIAL_READ,
        }
    )
    token = get_access_token_model().objects.create(
        user=badge.user,
        application=client_row.application,
        token="bench-token",
        scope=SCOPE_CREDENTIAL_READ,
        expires=timezone.now() + timedelta(hours=1),
    )
    api_url = f"/ims/ob/v3p0/credentials?limit={page}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token.token}"}
    return {
        "credential_json": _percentiles(lambda: client.get(credential_url), seconds),
        f"ob_api_credentials_{page}_of_{badges}": _percentiles(
            lambda: client.get(api_url, **auth), seconds
        ),
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
        for name, figure in figures["latency_ms"].items():
            print(f"{name:32} p50 {figure['p50']:8.2f} ms   p99 {figure['p99']:8.2f} ms")
        print(f"written to {RESULTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
