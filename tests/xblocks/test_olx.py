"""OLX export and import keep every setting exactly; malformed OLX gets a clear message."""

import pytest
from lxml import etree

from tests.host import content
from tests.host.demo_course import demo_block_values
from tests.host.models import ContentBlock
from xblocks.assessment.olx import InvalidOLX

SOURCE = "course-v1:credplugin+ML101+2026"
TARGET = "course-v1:partner+ML101+2027"


@pytest.fixture
def host(db):
    content.reset()
    yield content
    content.reset()


@pytest.fixture
def authored(host):
    """A fully authored block: project, ethics case and badge, saved through Studio."""
    usage_key = host.create(SOURCE, "capstone")
    values = demo_block_values()
    values["weight"] = 2.5
    values["badge"]["alignments"] = [
        {"name": "Responsible AI", "framework": "EU skills", "code": "RAI-1", "url": ""}
    ]
    status, body = host.author(usage_key, values)
    assert status == 200, body
    return usage_key


def test_export_then_import_keeps_every_setting_of_a_fully_authored_block(host, authored):
    source = host.studio_block(authored)
    assert source.project_enabled and source.ethics_enabled and source.scenarios
    olx = host.export_olx(authored)
    imported = host.import_olx(TARGET, "capstone", olx)
    copy = host.lms_block(imported, "learner_1")
    assert copy.authored_values() == source.authored_values()
    assert copy.badge == source.badge and copy.badge["language"] == "en"
    assert copy.rubric == source.rubric and copy.reflection_rubric == source.reflection_rubric
    assert copy.scenarios == source.scenarios and copy.pass_rule == source.pass_rule
    assert copy.weight == 2.5
    assert host.export_olx(imported) == olx


def test_a_block_nobody_authored_imports_as_it_is(host):
    imported = host.import_olx(TARGET, "empty", b'<credplugin_assessment display_name="New"/>')
    block = host.lms_block(imported, "learner_1")
    assert block.display_name == "New"
    assert block.badge_requirement() is None


def _with_attribute(olx, name, value):
    node = etree.fromstring(olx)
    node.set(name, value)
    return etree.tostring(node)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "rubric",
            '{"criteria": [',
            "The credplugin_assessment block “Capstone: a text classifier, and the ethics of an "
            "AI hiring screen” cannot be imported: the attribute rubric is not valid JSON",
        ),
        ("max_links", "many", "the attribute max_links is not valid JSON"),
        ("scenarios", '{"a": 1}', "the attribute scenarios has the wrong type"),
        ("pass_rule", '{"all_criteria_met": "sometimes"}', "cannot be imported: “Every"),
        ("badge", '{"slug": "no spaces", "name": "x"}', "Badge slug may hold only letters"),
    ],
)
def test_a_malformed_attribute_is_explained_and_nothing_is_imported(
    host, authored, name, value, message
):
    olx = _with_attribute(host.export_olx(authored), name, value)
    with pytest.raises(InvalidOLX) as raised:
        host.import_olx(TARGET, "capstone", olx)
    assert message in str(raised.value)
    assert not ContentBlock.objects.filter(course_key=TARGET).exists()


def test_export_then_import_keeps_the_badge_a_renewal_block_renews(host, authored):
    host.publish(authored)  # the badge it renews is offered in this course
    usage_key = host.create(SOURCE, "renewal")
    values = demo_block_values()
    values.update({"badge": {}, "renews": values["badge"]["slug"]})
    status, body = host.author(usage_key, values)
    assert status == 200, body
    source = host.studio_block(usage_key)
    olx = host.export_olx(usage_key)
    imported = host.import_olx(TARGET, "renewal", olx)
    copy = host.lms_block(imported, "learner_1")
    assert copy.renews == source.renews == values["renews"]
    assert copy.authored_values() == source.authored_values()
    assert copy.badge_requirement() is None
    assert copy.renewal_assessment()["renews"] == values["renews"]
    assert host.export_olx(imported) == olx
    with pytest.raises(InvalidOLX, match="Choose the badge this block renews"):
        host.import_olx(TARGET, "renewal-2", _with_attribute(olx, "renews", "no spaces"))


def test_imported_rich_text_is_sanitized_like_a_studio_save(host, authored):
    olx = _with_attribute(host.export_olx(authored), "prompt", "<p>Hi<script>x()</script></p>")
    imported = host.import_olx(TARGET, "capstone", olx)
    assert host.lms_block(imported, "learner_1").prompt == "<p>Hi</p>"
