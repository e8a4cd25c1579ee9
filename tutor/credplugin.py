"""Tutor plugin for credplugin: install it, configure it and route its Celery tasks.

Install (Tutor >= 16; copy this file into the plugins root and enable it)::

    cp tutor/credplugin.py "$(tutor plugins printroot)/credplugin.py"
    tutor plugins enable credplugin
    tutor config save --append OPENEDX_EXTRA_PIP_REQUIREMENTS=credplugin
    tutor config save --set CREDPLUGIN_ISSUER_EMAIL=badges@example.org
    tutor images build openedx
    tutor local launch            # runs the migrations and creates the signing key

What it does:

- reminds the operator, on every ``tutor config`` load, when ``credplugin`` is missing from
  ``OPENEDX_EXTRA_PIP_REQUIREMENTS`` (a plugin cannot safely edit that list: it belongs to
  the operator's ``config.yml``);
- writes the ``CREDPLUGIN_*`` settings into ``openedx-common-settings`` (LMS and Studio read
  the same issuer identity) and a per-installation key-encryption secret, generated once and
  kept in ``config.yml`` — back that file up together with the database;
- routes every ``credplugin.tasks.*`` task to the LMS worker's queue with ``EXPLICIT_QUEUES``
  (task names stay stable; the plugin never hard-codes a queue);
- creates the issuer signing key during ``tutor local do init`` when none is active;
- adds the jobs ``tutor local do credplugin-sweep``, ``credplugin-send-surveys``,
  ``credplugin-send-renewal-reminders``, ``credplugin-mentor-reminders``,
  ``credplugin-peer-sweep`` and ``credplugin-outcomes``;
- with tutor-mfe, puts "My badges" in the user menu of every MFE header (desktop and mobile)
  and a "My badges" card in the learner dashboard's sidebar, through frontend plugin slots
  (rebuild the mfe image after enabling: ``tutor images build mfe``). The Learning MFE's
  course tabs get a "Badges" tab from the package itself (entry point ``openedx.course_tab``).

Tutor runs no Celery beat, so the sweeper, which re-queues issuance requests a lost broker
message left pending, needs a cron line on the Docker host, for example every five minutes::

    */5 * * * * tutor local do credplugin-sweep >> /var/log/credplugin-sweep.log 2>&1
    17 * * * * tutor local do credplugin-send-surveys >> /var/log/credplugin-surveys.log 2>&1
    29 * * * * tutor local do credplugin-send-renewal-reminders >> /var/log/credplugin-renew.log
    */15 * * * * tutor local do credplugin-mentor-reminders >> /var/log/credplugin-mentor.log
    */15 * * * * tutor local do credplugin-peer-sweep >> /var/log/credplugin-peer.log 2>&1
    */5 * * * * tutor local do credplugin-outcomes >> /var/log/credplugin-outcomes.log 2>&1

On Kubernetes, run ``./manage.py lms credplugin_sweep`` from a CronJob using the openedx image.
"""

import click

from tutor import fmt, hooks

try:
    from tutormfe.hooks import PLUGIN_SLOTS
except ImportError:  # tutor-mfe is not installed: there is no MFE to add links to
    PLUGIN_SLOTS = None

LMS_DEFAULT_QUEUE = "edx.lms.core.default"

# Every Celery task credplugin declares; EXPLICIT_QUEUES is keyed by full task name.
TASK_NAMES = (
    "credplugin.tasks.evaluate_learner_task",
    "credplugin.tasks.issue_badge_task",
    "credplugin.tasks.issue_badges_task",
    "credplugin.tasks.recover_lost_work_task",
    "credplugin.tasks.sweep_issuance_requests_task",
    "credplugin.tasks.send_assessment_email_task",
    "credplugin.tasks.renew_badge_task",
    "credplugin.tasks.send_renewal_reminders_task",
    "credplugin.tasks.send_follow_up_surveys_task",
    "credplugin.tasks.send_mentor_reminders_task",
    "credplugin.tasks.refresh_outcomes_task",
    "credplugin.tasks.sweep_peer_reviews_task",
)

