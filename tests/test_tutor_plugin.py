"""The Tutor plugin file (tutor/credplugin.py) against the code it configures.

Tutor is not installed here, so a recording stand-in for ``tutor.hooks`` captures what the
plugin registers; the settings patch is rendered with Jinja as Tutor would and executed as
the Python it becomes in the LMS settings.
"""

import importlib.util
import shlex
import sys
import types
from pathlib import Path

import jinja2
import pytest
from django.core.management import get_commands, load_command_class
from django.urls import reverse

from credplugin.conf import DEFAULTS, credplugin_settings

PLUGIN_PATH = Path(__file__).resolve().parents[1] / "tutor" / "credplugin.py"


class _Hook:
    """Records what a plugin adds to one Tutor filter or action."""

    def __init__(self):
        self.items = []

    def add_item(self, item):
        self.items.append(item)

    def add_items(self, items):
        self.items.extend(items)

    def add(self):
        def register(function):
            self.items.append(function)
            return function

        return register


def _load_plugin(monkeypatch, *, with_mfe):
    """tutor/credplugin.py loaded against a recording ``tutor`` package (and ``tutormfe``)."""
    alerts = []
    filters = types.SimpleNamespace(
        CONFIG_DEFAULTS=_Hook(),
        CONFIG_UNIQUE=_Hook(),
        ENV_PATCHES=_Hook(),
        CLI_DO_INIT_TASKS=_Hook(),
        CLI_DO_COMMANDS=_Hook(),
    )
    hooks = types.SimpleNamespace(
        Filters=filters, Actions=types.SimpleNamespace(CONFIG_LOADED=_Hook())
    )
    tutor = types.ModuleType("tutor")
    tutor.hooks = hooks
    tutor.fmt = types.SimpleNamespace(echo_alert=alerts.append)
    monkeypatch.setitem(sys.modules, "tutor", tutor)
    slots = _Hook()
    if with_mfe:
        tutormfe = types.ModuleType("tutormfe")
        tutormfe.hooks = types.SimpleNamespace(PLUGIN_SLOTS=slots)
        monkeypatch.setitem(sys.modules, "tutormfe", tutormfe)
        monkeypatch.setitem(sys.modules, "tutormfe.hooks", tutormfe.hooks)
    else:
        monkeypatch.setitem(sys.modules, "tutormfe", None)  # import fails as if not installed
    spec = importlib.util.spec_from_file_location("tutor_credplugin_under_test", PLUGIN_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return types.SimpleNamespace(module=module, hooks=hooks, alerts=alerts, slots=slots)


@pytest.fixture
def plugin(monkeypatch):
    return _load_plugin(monkeypatch, with_mfe=False)


@pytest.fixture
def plugin_with_mfe(monkeypatch):
    return _load_plugin(monkeypatch, with_mfe=True)


def _rendered_settings(plugin, **config):
    values = dict(plugin.hooks.Filters.CONFIG_DEFAULTS.items)
    values.update(dict(plugin.hooks.Filters.CONFIG_UNIQUE.items))
    values.update(
        PLATFORM_NAME="Académie «Test»",
        CONTACT_EMAIL="contact@example.org",
        CREDPLUGIN_KEY_ENCRYPTION_KEY='a"secret\\with quotes',
    )
    values["CREDPLUGIN_ISSUER_NAME"] = values["PLATFORM_NAME"]
    values["CREDPLUGIN_ISSUER_EMAIL"] = values["CONTACT_EMAIL"]
    values.update(config)
    (patch,) = [
        text
        for name, text in plugin.hooks.Filters.ENV_PATCHES.items
        if name == "openedx-common-settings"
    ]
    namespace = {"EXPLICIT_QUEUES": {}}
    exec(jinja2.Environment().from_string(patch).render(**values), namespace)  # noqa: S102
    return namespace


def test_settings_patch_is_python_that_sets_real_settings(plugin):
    namespace = _rendered_settings(plugin, CREDPLUGIN_SEND_EMAIL=False)

    written = {name for name in namespace if name.startswith("CREDPLUGIN_")}
    assert written <= set(DEFAULTS), written - set(DEFAULTS)
    assert namespace["CREDPLUGIN_ISSUER_NAME"] == "Académie «Test»"
    assert namespace["CREDPLUGIN_KEY_ENCRYPTION_KEY"] == 'a"secret\\with quotes'
    assert namespace["CREDPLUGIN_SEND_EMAIL"] is False


def test_settings_patch_values_pass_the_plugins_own_validation(plugin, settings):
    namespace = _rendered_settings(plugin)
    for name, value in namespace.items():
        if name.startswith("CREDPLUGIN_"):
            setattr(settings, name, value)
    for name in namespace:
        if name.startswith("CREDPLUGIN_"):
            getattr(credplugin_settings, name.removeprefix("CREDPLUGIN_"))


def test_every_credplugin_task_is_routed_to_the_configured_queue(plugin):
    import credplugin.tasks  # noqa: F401  (registers the tasks)
    from tests.host.celery import app

    declared = {name for name in app.tasks if name.startswith("credplugin.")}
    namespace = _rendered_settings(plugin, CREDPLUGIN_CELERY_QUEUE="badges")

    assert declared, "credplugin declares no Celery task; the routing test would prove nothing"
    assert set(namespace["EXPLICIT_QUEUES"]) == declared
    assert all(route == {"queue": "badges"} for route in namespace["EXPLICIT_QUEUES"].values())


def test_init_task_and_cron_jobs_name_real_management_commands(plugin):
    (init_task,) = plugin.hooks.Filters.CLI_DO_INIT_TASKS.items
    sweep_job, survey_job = plugin.hooks.Filters.CLI_DO_COMMANDS.items
    commands = [init_task, *sweep_job.callback(), *survey_job.callback()]

    for service, shell in commands:
        assert service == "lms"
        for invocation in shell.split("||"):
            words = [word for word in shlex.split(invocation) if ">" not in word]
            words = [word for word in words if word != "/dev/null"]
            program, project, name, *arguments = words
            assert (program, project) == ("./manage.py", "lms")
            command = load_command_class(get_commands()[name], name)
            command.create_parser("manage.py", name).parse_args(arguments)


@pytest.mark.parametrize(
    ("requirements", "alerted"),
    [([], True), (["some-other-package"], True), (["credplugin==1.0"], False)],
)
def test_operator_is_told_when_the_package_is_not_installed(plugin, requirements, alerted):
    (check,) = plugin.hooks.Actions.CONFIG_LOADED.items
    check({"OPENEDX_EXTRA_PIP_REQUIREMENTS": requirements})
    assert bool(plugin.alerts) is alerted
    if alerted:
        assert "OPENEDX_EXTRA_PIP_REQUIREMENTS=credplugin" in plugin.alerts[0]


def test_with_tutor_mfe_my_badges_joins_every_header_and_the_learner_dashboard(plugin_with_mfe):
    slots = {(mfe, slot): config for mfe, slot, config in plugin_with_mfe.slots.items}
    assert set(slots) == {
        ("all", "org.openedx.frontend.layout.header_desktop_user_menu.v1"),
        ("all", "org.openedx.frontend.layout.header_mobile_user_menu.v1"),
        ("learner-dashboard", "org.openedx.frontend.learner_dashboard.widget_sidebar.v1"),
    }
    for config in slots.values():
        assert "credpluginMyBadgesUrl" in config and "My badges" in config
        assert config.count("{") == config.count("}") and config.count("(") == config.count(")")
    patches = dict(plugin_with_mfe.hooks.Filters.ENV_PATCHES.items)
    rendered = (
        jinja2.Environment()
        .from_string(patches["mfe-env-config-runtime-definitions"])
        .render(ENABLE_HTTPS=True, LMS_HOST="lms.example.org")
    )
    assert rendered == (
        "const credpluginMyBadgesUrl = 'https://lms.example.org/credplugin/my-badges/';"
    )
    assert reverse("credplugin:my-badges") == "/credplugin/my-badges/"


def test_without_tutor_mfe_no_slot_is_configured(plugin):
    patches = dict(plugin.hooks.Filters.ENV_PATCHES.items)
    assert "mfe-env-config-runtime-definitions" not in patches
    assert plugin.slots.items == []
