"""Course and usage key fields that parse each key string once per process.

The pipeline reads the same few keys on thousands of rows per batch (every learner's result
names the same block, every passing record the same course). ``opaque_keys``' own fields parse
the string again for every row, and format an assertion message even for a key object, a
tenth of an issuing worker's CPU between them. Keys are immutable, so rows can share one parsed
key. The columns and migrations are those of ``opaque_keys``' fields: ``deconstruct`` names
them, so swapping one for the other changes nothing in the database.
"""

from functools import lru_cache

from opaque_keys.edx.django import models as opaque_models

PARSED_KEYS_KEPT = 4096  # distinct keys of one process: a site's courses and blocks, bounded


@lru_cache(maxsize=PARSED_KEYS_KEPT)
def _parsed(key_class, text):
    return key_class.from_string(text)


class _SharedParse:
    def to_python(self, value):
        if isinstance(value, self.KEY_CLASS):
            return value
        if isinstance(value, str) and value and not value.endswith("\n"):
            return _parsed(self.KEY_CLASS, value)
        return super().to_python(value)  # None, "", a leaked newline, a wrong type: as before

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()  # the library's class, same name
        return name, f"{opaque_models.__name__}.{type(self).__name__}", args, kwargs


class CourseKeyField(_SharedParse, opaque_models.CourseKeyField):
    """``opaque_keys``' ``CourseKeyField``, parsing each key string once (see the module)."""


class UsageKeyField(_SharedParse, opaque_models.UsageKeyField):
    """``opaque_keys``' ``UsageKeyField``, parsing each key string once (see the module)."""