hooks.Filters.CONFIG_DEFAULTS.add_items(
    [
        ("CREDPLUGIN_ISSUER_NAME", "{{ PLATFORM_NAME }}"),
        ("CREDPLUGIN_ISSUER_EMAIL", "{{ CONTACT_EMAIL }}"),
        ("CREDPLUGIN_ISSUER_IMAGE", ""),
        ("CREDPLUGIN_AWARD_ON", "passing"),
        ("CREDPLUGIN_ON_FAILING", "keep"),
        ("CREDPLUGIN_SEND_EMAIL", True),
        ("CREDPLUGIN_CELERY_QUEUE", LMS_DEFAULT_QUEUE),
    ]
)

# Generated once per installation and stored in config.yml: losing it makes the signing keys
# stored in the database unreadable, so it is independent of SECRET_KEY rotations.
hooks.Filters.CONFIG_UNIQUE.add_items([("CREDPLUGIN_KEY_ENCRYPTION_KEY", "{{ 48|random_string }}")])


@hooks.Actions.CONFIG_LOADED.add()
def _check_pip_requirement(config):
    """Tell the operator when the image would be built without the package."""
    requirements = config.get("OPENEDX_EXTRA_PIP_REQUIREMENTS") or []
    if not any(str(item).startswith("credplugin") for item in requirements):
        fmt.echo_alert(
            "credplugin is enabled but not installed in the openedx image. Run:\n"
            "  tutor config save --append OPENEDX_EXTRA_PIP_REQUIREMENTS=credplugin\n"
            "  tutor images build openedx"
        )


# Python appended to the LMS and Studio settings (rendered by Tutor's Jinja: CREDPLUGIN_* are the
# Tutor config values above). LMS and Studio must agree on the issuer identity.
SETTINGS_PATCH = """
# credplugin: issuer identity and behaviour (tutor config save --set CREDPLUGIN_…=…)
CREDPLUGIN_ISSUER_NAME = {{ CREDPLUGIN_ISSUER_NAME|tojson }}
CREDPLUGIN_ISSUER_EMAIL = {{ CREDPLUGIN_ISSUER_EMAIL|tojson }}
CREDPLUGIN_ISSUER_IMAGE = {{ CREDPLUGIN_ISSUER_IMAGE|tojson }}
CREDPLUGIN_AWARD_ON = {{ CREDPLUGIN_AWARD_ON|tojson }}
CREDPLUGIN_ON_FAILING = {{ CREDPLUGIN_ON_FAILING|tojson }}
CREDPLUGIN_SEND_EMAIL = {{ "True" if CREDPLUGIN_SEND_EMAIL else "False" }}
CREDPLUGIN_KEY_ENCRYPTION_KEY = {{ CREDPLUGIN_KEY_ENCRYPTION_KEY|tojson }}
# credplugin: its tasks run on the LMS worker, whichever service queued them.
_credplugin_queue = {{ CREDPLUGIN_CELERY_QUEUE|tojson }}
""" + "".join(
    f'EXPLICIT_QUEUES["{name}"] = {{"queue": _credplugin_queue}}\n' for name in TASK_NAMES
)

hooks.Filters.ENV_PATCHES.add_item(("openedx-common-settings", SETTINGS_PATCH))

# Init runs at every launch; "generate" refuses when a key is active, so only call it when
# there is no active key to export.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(
    (
        "lms",
        "./manage.py lms credplugin_keys export-public --multibase > /dev/null 2>&1"
        " || ./manage.py lms credplugin_keys generate",
    )
)


