"""Course content in the standalone host, with Studio's draft/published distinction.

edx-platform keeps two versions of every block: authors edit the draft in Studio; the LMS
shows learners the published version. This module gives the host the same two versions
(``ContentBlock`` rows) and Studio's content operations — author, publish a block or a unit,
delete, duplicate, re-run, export and import OLX — each sending the openedx-events event
Studio sends, with openedx-events' own data classes. credplugin reads the published version
through :data:`store` (the host's ``CREDPLUGIN_CONTENT_STORE``), as it reads the modulestore's
published branch inside edx-platform.

Blocks run in the XBlock SDK workbench's runtime (its user and i18n services) under real
course usage keys. Learners' own state is kept in memory: it is not what these tests examine.
"""

import io
import threading

from lxml import etree
from opaque_keys.edx.keys import CourseKey, UsageKey
from xblock.field_data import FieldData
from xblock.fields import Scope, ScopeIds

from tests.host.models import ContentBlock

DRAFT = "draft"
PUBLISHED = "published"
_SETTINGS = (Scope.settings, Scope.content)
_learner_state = {}
_learner_state_lock = threading.Lock()


_EVENTS = (
    "XBLOCK_PUBLISHED",
    "XBLOCK_DELETED",
    "XBLOCK_DUPLICATED",
    "COURSE_RERUN_COMPLETED",
    "COURSE_IMPORT_COMPLETED",
    "LIBRARY_BLOCK_PUBLISHED",
)


def reset():
    """Forget learners' in-memory state (the tables roll back with each test) and switch
    Studio's events on: openedx-events' test isolation mixin leaves every event disabled."""
    from openedx_events.content_authoring import signals  # noqa: PLC0415

    with _learner_state_lock:
        _learner_state.clear()
    for name in _EVENTS:
        getattr(signals, name).enable()


class _VersionFieldData(FieldData):
    """Settings from one version of a ``ContentBlock``; learner state from memory.

    Only the draft takes writes to settings, as only Studio writes them.
    """

    def __init__(self, row, version):
        self.row = row
        self.version = version

    def _settings(self, block, name):
        return block.fields[name].scope in _SETTINGS

    def _state_key(self, block, name):
        return (self.row.usage_key, block.scope_ids.user_id, name)

    def get(self, block, name):
        if self._settings(block, name):
            return (getattr(self.row, self.version) or {})[name]
        with _learner_state_lock:
            return _learner_state[self._state_key(block, name)]

    def set(self, block, name, value):
        self.set_many(block, {name: value})

    def set_many(self, block, update_dict):
        settings = {n: v for n, v in update_dict.items() if self._settings(block, n)}
        if settings:
            if self.version != DRAFT:
                raise PermissionError("Learners cannot change a published block's settings.")
            self.row.draft = {**(self.row.draft or {}), **settings}
            ContentBlock.objects.filter(pk=self.row.pk).update(draft=self.row.draft)
        with _learner_state_lock:
            for name, value in update_dict.items():
                if name not in settings:
                    _learner_state[self._state_key(block, name)] = value

    def delete(self, block, name):
        if self._settings(block, name):
            if self.version != DRAFT:
                raise PermissionError("Learners cannot change a published block's settings.")
            self.row.draft = {k: v for k, v in (self.row.draft or {}).items() if k != name}
            ContentBlock.objects.filter(pk=self.row.pk).update(draft=self.row.draft)
        else:
            with _learner_state_lock:
                _learner_state.pop(self._state_key(block, name), None)

    def has(self, block, name):
        if self._settings(block, name):
            return name in (getattr(self.row, self.version) or {})
        with _learner_state_lock:
            return self._state_key(block, name) in _learner_state


def _runtime(user_id, field_data):
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415  (needs Django set up)

    runtime = WorkbenchRuntime(user_id)
    runtime._services["field-data"] = field_data  # noqa: SLF001  (the version to read)
    return runtime


def _block(row, version, user_id=None):
    runtime = _runtime(user_id, _VersionFieldData(row, version))
    usage_key = UsageKey.from_string(row.usage_key)
    keys = ScopeIds(user_id, row.block_type, usage_key, usage_key)
    return runtime.construct_xblock(row.block_type, keys)


def _row(usage_key):
    return ContentBlock.objects.get(usage_key=str(usage_key))


