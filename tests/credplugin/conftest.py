"""Fixtures for the plugin's tests: badges issued by the real pipeline."""

from tests.issued_badges import badge_setup, earn  # noqa: F401 - fixtures
from tests.pathway_badges import award, components, pathway_class  # noqa: F401 - fixtures
