"""The Tutor plugin file (tutor/credplugin.py) run by the real ``tutor``, in a throwaway root.

``tutor plugins enable`` and ``tutor config save`` render the LMS and Studio settings as an
operator's would; the tests execute the credplugin part of those settings files as the Python
it is and load the plugin with it. With the real tutor-mfe enabled, the MFEs' rendered
``env.config.jsx`` is parsed as JSX by Babel's parser (``tests/js/env-config.mjs``) and the
"My badges" plugin slots read from its syntax tree. ``tutor local do init`` and ``tutor local do
credplugin-sweep`` run for real too; only Docker is replaced (``tests/tutor_docker.py`` runs the
job's script in a directory whose ``manage.py`` is the test host's), so the init task's shell
really creates the signing key on the test host's database, once.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from credplugin.conf import DEFAULTS
from tests.js_stack import JS_DIR
from tests.tutor_docker import write_manage_wrapper
from tests.workers import REPO_ROOT

pytestmark = [pytest.mark.integration]

PLUGIN_PATH = REPO_ROOT / "tutor" / "credplugin.py"
TUTOR = Path(sys.executable).with_name("tutor")
PATCH_FIRST_LINE = "# credplugin: issuer identity and behaviour"
SETTINGS_FILES = [
    f"{service}/{kind}.py" for service in ("lms", "cms") for kind in ("production", "development")
]
OPERATOR_CONFIG = {
    "PLATFORM_NAME": 'Académie «Test» "quoted"',
    "CREDPLUGIN_ISSUER_EMAIL": "badges@example.org",
    "CREDPLUGIN_CELERY_QUEUE": "badges",
    "CREDPLUGIN_SEND_EMAIL": "false",
}


class TutorSite:
    """A Tutor root of its own: ``run("config", "save", …)`` runs the real ``tutor`` in it."""

    def __init__(self, base):
        self.root = base / "root"
        self.plugins = base / "plugins"
        self.jobs = base / "jobs"
        self.bin = base / "bin"
        self.docker_log = base / "docker.log"
        for directory in (self.plugins, self.jobs, self.bin):
            directory.mkdir(parents=True)
        shutil.copy(PLUGIN_PATH, self.plugins / "credplugin.py")
        docker = self.bin / "docker"
        docker.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tests.tutor_docker "$@"\n')
        docker.chmod(0o755)
        write_manage_wrapper(self.jobs, REPO_ROOT)

    def environment(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CREDPLUGIN_", "DJANGO_"))
        }
        env.update(
            TUTOR_ROOT=str(self.root),
            TUTOR_PLUGINS_ROOT=str(self.plugins),
            TUTOR_DOCKER_LOG=str(self.docker_log),
            TUTOR_DOCKER_WORKDIR=str(self.jobs),
            PATH=os.pathsep.join([str(self.bin), env.get("PATH", "")]),
            PYTHONPATH=os.pathsep.join([str(self.jobs), str(REPO_ROOT)]),
            # The job's LMS: the test host on SQLite, with the settings Tutor rendered.
            DJANGO_SETTINGS_MODULE="tutor_lms_settings",
            CREDPLUGIN_HOST_DIR=str(self.jobs / "host"),
            CREDPLUGIN_HOST_SETTINGS_TYPE="test",
        )
        return env

    def run(self, *args):
        completed = subprocess.run(
            [str(TUTOR), *args],
            env=self.environment(),
            cwd=self.jobs,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, (
            f"tutor {' '.join(args)} exited {completed.returncode}:\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
        return completed

    def settings_file(self, name):
        return (self.root / "env" / "apps" / "openedx" / "settings" / name).read_text()

    def docker_calls(self):
        if not self.docker_log.exists():
            return []
        return [json.loads(line) for line in self.docker_log.read_text().splitlines()]

    def signing_keys(self):
        with sqlite3.connect(self.jobs / "host" / "host.sqlite3") as database:
            return database.execute("SELECT COUNT(*) FROM credplugin_issuerkey").fetchone()[0]


def credplugin_patch(settings_text):
    """The lines credplugin's patch put into a rendered settings file."""
    lines = settings_text.splitlines()
    start = lines.index(PATCH_FIRST_LINE + " (tutor config save --set CREDPLUGIN_…=…)")
    end = max(n for n, line in enumerate(lines) if line.startswith('EXPLICIT_QUEUES["credplugin.'))
    return "\n".join(lines[start : end + 1]) + "\n"


def executed(patch):
    namespace = {"EXPLICIT_QUEUES": {}}
    exec(patch, namespace)  # noqa: S102 - the settings Tutor rendered from our own plugin file
    return namespace


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A Tutor root with credplugin enabled and configured as the plugin's docstring says."""
    site = TutorSite(tmp_path_factory.mktemp("tutor"))
    site.run("plugins", "enable", "credplugin")
    settings = [
        arg for name, value in OPERATOR_CONFIG.items() for arg in ("--set", f"{name}={value}")
    ]
    site.run("config", "save", *settings, "--append", "OPENEDX_EXTRA_PIP_REQUIREMENTS=credplugin")
    patch = credplugin_patch(site.settings_file("lms/production.py"))
    (site.jobs / "tutor_lms_settings.py").write_text(
        "from tests.host.settings import *  # noqa: F403\n\nEXPLICIT_QUEUES = {}\n" + patch
    )
    subprocess.run(
        [sys.executable, "manage.py", "lms", "migrate", "-v0"],
        cwd=site.jobs,
        env=site.environment(),
        check=True,
        timeout=300,
    )
    return site


def test_lms_and_studio_settings_carry_one_identical_credplugin_patch(site):
    patches = {name: credplugin_patch(site.settings_file(name)) for name in SETTINGS_FILES}
    assert len(set(patches.values())) == 1, f"LMS and Studio disagree: {patches}"


def test_rendered_settings_are_the_operators_values_and_real_settings(site):
    namespace = executed(credplugin_patch(site.settings_file("lms/production.py")))

    written = {name for name in namespace if name.startswith("CREDPLUGIN_")}
    assert written <= set(DEFAULTS), written - set(DEFAULTS)
    assert namespace["CREDPLUGIN_ISSUER_NAME"] == OPERATOR_CONFIG["PLATFORM_NAME"]
    assert namespace["CREDPLUGIN_ISSUER_EMAIL"] == "badges@example.org"
    assert namespace["CREDPLUGIN_SEND_EMAIL"] is False
    config = (site.root / "config.yml").read_text()
    secret = namespace["CREDPLUGIN_KEY_ENCRYPTION_KEY"]
    assert len(secret) == 48
    assert f"CREDPLUGIN_KEY_ENCRYPTION_KEY: {secret}" in config, "the secret is not kept"


def test_every_credplugin_task_is_routed_to_the_configured_queue(site):
    import credplugin.tasks  # noqa: F401, PLC0415  (registers the tasks)
    from tests.host.celery import app  # noqa: PLC0415

    declared = {name for name in app.tasks if name.startswith("credplugin.")}
    namespace = executed(credplugin_patch(site.settings_file("cms/production.py")))

    assert declared, "credplugin declares no Celery task; the routing test would prove nothing"
    assert set(namespace["EXPLICIT_QUEUES"]) == declared
    assert all(route == {"queue": "badges"} for route in namespace["EXPLICIT_QUEUES"].values())


def test_init_creates_the_signing_key_once_and_leaves_the_lms_checks_clean(site):
    site.run("local", "do", "init", "--limit", "credplugin")
    assert site.signing_keys() == 1
    site.run("local", "do", "init", "--limit", "credplugin")
    assert site.signing_keys() == 1

    jobs = [call for call in site.docker_calls() if "run" in call]
    assert len(jobs) == 2
    assert all(call[call.index("-c") - 3] == "lms-job" for call in jobs)
    # With the rendered settings and the key, the plugin's system checks find nothing amiss.
    checked = subprocess.run(
        [sys.executable, "manage.py", "lms", "check", "--fail-level", "WARNING"],
        cwd=site.jobs,
        env=site.environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("credplugin-sweep", "./manage.py lms credplugin_sweep"),
        ("credplugin-send-renewal-reminders", "./manage.py lms credplugin_renewals --send"),
        ("credplugin-peer-sweep", "./manage.py lms credplugin_peer_sweep"),
    ],
)
def test_a_cron_job_runs_its_command_in_the_lms(site, name, command):
    listed = site.run("local", "do", "--help").stdout
    assert name in listed

    ran = site.run("local", "do", name)

    (job,) = [call for call in site.docker_calls() if "run" in call][-1:]
    assert job[job.index("-c") - 3] == "lms-job"
    assert job[-1] == command
    assert "job in lms-job exited 0" in ran.stdout


@pytest.mark.parametrize(
    ("appended", "alerted"),
    [(None, True), ("some-other-package", True), ("credplugin==1.0", False)],
)
def test_operator_is_told_when_the_package_is_not_installed(tmp_path, appended, alerted):
    site = TutorSite(tmp_path)
    site.run("plugins", "enable", "credplugin")
    extra = ["--append", f"OPENEDX_EXTRA_PIP_REQUIREMENTS={appended}"] if appended else []
    saved = site.run("config", "save", *extra)
    assert ("OPENEDX_EXTRA_PIP_REQUIREMENTS=credplugin" in saved.stderr + saved.stdout) is alerted