class PublishedContent:
    """What credplugin reads through ``CREDPLUGIN_CONTENT_STORE``: the published version."""

    def published_blocks(self, course_key, block_type):
        rows = ContentBlock.objects.filter(
            course_key=str(course_key), block_type=block_type, published__isnull=False
        ).order_by("id")
        return [(UsageKey.from_string(row.usage_key), _block(row, PUBLISHED)) for row in rows]

    def published_block(self, usage_key):
        row = ContentBlock.objects.filter(usage_key=str(usage_key)).first()
        if row is None or row.published is None:
            return None
        return _block(row, PUBLISHED)

    def library_copies(self, library_usage_key):
        rows = ContentBlock.objects.filter(upstream=str(library_usage_key)).order_by("id")
        return [
            UsageKey.from_string(usage_key)
            for usage_key in rows.values_list("usage_key", flat=True)
        ]


store = PublishedContent()


# --- Studio --------------------------------------------------------------------------------


def create(course_key, block_id, *, unit="unit", block_type="credplugin_assessment", values=None):
    """A new block in the draft (learners see nothing until it is published)."""
    course_key = CourseKey.from_string(str(course_key))
    usage_key = course_key.make_usage_key(block_type, block_id)
    ContentBlock.objects.create(
        usage_key=str(usage_key),
        course_key=str(course_key),
        block_type=block_type,
        unit=str(course_key.make_usage_key("vertical", unit)),
        draft=dict(values or {}),
        published=None,
    )
    return usage_key


def studio_block(usage_key, user="staff_author"):
    """The draft, as Studio's editor and preview show it."""
    return _block(_row(usage_key), DRAFT, user)


def lms_block(usage_key, user):
    """The published version, as the LMS shows it to ``user`` (None if not published)."""
    row = _row(usage_key)
    return None if row.published is None else _block(row, PUBLISHED, user)


def call(block, handler, payload=None):
    """Run one of the block's JSON handlers; returns ``(status, decoded JSON)``."""
    import json  # noqa: PLC0415

    from webob import Request  # noqa: PLC0415

    request = Request.blank("/", method="POST")
    request.body = json.dumps(payload or {}).encode()
    request.content_type = "application/json"
    response = block.runtime.handle(block, handler, request)
    return response.status_code, response.json


def author(usage_key, values, user="staff_author"):
    """Save the draft through the block's own Studio handler."""
    return call(studio_block(usage_key, user), "studio_submit", {"values": values})


def publish(usage_key):
    """Publish one block's draft (a deleted draft publishes the deletion)."""
    row = _row(usage_key)
    ContentBlock.objects.filter(pk=row.pk).update(published=row.draft)
    return _send_xblock_event("XBLOCK_PUBLISHED", UsageKey.from_string(row.usage_key))


def publish_unit(course_key, unit="unit"):
    """Publish a unit: every draft change in it, deletions included, in one event."""
    unit_key = CourseKey.from_string(str(course_key)).make_usage_key("vertical", unit)
    for row in ContentBlock.objects.filter(unit=str(unit_key)):
        ContentBlock.objects.filter(pk=row.pk).update(published=row.draft)
    return _send_xblock_event("XBLOCK_PUBLISHED", unit_key)


def delete(usage_key, *, published_too=False):
    """Studio's delete of a component: gone from the draft, still published until the unit
    is published. ``published_too``: gone from both, as when its section is deleted."""
    gone = {"draft": None, "published": None} if published_too else {"draft": None}
    ContentBlock.objects.filter(usage_key=str(usage_key)).update(**gone)
    return _send_xblock_event("XBLOCK_DELETED", UsageKey.from_string(str(usage_key)))


def duplicate(usage_key, block_id, *, published=False):
    """Studio's duplicate: a copy of every setting under a new usage key, in the draft — or
    also published, as when Studio publishes the copy's parent at once."""
    source = _row(usage_key)
    copy_key = UsageKey.from_string(source.usage_key).course_key.make_usage_key(
        source.block_type, block_id
    )
    ContentBlock.objects.create(
        usage_key=str(copy_key),
        course_key=source.course_key,
        block_type=source.block_type,
        unit=source.unit,
        draft=source.draft,
        published=source.draft if published else None,
    )
    from openedx_events.content_authoring.data import DuplicatedXBlockData  # noqa: PLC0415
    from openedx_events.content_authoring.signals import XBLOCK_DUPLICATED  # noqa: PLC0415

    _raise_failures(
        XBLOCK_DUPLICATED.send_event(
            xblock_info=DuplicatedXBlockData(
                usage_key=copy_key,
                block_type=source.block_type,
                source_usage_key=UsageKey.from_string(source.usage_key),
            )
        )
    )
    return copy_key


