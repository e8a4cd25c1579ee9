"""Packaging for credplugin: one distribution for the LMS, Studio and the XBlock runtime."""

import os
import re

from setuptools import find_namespace_packages, setup

HERE = os.path.abspath(os.path.dirname(__file__))


def read(*parts):
    with open(os.path.join(HERE, *parts), encoding="utf-8") as handle:
        return handle.read()


def load_requirements(*parts):
    """Version ranges from a requirements .in file: one list for pip-tools and for setup.py."""
    lines = (line.split("#", 1)[0].strip() for line in read(*parts).splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def version():
    match = re.search(r'^__version__ = "([^"]+)"', read("credplugin", "__init__.py"), re.M)
    return match.group(1)


setup(
    name="credplugin",
    version=version(),
    description="Verifiable Open Badges 3.0 micro-credentials for Open edX courses",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    # Data folders (contexts, templates, static files, translations) are namespace packages, so
    # MANIFEST.in + include_package_data ship them without a second list to keep in step.
    packages=find_namespace_packages(include=["credplugin*", "xblocks*"]),
    include_package_data=True,
    install_requires=load_requirements("requirements", "base.in"),
    extras_require={
        "mysql": ["PyMySQL>=1.1"],
        "redis": ["redis>=4.5"],
    },
    entry_points={
        "lms.djangoapp": ["credplugin = credplugin.apps:CredPluginConfig"],
        "cms.djangoapp": ["credplugin = credplugin.apps:CredPluginConfig"],
        "console_scripts": ["credplugin-verify = credplugin.openbadges.cli:verify_main"],
        "xblock.v1": ["credplugin_assessment = xblocks.assessment.block:AssessmentBlock"],
        "openedx.course_tab": ["credplugin_badges = credplugin.tabs:BadgesCourseTab"],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
