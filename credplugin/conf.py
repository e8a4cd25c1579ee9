"""Typed, lazily read access to the ``CREDPLUGIN_*`` settings.

Nothing here reads Django settings at import time: every attribute of ``credplugin_settings``
is looked up when it is used, so a host may change settings after the plugin is imported and
tests may use ``override_settings``. ``DEFAULTS`` is the single source of default values;
``settings/common.py`` applies them and the README documents each one.
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AWARD_ON_PASSING = "passing"
AWARD_ON_CERTIFICATE = "certificate"
ON_FAILING_KEEP = "keep"
ON_FAILING_SUSPEND = "suspend"
ON_FAILING_REVOKE = "revoke"
EVENTS_FROM_LOCAL = "local"
EVENTS_FROM_EVENT_BUS = "event_bus"

DEFAULTS = {
    # .. setting_name: CREDPLUGIN_ISSUER_NAME
    # .. setting_default: ""  (falls back to PLATFORM_NAME)
    # .. setting_description: The issuing organization's name, shown on badges and pages.
    "CREDPLUGIN_ISSUER_NAME": "",
    # .. setting_name: CREDPLUGIN_ISSUER_URL
    # .. setting_default: ""  (falls back to LMS_ROOT_URL)
    # .. setting_description: The issuer's public web site, written into the issuer profile.
    "CREDPLUGIN_ISSUER_URL": "",
    # .. setting_name: CREDPLUGIN_ISSUER_EMAIL
    # .. setting_default: ""
    # .. setting_description: A contact address for verifiers, written into the issuer profile.
    "CREDPLUGIN_ISSUER_EMAIL": "",
    # .. setting_name: CREDPLUGIN_ISSUER_IMAGE
    # .. setting_default: ""
    # .. setting_description: Absolute URL of the issuer's logo.
    "CREDPLUGIN_ISSUER_IMAGE": "",
    # .. setting_name: CREDPLUGIN_ISSUER_LOGO_FILE
    # .. setting_default: ""  (the issuer's initials are drawn instead)
    # .. setting_description: Path of a local PNG or JPEG of the issuer's logo, drawn on the
    #    generated badge artwork. A file, not a URL: artwork is drawn without network access.
    "CREDPLUGIN_ISSUER_LOGO_FILE": "",
    # .. setting_name: CREDPLUGIN_ISSUER_DID
    # .. setting_default: ""  (derived: did:web of LMS_ROOT_URL)
    # .. setting_description: Issuer identifier; set a did:key here for sites that cannot
    #    serve /.well-known/did.json.
    "CREDPLUGIN_ISSUER_DID": "",
    # .. setting_name: CREDPLUGIN_AWARD_ON
    # .. setting_default: "passing"
    # .. setting_description: "passing" awards when the course is passed; "certificate" only
    #    when a certificate is created.
    "CREDPLUGIN_AWARD_ON": AWARD_ON_PASSING,
    # .. setting_name: CREDPLUGIN_ON_FAILING
    # .. setting_default: "keep"
    # .. setting_description: What happens to an awarded badge when the learner falls below
    #    passing: "keep", "suspend" or "revoke".
    "CREDPLUGIN_ON_FAILING": ON_FAILING_KEEP,
    # .. setting_name: CREDPLUGIN_PATHWAY_ON_COMPONENT_LOST
    # .. setting_default: "suspend"
    # .. setting_description: What happens to a pathway badge when a badge it counted is
    #    revoked, suspended or expires and the pathway is no longer complete: "keep",
    #    "suspend" (lifted when the pathway is complete again) or "revoke". A pathway may
    #    choose its own.
    "CREDPLUGIN_PATHWAY_ON_COMPONENT_LOST": ON_FAILING_SUSPEND,
    # .. setting_name: CREDPLUGIN_EVENTS_FROM
    # .. setting_default: "local"
    # .. setting_description: Which delivery of a passing event the plugin acts on when the
    #    event bus delivers it a second time: "local" (the process that graded) or "event_bus"
    #    (the event-bus consumer). The other delivery is ignored.
    "CREDPLUGIN_EVENTS_FROM": EVENTS_FROM_LOCAL,
    # .. setting_name: CREDPLUGIN_KEY_ENCRYPTION_KEY
    # .. setting_default: ""  (derived from SECRET_KEY)
    # .. setting_description: Secret used to encrypt signing keys at rest in the database.
    "CREDPLUGIN_KEY_ENCRYPTION_KEY": "",
    # .. setting_name: CREDPLUGIN_SIGNING_KEY_PEM_FILE
    # .. setting_default: ""
    # .. setting_description: Path of a PKCS#8 PEM Ed25519 private key to sign with instead of a
    #    database key.
    "CREDPLUGIN_SIGNING_KEY_PEM_FILE": "",
    # .. setting_name: CREDPLUGIN_SIGNING_KEY_ENV_VAR
    # .. setting_default: ""
    # .. setting_description: Name of an environment variable holding a PEM Ed25519 private key
    #    to sign with instead of a database key.
    "CREDPLUGIN_SIGNING_KEY_ENV_VAR": "",
    # .. setting_name: CREDPLUGIN_SWEEP_AFTER_SECONDS
    # .. setting_default: 300
    # .. setting_description: A pending issuance request older than this is re-queued by the
    #    sweeper.
    "CREDPLUGIN_SWEEP_AFTER_SECONDS": 300,
    # .. setting_name: CREDPLUGIN_ISSUANCE_LEASE_SECONDS
    # .. setting_default: 15
    # .. setting_description: How long a task's claim on the awards it is issuing lasts without
    #    being renewed (it renews every third of this while it signs). When a worker dies, its
    #    awards are taken over at once by the task's redelivered message, otherwise, once the
    #    claim has run out, by the next evaluation or the recovery a live or restarting worker
    #    queues for that moment: this bounds the delay a killed worker costs. Too short only
    #    makes a slow but live task's work be signed twice, never stored twice.
    "CREDPLUGIN_ISSUANCE_LEASE_SECONDS": 15,
    # .. setting_name: CREDPLUGIN_EVALUATION_DEBOUNCE_SECONDS
    # .. setting_default: 2
    # .. setting_description: After queueing an evaluation for a course, a process queues no
    #    other for that course for this many seconds; each such evaluation looks again this many
    #    seconds after it finished, so no debounced learner waits for the sweeper. Per process,
    #    no cache involved; 0 queues one evaluation per changed status. Off when Celery tasks
    #    run eagerly.
    "CREDPLUGIN_EVALUATION_DEBOUNCE_SECONDS": 2,
    # .. setting_name: CREDPLUGIN_TASK_MAX_RETRIES
    # .. setting_default: 8
    # .. setting_description: Retries of a transient failure (database or broker) before the
    #    request waits for the sweeper.
    "CREDPLUGIN_TASK_MAX_RETRIES": 8,
    # .. setting_name: CREDPLUGIN_SEND_EMAIL
    # .. setting_default: True
    # .. setting_description: E-mail learners when a badge is awarded (each learner may opt out).
    "CREDPLUGIN_SEND_EMAIL": True,
    # .. setting_name: CREDPLUGIN_VERIFY_MAX_BYTES
    # .. setting_default: 2097152
    # .. setting_description: Largest badge (JSON, PNG or SVG) the verify page and API accept.
    "CREDPLUGIN_VERIFY_MAX_BYTES": 2 * 1024 * 1024,
    # .. setting_name: CREDPLUGIN_VERIFY_ALLOWED_HOSTS
    # .. setting_default: []
    # .. setting_description: Other hosts whose DID documents and status lists the verify API
    #    may fetch. This site's own documents and did:key need no entry. A bare host name means
    #    https://host; give an origin (e.g. "http://10.0.0.5:8080") for another scheme or port.
    #    Redirects are never followed. A host name must resolve to public addresses only (an IP
    #    address is used as listed); a fetch gets 5 seconds in all.
    "CREDPLUGIN_VERIFY_ALLOWED_HOSTS": [],
    # .. setting_name: CREDPLUGIN_VERIFY_RATE_LIMIT
    # .. setting_default: "30/min"
    # .. setting_description: How many badges one client (by REMOTE_ADDR, or as Django REST
    #    framework's throttles identify it when NUM_PROXIES is set) may submit to the verify
    #    page and API, as "N/sec", "N/min", "N/hour" or "N/day"; further submissions get 429
    #    until the window moves on. An empty value turns the limit off.
    "CREDPLUGIN_VERIFY_RATE_LIMIT": "30/min",
    # .. setting_name: CREDPLUGIN_TRUSTED_ISSUERS
    # .. setting_default: []
    # .. setting_description: Issuer DIDs (did:web or did:key) whose badges the verify page and
    #    API present as from an issuer this site's operator trusts. Any other issuer but this
    #    site is "unknown": its "Verified" means only that the signature is intact.
    "CREDPLUGIN_TRUSTED_ISSUERS": [],
    # .. setting_name: CREDPLUGIN_PUBLIC_CACHE_SECONDS
    # .. setting_default: 300
    # .. setting_description: How long caches may keep public badge pages, DID documents and
    #    status lists; bounds how long a revoked badge can still look valid in a cache.
    "CREDPLUGIN_PUBLIC_CACHE_SECONDS": 300,
    # .. setting_name: CREDPLUGIN_FAST_CANONICALIZATION
    # .. setting_default: True
    # .. setting_description: Canonicalize credentials for signing and verifying with the fast
    #    canonicalizer first, falling back to pyld for shapes it does not cover. False forces
    #    the pyld reference for every credential (some 80 times the CPU time), for example to
    #    rule the fast path out while investigating a proof that does not verify.
    "CREDPLUGIN_FAST_CANONICALIZATION": True,
    # .. setting_name: CREDPLUGIN_WORKER_GC_TUNING
    # .. setting_default: True
    # .. setting_description: Each Celery pool process, once started, freezes its start-up
    #    objects for Python's garbage collector and runs full collections a tenth as often
    #    (``issuing.worker_heap``); it applies to every task those processes run. False leaves
    #    the collector as Python sets it, for hosts that tune it themselves.
    "CREDPLUGIN_WORKER_GC_TUNING": True,
    # .. setting_name: CREDPLUGIN_UPLOAD_STORAGE
    # .. setting_default: ""  (Django's default storage)
    # .. setting_description: Dotted path of the storage class for learners' project files
    #    and the badge images authors upload in Studio.
    "CREDPLUGIN_UPLOAD_STORAGE": "",
    # .. setting_name: CREDPLUGIN_CONTENT_STORE
    # .. setting_default: ""  (edx-platform's modulestore)
    # .. setting_description: Outside edx-platform only: dotted path of an object with
    #    ``published_blocks(course_key, block_type)``, ``published_block(usage_key)`` and
    #    ``library_copies(library_usage_key)`` that reads the course content learners see.
    #    Unused where the modulestore exists.
    "CREDPLUGIN_CONTENT_STORE": "",
    # .. setting_name: CREDPLUGIN_RENEWAL_REMINDER_DAYS
    # .. setting_default: [90, 30, 7, 0]
    # .. setting_description: Days before a renewable badge expires on which its holder is
    #    e-mailed a renewal reminder (0: the day it expires). Each is sent once per version of
    #    the badge; when several have passed unsent, only the nearest is sent, and one more
    #    than three days late is dropped.
    "CREDPLUGIN_RENEWAL_REMINDER_DAYS": [90, 30, 7, 0],
    # .. setting_name: CREDPLUGIN_MENTOR_TURNAROUND_HOURS
    # .. setting_default: 48
    # .. setting_description: The target turnaround of a mentor review: work that has waited
    #    this many hours is e-mailed to its mentor (or, without one, to the course's reviewers),
    #    once per submission; mentors may opt out on their dashboard.
    "CREDPLUGIN_MENTOR_TURNAROUND_HOURS": 48,
    # .. setting_name: CREDPLUGIN_SURVEY_DAYS
    # .. setting_default: [30, 90, 180]
    # .. setting_description: Days after an award when the earner is e-mailed a follow-up
    #    survey, for badge classes without their own outcome plan; [] sends none.
    "CREDPLUGIN_SURVEY_DAYS": [30, 90, 180],
    # .. setting_name: CREDPLUGIN_SURVEY_SEND_WITHIN_DAYS
    # .. setting_default: 14
    # .. setting_description: A survey not sent within this many days of its due date is
    #    skipped, so a late start or a long outage never sends a pile of stale surveys.
    "CREDPLUGIN_SURVEY_SEND_WITHIN_DAYS": 14,
    # .. setting_name: CREDPLUGIN_SURVEY_EDIT_DAYS
    # .. setting_default: 30
    # .. setting_description: How long after answering a follow-up survey the learner may
    #    still change the answer.
    "CREDPLUGIN_SURVEY_EDIT_DAYS": 30,
    # .. setting_name: CREDPLUGIN_OUTCOMES_MIN_COHORT
    # .. setting_default: 10
    # .. setting_description: The fewest people a published outcome figure may be computed
    #    from; smaller cells are suppressed.
    "CREDPLUGIN_OUTCOMES_MIN_COHORT": 10,
    # .. setting_name: CREDPLUGIN_WALLET_EXCHANGE_SECONDS
    # .. setting_default: 600
    # .. setting_description: How long an "Add to wallet" exchange (its QR code and links)
    #    stays usable; each exchange delivers its badge to one wallet, once.
    "CREDPLUGIN_WALLET_EXCHANGE_SECONDS": 600,
    # .. setting_name: CREDPLUGIN_OB_API_TERMS_URL
    # .. setting_default: ""  (falls back to the issuer URL)
    # .. setting_description: The terms of service the Open Badges 3.0 API's discovery
    #    document names for clients (``info.termsOfService``).
    "CREDPLUGIN_OB_API_TERMS_URL": "",
    # .. setting_name: CREDPLUGIN_OB_API_PRIVACY_URL
    # .. setting_default: ""  (falls back to the issuer URL)
    # .. setting_description: The privacy policy the Open Badges 3.0 API's discovery document
    #    names for clients (``info.x-imssf-privacyPolicyUrl``).
    "CREDPLUGIN_OB_API_PRIVACY_URL": "",
    # .. setting_name: CREDPLUGIN_PEER_LEASE_HOURS
    # .. setting_default: 4
    # .. setting_description: How long a peer reviewer holds the submission handed to them;
    #    an unfinished review after that is released and the submission handed to someone else.
    "CREDPLUGIN_PEER_LEASE_HOURS": 4,
    # .. setting_name: CREDPLUGIN_PEER_REMINDER_HOURS
    # .. setting_default: 48
    # .. setting_description: Hours after submitting when a learner who still owes peer
    #    reviews (and has work available to review) is e-mailed a reminder, once per block;
    #    learners may opt out in the block.
    "CREDPLUGIN_PEER_REMINDER_HOURS": 48,
}

_CHOICES = {
    "CREDPLUGIN_AWARD_ON": (AWARD_ON_PASSING, AWARD_ON_CERTIFICATE),
    "CREDPLUGIN_ON_FAILING": (ON_FAILING_KEEP, ON_FAILING_SUSPEND, ON_FAILING_REVOKE),
    "CREDPLUGIN_EVENTS_FROM": (EVENTS_FROM_LOCAL, EVENTS_FROM_EVENT_BUS),
    "CREDPLUGIN_PATHWAY_ON_COMPONENT_LOST": (
        ON_FAILING_KEEP,
        ON_FAILING_SUSPEND,
        ON_FAILING_REVOKE,
    ),
}

# Settings written in a format: the pattern a non-empty value must match, and how to say it.
_FORMATS = {
    "CREDPLUGIN_VERIFY_RATE_LIMIT": (
        re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$"),
        'a rate such as "30/min" (per sec, min, hour or day), or empty for no limit',
    ),
}

# Settings that must be a whole number of at least one.
_POSITIVE_WHOLE_NUMBERS = {"CREDPLUGIN_MENTOR_TURNAROUND_HOURS", "CREDPLUGIN_PEER_REMINDER_HOURS"}


class CredPluginSettings:
    """Attribute access to the plugin's settings without the ``CREDPLUGIN_`` prefix.

    ``credplugin_settings.AWARD_ON`` reads ``settings.CREDPLUGIN_AWARD_ON`` at that moment,
    falling back to ``DEFAULTS``; settings with a fixed set of values are checked on read so a
    typo fails loudly instead of silently disabling badges, and so are those written in a format.
    """

    def __getattr__(self, short_name):
        name = f"CREDPLUGIN_{short_name}"
        if name not in DEFAULTS:
            raise AttributeError(f"credplugin has no setting {name}")
        value = getattr(settings, name, DEFAULTS[name])
        allowed = _CHOICES.get(name)
        if allowed and value not in allowed:
            raise ImproperlyConfigured(
                f"{name} is {value!r}; it must be one of {', '.join(allowed)}."
            )
        if name in _POSITIVE_WHOLE_NUMBERS and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            raise ImproperlyConfigured(f"{name} is {value!r}; it must be a whole number from 1.")
        pattern, described = _FORMATS.get(name, (None, ""))
        if pattern and value and not (isinstance(value, str) and pattern.match(value)):
            raise ImproperlyConfigured(f"{name} is {value!r}; it must be {described}.")
        return value

    @property
    def lms_root_url(self):
        return getattr(settings, "LMS_ROOT_URL", "").rstrip("/")

    @property
    def issuer_name(self):
        return self.ISSUER_NAME or getattr(settings, "PLATFORM_NAME", "") or ""

    @property
    def issuer_url(self):
        return self.ISSUER_URL or self.lms_root_url


credplugin_settings = CredPluginSettings()