def sync_from_library(usage_key, library_usage_key, values):
    """A course block takes a library block's settings and publishes them, as a course that
    follows its library does; no course event is sent (credplugin hears the library's)."""
    ContentBlock.objects.filter(usage_key=str(usage_key)).update(
        upstream=str(library_usage_key), draft=values, published=values
    )


def publish_library_block(library_usage_key):
    """LIBRARY_BLOCK_PUBLISHED for a block of a v2 content library."""
    from openedx_events.content_authoring.data import LibraryBlockData  # noqa: PLC0415
    from openedx_events.content_authoring.signals import LIBRARY_BLOCK_PUBLISHED  # noqa: PLC0415

    data = LibraryBlockData(library_key=library_usage_key.lib_key, usage_key=library_usage_key)
    return _raise_failures(LIBRARY_BLOCK_PUBLISHED.send_event(library_block=data))


def rerun(source_course, new_course):
    """Studio's course re-run: every block's draft and published settings copied to a new
    course key, then COURSE_RERUN_COMPLETED."""
    source_course = CourseKey.from_string(str(source_course))
    new_course = CourseKey.from_string(str(new_course))
    for row in ContentBlock.objects.filter(course_key=str(source_course)).order_by("id"):
        old = UsageKey.from_string(row.usage_key)
        old_unit = UsageKey.from_string(row.unit)
        ContentBlock.objects.create(
            usage_key=str(new_course.make_usage_key(old.block_type, old.block_id)),
            course_key=str(new_course),
            block_type=row.block_type,
            unit=str(new_course.make_usage_key("vertical", old_unit.block_id)),
            draft=row.draft,
            published=row.published,
        )
    return _send_course_event("COURSE_RERUN_COMPLETED", new_course)


def export_olx(usage_key):
    """The block's OLX as Studio's course export writes it (the published version)."""
    row = _row(usage_key)
    block = _block(row, PUBLISHED if row.published is not None else DRAFT)
    out = io.BytesIO()
    block.runtime.export_to_xml(block, out)
    return out.getvalue()


def import_olx(course_key, block_id, olx, *, unit="unit"):
    """Studio's course import of one block's OLX: parsed by the block class, published, then
    COURSE_IMPORT_COMPLETED. A block the class refuses raises its message, as Studio shows it."""
    course_key = CourseKey.from_string(str(course_key))
    node = etree.fromstring(olx)  # noqa: S320  (the test's own OLX)
    usage_key = course_key.make_usage_key(node.tag, block_id)
    scratch = {}
    runtime = _runtime(None, _ScratchFieldData(scratch))
    keys = ScopeIds(None, node.tag, usage_key, usage_key)
    block = runtime.load_block_type(node.tag).parse_xml(node, runtime, keys)
    block.save()
    create(course_key, block_id, unit=unit, block_type=node.tag, values=scratch)
    ContentBlock.objects.filter(usage_key=str(usage_key)).update(published=scratch)
    _send_course_event("COURSE_IMPORT_COMPLETED", course_key)
    return usage_key


class _ScratchFieldData(FieldData):
    """Where an import parses a block before its settings are stored."""

    def __init__(self, values):
        self.values = values

    def get(self, block, name):
        return self.values[name]

    def set(self, block, name, value):
        self.values[name] = value

    def delete(self, block, name):
        self.values.pop(name, None)

    def has(self, block, name):
        return name in self.values


def _send_xblock_event(signal_name, usage_key):
    from openedx_events.content_authoring import signals  # noqa: PLC0415
    from openedx_events.content_authoring.data import XBlockData  # noqa: PLC0415

    signal = getattr(signals, signal_name)
    info = XBlockData(usage_key=usage_key, block_type=usage_key.block_type)
    return _raise_failures(signal.send_event(xblock_info=info))


def _send_course_event(signal_name, course_key):
    from openedx_events.content_authoring import signals  # noqa: PLC0415
    from openedx_events.content_authoring.data import CourseData  # noqa: PLC0415

    signal = getattr(signals, signal_name)
    return _raise_failures(signal.send_event(course=CourseData(course_key=course_key)))


def _raise_failures(responses):
    """openedx-events hands receiver exceptions back instead of raising them; a test wants
    to see them."""
    for receiver, response in responses:
        if isinstance(response, Exception):
            raise AssertionError(f"{receiver.__name__} raised {response!r}") from response
    return responses
