"""Fixtures for outcomes: badges issued by the real pipeline."""

from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures
