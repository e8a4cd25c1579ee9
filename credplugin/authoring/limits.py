"""The limits on what a course author may describe: one table for the XBlock and the API.

Studio's editor (``xblocks/assessment``) and ``credplugin.api`` check the same badge and rubric
data; both read these numbers, the XBlocks through ``credplugin.api.AUTHORING_LIMITS``, so a
badge the editor accepts is never refused by the API, nor the other way round.
"""

import attr

from credplugin.openbadges.achievement import ACHIEVEMENT_TYPES, is_achievement_type


@attr.s(frozen=True)
class AuthoringLimits:
    """
    Bounds on a badge description and its rubric.

    Attributes:
        hours_max (int): most hours of learning a badge may state (10,000: five years of
            full-time study).
        validity_months_max (int): longest validity in months (600: fifty years); a badge that
            never expires leaves the validity empty.
        achievement_types (tuple): the OB 3.0 ``achievementType`` vocabulary an author picks
            from, the default (``Badge``) first; names starting with ``ext:`` (the spec's
            extension point) are accepted too.
        criteria_max (int): most criteria in one rubric.
        levels_min (int): fewest levels of a criterion (with one, every learner meets it).
        levels_max (int): most levels of a criterion.
        points_max (int): most points one level may be worth.
    """

    hours_max = attr.ib(default=10_000)
    validity_months_max = attr.ib(default=600)
    achievement_types = attr.ib(default=("Badge", *sorted(ACHIEVEMENT_TYPES - {"Badge"})))
    criteria_max = attr.ib(default=20)
    levels_min = attr.ib(default=2)
    levels_max = attr.ib(default=8)
    points_max = attr.ib(default=1000)

    @staticmethod
    def accepts_achievement_type(value):
        return is_achievement_type(value)


AUTHORING_LIMITS = AuthoringLimits()
