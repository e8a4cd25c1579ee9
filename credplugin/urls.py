"""credplugin's URLs, mounted at the site root by the platform's plugin loader.

Public pages live under ``credplugin/``; the issuer's DID document must sit at
``/.well-known/did.json`` because ``did:web`` resolution of the site root requires that path.
Credential ids are built from these names, so renaming one breaks issued badges' links.
HTML pages are wrapped in ``in_shown_language`` so their ``lang`` is the language they show.
"""

from django.urls import path, re_path

from credplugin.views import (
    badges,
    issuer,
    learner,
    mentor_api,
    mentors,
    obv3_api,
    outcomes,
    pathways,
    renewal,
    rest,
    surveys,
    verify,
    wallet,
)
from credplugin.views.layout import in_shown_language

app_name = "credplugin"

_BADGE = "credplugin/badges/<uuid:badge_uuid>/"

urlpatterns = [
    path(_BADGE, in_shown_language(badges.badge_page), name="badge-page"),
    path(f"{_BADGE}credential.json", badges.badge_credential, name="badge-credential"),
    path(f"{_BADGE}refresh", renewal.refresh, name="badge-refresh"),
    path(f"{_BADGE}share/<slug:target>", badges.share_badge, name="badge-share"),
    path(f"{_BADGE}badge.png", badges.badge_png, name="badge-png"),
    path(f"{_BADGE}badge.svg", badges.badge_svg, name="badge-svg"),
    path(".well-known/did.json", issuer.did_document, name="did-document"),
    path("credplugin/issuer.json", issuer.issuer_profile, name="issuer-profile"),
    re_path(
        r"^credplugin/status/(?P<purpose>revocation|suspension)/(?P<sequence>[0-9]+)\.json$",
        issuer.status_list,
        name="status-list",
    ),
    path("credplugin/verify/", in_shown_language(verify.verify_page), name="verify-page"),
    path("credplugin/api/v1/verify", verify.verify_api, name="verify-api"),
    path("credplugin/my-badges/", in_shown_language(learner.my_badges), name="my-badges"),
    path("credplugin/my-badges/reminders", renewal.update_reminders, name="my-reminders"),
    path(
        "credplugin/pathways/<uuid:badge_class_uuid>/",
        in_shown_language(learner.pathway_page),
        name="pathway-page",
    ),
    path(
        "credplugin/my-badges/pathway-emails",
        learner.update_pathway_emails,
        name="my-pathway-emails",
    ),
    path("credplugin/my-badges/record.json", learner.learner_record, name="my-learner-record"),
    path(
        "credplugin/my-badges/<uuid:badge_uuid>/sharing",
        learner.update_sharing,
        name="my-badge-sharing",
    ),
    path("credplugin/api/v1/badges/", rest.BadgeListView.as_view(), name="badges-api"),
    path(
        "credplugin/api/v1/badges/<uuid:badge_uuid>/",
        rest.BadgeDetailView.as_view(),
        name="badge-api",
    ),
    path(
        "credplugin/api/v1/badges/<uuid:badge_uuid>/status",
        rest.BadgeStatusView.as_view(),
        name="badge-status-api",
    ),
    path(
        "credplugin/api/v1/badges/<uuid:badge_uuid>/history",
        rest.BadgeHistoryView.as_view(),
        name="badge-history-api",
    ),
    path("credplugin/api/v1/pathways/", pathways.PathwayListView.as_view(), name="pathways-api"),
    path(
        "credplugin/api/v1/pathways/progress",
        pathways.PathwayProgressView.as_view(),
        name="pathway-progress-api",
    ),
    path(
        "credplugin/api/v1/pathways/<uuid:badge_class_uuid>/",
        pathways.PathwayDetailView.as_view(),
        name="pathway-api",
    ),
]

urlpatterns += [
    path("credplugin/surveys/<str:token>/", in_shown_language(surveys.survey), name="survey"),
    path(
        "credplugin/surveys/<str:token>/opt-out",
        in_shown_language(surveys.survey_opt_out),
        name="survey-opt-out",
    ),
]

urlpatterns += [
    path(
        "credplugin/outcomes/<uuid:badge_class_uuid>/",
        in_shown_language(outcomes.outcomes_page),
        name="outcomes-page",
    ),
    path(
        "credplugin/outcomes/<uuid:badge_class_uuid>/statement.json",
        outcomes.outcomes_statement,
        name="outcomes-statement",
    ),
]

urlpatterns += [
    path(
        "credplugin/courses/<str:course_key>/outcomes/",
        in_shown_language(outcomes.outcomes_dashboard),
        name="outcomes-dashboard",
    ),
]

urlpatterns += [
    path(
        "credplugin/courses/<str:course_key>/mentors/",
        in_shown_language(mentors.mentor_dashboard),
        name="mentor-dashboard",
    ),
    path(
        "credplugin/courses/<str:course_key>/mentors/reminders",
        mentors.update_mentor_reminders,
        name="mentor-reminders",
    ),
    path(
        "credplugin/api/v1/courses/<str:course_id>/mentor-assignments/",
        mentor_api.MentorAssignmentListView.as_view(),
        name="mentor-assignments-api",
    ),
    path(
        "credplugin/api/v1/courses/<str:course_id>/mentor-assignments/<int:assignment_id>/",
        mentor_api.MentorAssignmentDetailView.as_view(),
        name="mentor-assignment-api",
    ),
    path(
        "credplugin/api/v1/courses/<str:course_id>/mentor-assignments/csv",
        mentor_api.MentorAssignmentCsvView.as_view(),
        name="mentor-assignments-csv-api",
    ),
    path(
        "credplugin/api/v1/courses/<str:course_id>/mentor-assignments/round-robin",
        mentor_api.MentorRoundRobinView.as_view(),
        name="mentor-round-robin-api",
    ),
]

urlpatterns += [
    path(
        "credplugin/my-badges/<uuid:badge_uuid>/wallet",
        wallet.start_exchange,
        name="my-badge-wallet",
    ),
    path(
        "credplugin/wallet/interactions/<str:exchange_id>",
        wallet.interaction,
        name="wallet-interaction",
    ),
    path(
        "credplugin/wallet/exchanges/<str:exchange_id>",
        wallet.exchange,
        name="wallet-exchange",
    ),
    path("ims/ob/v3p0/discovery", obv3_api.discovery, name="obv3-discovery"),
    path("ims/ob/v3p0/register", obv3_api.register, name="obv3-register"),
    path(
        "ims/ob/v3p0/authorize",
        in_shown_language(obv3_api.ObAuthorizationView.as_view()),
        name="obv3-authorize",
    ),
    path("ims/ob/v3p0/token", obv3_api.ObTokenView.as_view(), name="obv3-token"),
    path("ims/ob/v3p0/revoke", obv3_api.ObRevokeTokenView.as_view(), name="obv3-revoke"),
    path("ims/ob/v3p0/credentials", obv3_api.credentials, name="obv3-credentials"),
    path("ims/ob/v3p0/profile", obv3_api.profile, name="obv3-profile"),
    path(
        "credplugin/my-badges/apps/<int:client_pk>/disconnect",
        obv3_api.disconnect,
        name="my-app-disconnect",
    ),
]
