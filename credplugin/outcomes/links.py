"""Where an achievement's published outcomes live: the page its badge pages and its issued
credentials link to (the Achievement's ``related``). Kept apart from ``statements`` so that
composing a credential does not import the statement's own use of the issuing pipeline."""

from credplugin.issuer import identity
from credplugin.models import OutcomePlan


def publishing_badge_class(achievement_uuid):
    """The run of the achievement whose author published its outcomes (its page shows every
    run's figures), or None."""
    plan = (
        OutcomePlan.objects.filter(published=True, badge_class__achievement_uuid=achievement_uuid)
        .select_related("badge_class")
        .order_by("pk")
        .first()
    )
    return plan and plan.badge_class


def public_page_url(achievement_uuid):
    """The absolute URL of the achievement's published outcomes page, or None."""
    badge_class = publishing_badge_class(achievement_uuid)
    if badge_class is None:
        return None
    return identity.public_url("outcomes-page", badge_class_uuid=str(badge_class.uuid))