USER_MENU_SLOTS = {
    "org.openedx.frontend.layout.header_desktop_user_menu.v1",
    "org.openedx.frontend.layout.header_mobile_user_menu.v1",
}
DASHBOARD_SIDEBAR_SLOT = "org.openedx.frontend.learner_dashboard.widget_sidebar.v1"


def node_or_skip():
    """The node executable with Babel's parser installed, or a skip (a failure under CI=true)."""
    node = shutil.which("node")
    reason = (
        "node is not installed"
        if node is None
        else "npm modules missing: run `npm ci --prefix tests/js`"
        if not (JS_DIR / "node_modules" / "@babel" / "parser" / "package.json").exists()
        else None
    )
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"The MFE configuration must be parsed in CI: {reason}")
    if reason:
        pytest.skip(reason)
    return node


def run_node(*args, stdin=None):
    completed = subprocess.run(
        [node_or_skip(), *args],
        cwd=JS_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, f"node {args[0]}: {completed.stderr}"
    return completed.stdout


@pytest.fixture(scope="module")
def mfe_site(tmp_path_factory):
    """A Tutor root with tutor-mfe and credplugin enabled, on an HTTPS host of its own."""
    site = TutorSite(tmp_path_factory.mktemp("tutor-mfe"))
    site.run("plugins", "enable", "mfe", "credplugin")
    site.run("config", "save", "--set", "LMS_HOST=learn.example.org", "--set", "ENABLE_HTTPS=true")
    return site


def configured_slots(site):
    """Each plugin slot the rendered env.config.jsx configures, keyed by slot id."""
    path = site.root / "env" / "plugins" / "mfe" / "build" / "mfe" / "env.config.jsx"
    slots = json.loads(run_node("env-config.mjs", str(path)))["slots"]
    return {slot["slot"]: slot for slot in slots}, path.read_text()


def test_the_mfe_config_is_valid_jsx_with_my_badges_in_headers_and_dashboard(mfe_site):
    slots, rendered = configured_slots(mfe_site)

    assert USER_MENU_SLOTS | {DASHBOARD_SIDEBAR_SLOT} <= set(slots)
    assert all(slots[slot]["app"] is None for slot in USER_MENU_SLOTS), "every MFE's header"
    dashboard = slots[DASHBOARD_SIDEBAR_SLOT]
    assert dashboard["app"] == "learner-dashboard"
    assert dashboard["links"] == ["{credpluginMyBadgesUrl}"]
    for slot in [*USER_MENU_SLOTS, DASHBOARD_SIDEBAR_SLOT]:
        free = {"credpluginMyBadgesUrl", "PLUGIN_OPERATIONS"} | (
            {"DIRECT_PLUGIN"} if slot == DASHBOARD_SIDEBAR_SLOT else set()
        )
        assert free <= set(slots[slot]["reads"]), slots[slot]["reads"]
        assert free <= set(slots[slot]["declared"]), f"{slot} reads an undeclared name"
    url = f"https://learn.example.org{reverse('credplugin:my-badges')}"
    assert f"const credpluginMyBadgesUrl = '{url}';" in rendered


# Applies a user menu plugin's Modify operation to the menus frontend-component-header passes:
# groups of items on the desktop, a flat list of items on a phone.
APPLY_USER_MENU_PLUGIN = """
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const source = Buffer.concat(chunks).toString();
const [plugin] = new Function('PLUGIN_OPERATIONS', 'credpluginMyBadgesUrl', `return ${source};`)(
  {Modify: 'modify'}, '/my-badges/');
const account = {type: 'item', href: '/account', content: 'Account'};
const desktop = plugin.fn({content: {menu: [{items: [account]}]}});
const mobile = plugin.fn({content: {menu: [account]}});
process.stdout.write(JSON.stringify({op: plugin.op, id: plugin.widgetId, desktop, mobile}));
"""


@pytest.mark.parametrize("slot", sorted(USER_MENU_SLOTS))
def test_the_user_menu_plugin_puts_my_badges_first_in_either_menu_shape(mfe_site, slot):
    slots, _rendered = configured_slots(mfe_site)
    applied = json.loads(
        run_node("--input-type=module", "-e", APPLY_USER_MENU_PLUGIN, stdin=slots[slot]["source"])
    )

    badges = {"type": "item", "href": "/my-badges/", "content": "My badges"}
    account = {"type": "item", "href": "/account", "content": "Account"}
    assert (applied["op"], applied["id"]) == ("modify", "default_contents")
    assert applied["desktop"]["content"]["menu"] == [{"items": [badges, account]}]
    assert applied["mobile"]["content"]["menu"] == [badges, account]
