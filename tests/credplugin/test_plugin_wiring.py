"""The plugin loads the way edx-platform loads plugins: entry points, settings, URLs, receivers."""

from importlib.metadata import entry_points
from pathlib import Path

import pytest
from celery.signals import worker_process_init, worker_ready
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import get_resolver
from edx_django_utils.plugins import connect_plugin_receivers, get_plugin_apps
from openedx_events.content_authoring.signals import (
    COURSE_IMPORT_COMPLETED,
    COURSE_RERUN_COMPLETED,
    LIBRARY_BLOCK_PUBLISHED,
    XBLOCK_DELETED,
    XBLOCK_DUPLICATED,
    XBLOCK_PUBLISHED,
)
from openedx_events.learning.signals import (
    CCX_COURSE_PASSING_STATUS_UPDATED,
    CERTIFICATE_CREATED,
    COURSE_PASSING_STATUS_UPDATED,
)

from credplugin import conf
from credplugin.conf import credplugin_settings
from credplugin.settings import production
from credplugin.signals import handlers

APP = "credplugin.apps.CredPluginConfig"


@pytest.mark.parametrize("project_type", ["lms.djangoapp", "cms.djangoapp"])
def test_entry_points_name_the_app_for_lms_and_studio(project_type):
    declared = {ep.value for ep in entry_points(group=project_type) if ep.name == "credplugin"}
    assert declared == {"credplugin.apps:CredPluginConfig"}
    assert APP in get_plugin_apps(project_type)


def test_host_discovers_the_plugin_instead_of_listing_it():
    assert APP not in settings.PLATFORM_APPS
    assert APP in settings.INSTALLED_APPS
    assert apps.get_app_config("credplugin").name == "credplugin"


def test_common_and_test_plugin_settings_are_applied():
    assert settings.CREDPLUGIN_AWARD_ON == "passing"
    assert settings.CREDPLUGIN_KEY_ENCRYPTION_KEY == "credplugin-test-key-encryption-key"
    assert "credplugin-sweep" in settings.CELERY_BEAT_SCHEDULE


def test_production_settings_take_operator_yaml_values():
    class FakeSettings:
        ENV_TOKENS = {"CREDPLUGIN_ON_FAILING": "revoke", "UNRELATED": 1}

    fake = FakeSettings()
    production.plugin_settings(fake)
    assert fake.CREDPLUGIN_ON_FAILING == "revoke"
    assert not hasattr(fake, "UNRELATED")


def test_settings_are_read_lazily_and_choices_checked():
    with override_settings(CREDPLUGIN_ON_FAILING="suspend"):
        assert credplugin_settings.ON_FAILING == "suspend"
    with (
        override_settings(CREDPLUGIN_ON_FAILING="delete"),
        pytest.raises(ImproperlyConfigured, match="keep, suspend, revoke"),
    ):
        credplugin_settings.ON_FAILING  # noqa: B018
    with pytest.raises(AttributeError):
        credplugin_settings.NO_SUCH_SETTING  # noqa: B018


def test_urls_are_mounted_under_the_credplugin_namespace():
    assert "credplugin" in get_resolver().namespace_dict


def _connections(signal, receiver):
    return sum(1 for ref in (r[1] for r in signal.receivers) if ref() is receiver)


@pytest.mark.parametrize(
    ("signal", "receiver"),
    [
        (COURSE_PASSING_STATUS_UPDATED, handlers.course_passing_status_updated),
        (CCX_COURSE_PASSING_STATUS_UPDATED, handlers.ccx_course_passing_status_updated),
        (CERTIFICATE_CREATED, handlers.certificate_created),
        (XBLOCK_DELETED, handlers.xblock_deleted),
        (XBLOCK_PUBLISHED, handlers.xblock_published),
        (XBLOCK_DUPLICATED, handlers.xblock_duplicated),
        (COURSE_RERUN_COMPLETED, handlers.course_copied),
        (COURSE_IMPORT_COMPLETED, handlers.course_copied),
        (LIBRARY_BLOCK_PUBLISHED, handlers.library_block_published),
    ],
)
def test_each_receiver_is_connected_exactly_once(signal, receiver):
    assert _connections(signal, receiver) == 1
    connect_plugin_receivers(settings.PROJECT_TYPE)
    assert _connections(signal, receiver) == 1


def test_start_up_queries_no_database_and_connects_nothing_twice():
    # This test may not touch the database (no django_db mark): a query in ready() fails it.
    config = apps.get_app_config("credplugin")
    config.ready()
    config.ready()
    recoveries = [
        key for key, _receiver in worker_ready.receivers if key[0] == "credplugin.recover"
    ]
    assert len(recoveries) == 1
    settlings = [
        key
        for key, _receiver in worker_process_init.receivers
        if key[0] == "credplugin.worker_heap"
    ]
    assert len(settlings) == 1


def test_every_setting_has_a_readme_row_and_an_annotation():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    conf_source = Path(conf.__file__).read_text(encoding="utf-8")
    for name in conf.DEFAULTS:
        assert f"| `{name}` |" in readme, f"{name} has no row in the README settings table"
        assert f"# .. setting_name: {name}\n" in conf_source, f"{name} lacks its annotation"
