"""Every string reaches the learner through the block's i18n service.

A pseudo-locale built from the shipped ``text.po`` (each msgstr is its msgid in ⟦ ⟧) shows
which strings were translated: Python messages, template text, and the strings JavaScript
shows (rendered into data attributes).
"""

import ast
import copy
import struct

import pytest
from django.test import override_settings
from django.utils import translation

from tests.xblocks import i18n_service
from xblocks.assessment.demo import PROJECT_VALUES
from xblocks.assessment.views import loader

PSEUDO = "eo"


def _entries(po_text):
    """``msgid`` strings of a .po file (enough of the format for makemessages' output)."""
    entries, current, field = [], None, None
    for line in po_text.splitlines() + [""]:
        if line.startswith("msgid "):
            current, field = ast.literal_eval(line[6:]), "id"
        elif line.startswith('"') and field == "id":
            current += ast.literal_eval(line)
        elif line.startswith(("msgstr", "msgid_plural")) or not line.strip():
            if field == "id" and current:
                entries.append(current)
            field = None
    return entries


def _write_mo(path, catalog):
    """A GNU .mo file: header, two offset tables, then the strings."""
    keys = sorted(catalog)
    ids = b"".join(key.encode() + b"\0" for key in keys)
    strs = b"".join(catalog[key].encode() + b"\0" for key in keys)
    start = 7 * 4 + 16 * len(keys)
    id_offsets, str_offsets, position = [], [], 0
    for key in keys:
        id_offsets += [len(key.encode()), start + position]
        position += len(key.encode()) + 1
    position = 0
    for key in keys:
        str_offsets += [len(catalog[key].encode()), start + len(ids) + position]
        position += len(catalog[key].encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    table = struct.pack(f"{len(id_offsets)}i", *id_offsets)
    table += struct.pack(f"{len(str_offsets)}i", *str_offsets)
    path.write_bytes(header + table + ids + strs)


@pytest.fixture
def pseudo_locale(tmp_path, monkeypatch):
    po_text = loader.load_unicode("translations/en/LC_MESSAGES/text.po")
    catalog = {msgid: f"⟦{msgid}⟧" for msgid in _entries(po_text)}
    catalog[""] = "Content-Type: text/plain; charset=UTF-8\n"
    folder = tmp_path / "locale" / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    _write_mo(folder / "text.mo", catalog)
    monkeypatch.setattr(i18n_service, "LOCALE_DIR", str(tmp_path / "locale"))
    services = {"i18n": "tests.xblocks.i18n_service.BlockTranslations"}
    workbench = {"reset_state_on_restart": False, "services": services}
    with override_settings(WORKBENCH=workbench), translation.override(PSEUDO):
        yield catalog


def test_catalog_holds_the_strings_people_see(pseudo_locale):
    for msgid in (
        "Only course staff can review submissions.",
        "Submit for review",
        "Review queue",
        "You have no attempts left for this scenario.",
        "Saving…",
    ):
        assert msgid in pseudo_locale


def test_handler_errors_are_translated(project, pseudo_locale):
    status, body = project.call("learner_1", "review_queue", {})
    assert status == 403
    assert body["error"] == "⟦Only course staff can review submissions.⟧"
    status, body = project.call("learner_1", "submit_work", {"text": "short"})
    assert body["errors"][0]["message"] == (
        "⟦{label} has {count} words; write at least {limit}.⟧".format(
            label="⟦Your answer⟧", count=1, limit=20
        )
    )
    assert body["error"] == f"⟦Fix the problems listed ({3}).⟧"


def test_rendered_views_are_translated(project, pseudo_locale):
    learner = project.block("learner_1").render("student_view").body_html()
    assert "⟦Submit for review⟧" in learner
    assert "⟦Status:⟧" in learner
    assert "⟦Every rubric criterion reaches its required level.⟧" in learner
    assert 'data-msg-saving="⟦Saving…⟧"' in learner
    staff = project.block("staff_1").render("student_view").body_html()
    assert "⟦Review queue⟧" in staff
    studio = project.block("staff_1").render("studio_view").body_html()
    assert "⟦Badge slug⟧" in studio


def test_author_messages_translate_every_piece_of_the_label(project, pseudo_locale):
    values = copy.deepcopy(PROJECT_VALUES)
    values["rubric"]["criteria"][1]["levels"][2]["points"] = 0
    status, body = project.author(values)
    assert status == 400
    criterion = "⟦{title} › criterion {number} ({name})⟧".format(
        title="⟦Project rubric⟧", number=2, name="Model evaluation"
    )
    level = "⟦{label} › level {number} ({name})⟧".format(
        label=criterion, number=3, name="Proficient"
    )
    assert body["error"] == (
        f"⟦{level}: levels go from lowest to highest, so points may not go down.⟧"
    )
