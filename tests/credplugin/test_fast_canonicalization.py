"""CREDPLUGIN_FAST_CANONICALIZATION reaches the Django-free canonicalizer, and fallbacks are
logged: a shape the fast path does not cover at debug level, a failure inside it as a warning.
"""

import logging
from unittest import mock

import pytest
from django.test import override_settings

from credplugin.openbadges import canonical, fastcanon
from credplugin.openbadges.canonical import canonicalize, reference_canonicalize
from tests.openbadges.typical_badge import typical_credential


@pytest.mark.parametrize(("enabled", "fast_calls"), [(True, 1), (False, 0)])
def test_the_setting_decides_whether_the_fast_path_runs(enabled, fast_calls):
    document = typical_credential()
    with (
        override_settings(CREDPLUGIN_FAST_CANONICALIZATION=enabled),
        mock.patch.object(
            canonical, "fast_canonicalize", wraps=fastcanon.fast_canonicalize
        ) as fast,
    ):
        assert canonicalize(document) == reference_canonicalize(document)
    assert fast.call_count == fast_calls


def test_a_failure_inside_the_fast_path_is_logged_and_pyld_answers(caplog):
    document = typical_credential()
    failing = mock.patch.object(fastcanon, "document_quads", side_effect=RuntimeError("a bug"))
    with failing, caplog.at_level(logging.WARNING, logger="credplugin.openbadges.fastcanon"):
        assert canonicalize(document) == reference_canonicalize(document)
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "pyld canonicalizes it" in record.getMessage()
    assert record.exc_info[1].args == ("a bug",)


def test_a_shape_the_fast_path_does_not_cover_is_logged_at_debug_level(caplog):
    document = typical_credential()
    document["credentialSubject"]["@context"] = {"note": "https://example.org/vocab#note"}
    document["credentialSubject"]["note"] = "a scoped context the fast path leaves to pyld"
    with caplog.at_level(logging.DEBUG, logger="credplugin.openbadges.fastcanon"):
        assert canonicalize(document) == reference_canonicalize(document)
    assert [record.levelno for record in caplog.records] == [logging.DEBUG]
    assert "does not cover" in caplog.records[0].getMessage()
