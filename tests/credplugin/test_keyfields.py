"""The key fields parse each key string once, and are opaque_keys' fields to the migrations."""

import pytest
from opaque_keys.edx.keys import CourseKey, UsageKey

from credplugin.models import AssessmentResult, CoursePassingRecord

USAGE = "block-v1:credplugin+keys+2026+type@project+block@shared"
COURSE = "course-v1:credplugin+keys+2026"


def usage_field():
    return AssessmentResult._meta.get_field("usage_key")


def test_rows_naming_the_same_key_share_one_parsed_key():
    first = usage_field().from_db_value(USAGE, None, None)
    assert first == UsageKey.from_string(USAGE)
    assert usage_field().from_db_value(USAGE, None, None) is first
    assert usage_field().to_python(first) is first


def test_a_course_key_parses_to_the_library_key():
    field = CoursePassingRecord._meta.get_field("course_key")
    assert field.to_python(COURSE) == CourseKey.from_string(COURSE)


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_values_stay_none(empty):
    assert usage_field().to_python(empty) is None


def test_a_leaked_newline_is_still_stripped_as_the_library_does():
    assert usage_field().to_python(USAGE + "\n") == UsageKey.from_string(USAGE)


def test_the_migrations_see_the_library_field():
    _name, path, _args, kwargs = usage_field().deconstruct()
    assert path == "opaque_keys.edx.django.models.UsageKeyField"
    assert kwargs["max_length"] == 255
