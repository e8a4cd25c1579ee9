"""The badges REST API: a learner's own badges, course staff's view of a course, status changes.

Authentication is the platform's usual pair (JWT when installed, then the session; see
``compat``). Learners change only their own sharing choices; revoking, suspending and
reinstating go through ``credplugin.api`` and need the staff role of the badge's course.
"""

from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from credplugin import api
from credplugin.compat import is_course_staff, rest_authentication_classes
from credplugin.exceptions import InvalidTransition
from credplugin.exceptions import NotFound as BadgeNotFound
from credplugin.models import IssuedBadge
from credplugin.views.caching import never_cache_private
from credplugin.views.serializers import (
    IssuedBadgeSerializer,
    StatusChangeSerializer,
    StatusHistorySerializer,
)


def _status_action(name):
    return {
        "revoke": api.revoke_badge,
        "suspend": api.suspend_badge,
        "reinstate": api.reinstate_badge,
    }[name]


class BadgePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class _PrivateAPIView:
    """Authentication and caching every badges endpoint shares."""

    permission_classes = [IsAuthenticated]

    def get_authenticators(self):
        return [authentication() for authentication in rest_authentication_classes()]

    @classmethod
    def as_view(cls, **initkwargs):
        return never_cache_private(super().as_view(**initkwargs))


def _course_key(value):
    try:
        return CourseKey.from_string(value)
    except InvalidKeyError as error:
        raise ValidationError({"course_id": _("This is not a course id.")}) from error


class BadgeListView(_PrivateAPIView, generics.ListAPIView):
    """``GET``: the caller's badges; with ``?course_id=`` every badge of a course they staff."""

    serializer_class = IssuedBadgeSerializer
    pagination_class = BadgePagination

    def get_queryset(self):
        badges = IssuedBadge.objects.select_related("badge_class", "user").order_by(
            "-issued_at", "-id"
        )
        course_id = self.request.query_params.get("course_id")
        if not course_id:
            return badges.filter(user=self.request.user)
        course_key = _course_key(course_id)
        if not is_course_staff(self.request.user, course_key):
            raise PermissionDenied(_("Only the course's staff may list its learners' badges."))
        return badges.filter(badge_class__course_key=course_key)


class BadgeDetailView(_PrivateAPIView, generics.RetrieveUpdateAPIView):
    """``GET`` one own badge; ``PATCH`` its ``hidden`` and ``show_name`` choices."""

    serializer_class = IssuedBadgeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        try:
            return IssuedBadge.objects.select_related("badge_class", "user").get(
                uuid=self.kwargs["badge_uuid"], user=self.request.user
            )
        except IssuedBadge.DoesNotExist as missing:
            raise NotFound(_("You have no badge with this id.")) from missing

    def perform_update(self, serializer):
        """Sharing choices change through ``credplugin.api``, which checks ownership again."""
        api.set_badge_visibility(
            str(serializer.instance.uuid),
            user_id=self.request.user.id,
            hidden=serializer.validated_data.get("hidden"),
            show_name=serializer.validated_data.get("show_name"),
        )
        serializer.instance.refresh_from_db()


def _staffed_badge(request, badge_uuid, refusal):
    """The badge, if ``request.user`` is staff of its course; ``refusal`` says why not."""
    try:
        badge = IssuedBadge.objects.select_related("badge_class").get(uuid=badge_uuid)
    except IssuedBadge.DoesNotExist as missing:
        raise NotFound(_("No badge has this id.")) from missing
    if not is_course_staff(request.user, badge.badge_class.course_key):
        raise PermissionDenied(refusal)
    return badge


class BadgeHistoryView(_PrivateAPIView, APIView):
    """``GET``: every status the badge has had (issued, revoked, suspended, reinstated), who
    changed it, why and when; for the badge's learner and its course's staff."""

    def get(self, request, badge_uuid):
        owned = IssuedBadge.objects.filter(uuid=badge_uuid, user=request.user).exists()
        if not owned:
            _staffed_badge(request, badge_uuid, _("Only the course's staff may see this history."))
        history = StatusHistorySerializer(api.badge_history(str(badge_uuid)), many=True)
        return Response({"history": history.data})


class BadgeStatusView(_PrivateAPIView, APIView):
    """``POST {"action": "revoke"|"suspend"|"reinstate", "reason": "…"}`` as course staff."""

    def post(self, request, badge_uuid):
        badge = _staffed_badge(
            request, badge_uuid, _("Only the course's staff may change a badge's status.")
        )
        change = StatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        action = _status_action(change.validated_data["action"])
        try:
            action(
                str(badge.uuid), reason=change.validated_data["reason"], actor_id=request.user.id
            )
        except InvalidTransition as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except BadgeNotFound as error:
            raise NotFound(str(error)) from error
        badge.refresh_from_db()
        return Response(IssuedBadgeSerializer(badge, context={"request": request}).data)