# The periodic jobs, as ``tutor local do <name>``: Tutor runs no Celery beat, so cron runs them
# (the module docstring has the lines). Name: (the LMS management command, the job's help).
PERIODIC_JOBS = {
    "credplugin-sweep": (
        "credplugin_sweep",
        "Re-queue badge issuance requests left pending (run it from cron: Tutor has no beat).",
    ),
    "credplugin-send-surveys": (
        "credplugin_send_surveys",
        "E-mail the follow-up surveys now due (run it hourly from cron: Tutor has no beat).",
    ),
    "credplugin-send-renewal-reminders": (
        "credplugin_renewals --send",
        "E-mail the renewal reminders now due and queue renewals left pending (run it hourly"
        " from cron: Tutor has no beat; overlapping runs send each reminder once).",
    ),
    "credplugin-mentor-reminders": (
        "credplugin_mentor_reminders",
        "E-mail mentors about work waiting past the target turnaround (every 15 minutes from"
        " cron: Tutor has no beat).",
    ),
    "credplugin-peer-sweep": (
        "credplugin_peer_sweep",
        "Release expired peer-review leases and unblock work waiting past its days (every 15"
        " minutes from cron: Tutor has no beat; overlapping runs change each submission once).",
    ),
    "credplugin-outcomes": (
        "credplugin_outcomes",
        "Store the counted page views, verifications and shares, roll up the dashboards' days"
        " and keep the quarters that became final (every five minutes from cron: Tutor has no"
        " beat).",
    ),
}


def _lms_job(name, command, help_text):
    """The ``tutor local do`` job ``name``: run ``manage.py lms <command>`` in the LMS."""

    @click.command(name=name, help=help_text)
    def job():
        return [("lms", f"./manage.py lms {command}")]

    return job


for _name, (_command, _help) in PERIODIC_JOBS.items():
    hooks.Filters.CLI_DO_COMMANDS.add_item(_lms_job(_name, _command, _help))


# "My badges" in the MFEs, through frontend-plugin-framework slots. The URL is rendered by Tutor
# into env.config.jsx (patches are templates), inside the block that may use the plugin slots.
MY_BADGES_URL_PATCH = (
    "const credpluginMyBadgesUrl = "
    "'{% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ LMS_HOST }}/credplugin/my-badges/';"
)
# frontend-component-header's user menus; the desktop menu is a list of groups of items, the
# mobile one a flat list of items.
USER_MENU_SLOTS = (
    "org.openedx.frontend.layout.header_desktop_user_menu.v1",
    "org.openedx.frontend.layout.header_mobile_user_menu.v1",
)
DASHBOARD_SIDEBAR_SLOT = "org.openedx.frontend.learner_dashboard.widget_sidebar.v1"
USER_MENU_PLUGIN = """
{
  op: PLUGIN_OPERATIONS.Modify,
  widgetId: 'default_contents',
  fn: (widget) => {
    const item = { type: 'item', href: credpluginMyBadgesUrl, content: 'My badges' };
    const menu = widget.content.menu || [];
    const group = menu.find((entry) => Array.isArray(entry.items));
    if (group) { group.items.unshift(item); } else { menu.unshift(item); }
    widget.content.menu = menu;
    return widget;
  },
}
"""
DASHBOARD_PLUGIN = """
{
  op: PLUGIN_OPERATIONS.Insert,
  widget: {
    id: 'credplugin_my_badges',
    type: DIRECT_PLUGIN,
    priority: 10,
    RenderWidget: () => (
      <div className="p-3 mb-3 border rounded bg-white">
        <h2 className="h4">My badges</h2>
        <p>Open Badges you earned in your courses: share them, download them, check them.</p>
        <a className="btn btn-outline-primary" href={credpluginMyBadgesUrl}>My badges</a>
      </div>
    ),
  },
}
"""

if PLUGIN_SLOTS is not None:
    hooks.Filters.ENV_PATCHES.add_item(("mfe-env-config-runtime-definitions", MY_BADGES_URL_PATCH))
    PLUGIN_SLOTS.add_items(
        [("all", slot, USER_MENU_PLUGIN) for slot in USER_MENU_SLOTS]
        + [("learner-dashboard", DASHBOARD_SIDEBAR_SLOT, DASHBOARD_PLUGIN)]
    )
