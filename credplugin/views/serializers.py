"""Django REST framework serializers of the badges API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from credplugin.models import IssuedBadge
from credplugin.presentation.describe import describe_credential, linkedin_url_for_badge
from credplugin.presentation.states import badge_state


class IssuedBadgeSerializer(serializers.ModelSerializer):
    """One badge as its learner (or the course's staff) sees it in the API."""

    name = serializers.CharField(source="badge_class.name", read_only=True)
    course_id = serializers.CharField(source="badge_class.course_key", read_only=True)
    learner = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    urls = serializers.SerializerMethodField()

    class Meta:
        model = IssuedBadge
        fields = [
            "uuid",
            "name",
            "course_id",
            "learner",
            "state",
            "status",
            "status_reason",
            "issued_at",
            "valid_until",
            "hidden",
            "show_name",
            "urls",
        ]
        read_only_fields = [field for field in fields if field not in ("hidden", "show_name")]

    def get_learner(self, badge):
        return badge.user.get_username()

    def get_state(self, badge):
        return badge_state(badge)

    def get_urls(self, badge):
        request = self.context["request"]

        def absolute(name):
            return request.build_absolute_uri(reverse(name, args=[badge.uuid]))

        page = absolute("credplugin:badge-page")
        facts = describe_credential(badge.credential)
        return {
            "page": page,
            "credential": absolute("credplugin:badge-credential"),
            "png": absolute("credplugin:badge-png"),
            "svg": absolute("credplugin:badge-svg"),
            "linkedin": linkedin_url_for_badge(badge, facts, page),
            "history": absolute("credplugin:badge-history-api"),
        }


class StatusChangeSerializer(serializers.Serializer):
    """A staff request to revoke, suspend or reinstate a badge, always with a reason."""

    ACTIONS = ("revoke", "suspend", "reinstate")

    action = serializers.ChoiceField(
        choices=[(action, action) for action in ACTIONS],
        error_messages={"invalid_choice": _("Choose revoke, suspend or reinstate.")},
    )
    reason = serializers.CharField(
        max_length=2000,
        trim_whitespace=True,
        error_messages={"blank": _("Give the reason; the learner and verifiers may see it.")},
    )


class StatusHistorySerializer(serializers.Serializer):
    """One entry of a badge's status history (see ``credplugin.api.badge_history``)."""

    status = serializers.CharField()
    previous_status = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()
