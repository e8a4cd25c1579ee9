"""The pathways REST API: anyone signed in reads pathways and their own progress; global
staff author them (a pathway spans courses, so no course role is enough)."""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from credplugin import api
from credplugin.views.rest import _PrivateAPIView

_RULE_FIELDS = ("components", "required_count", "ordered", "window_days", "on_component_lost")


def _save(request, badge_class_uuid=None):
    if not request.user.is_staff:
        raise PermissionDenied(_("Only staff may author pathways."))
    data = request.data
    if not isinstance(data, dict):
        raise ValidationError({"detail": _("Send a JSON object.")})
    rule = {name: data[name] for name in _RULE_FIELDS if name in data}
    rule.setdefault("components", [])
    try:
        if badge_class_uuid is not None:
            return api.save_pathway(badge_class_uuid=str(badge_class_uuid), **rule)
        if data.get("badge_class"):
            return api.save_pathway(badge_class_uuid=str(data["badge_class"]), **rule)
        return api.save_pathway(badge=data.get("badge"), course_key=data.get("course_id"), **rule)
    except api.NotFound as error:
        raise NotFound(str(error)) from error
    except api.InvalidInput as error:
        raise ValidationError({"detail": str(error)}) from error


class PathwayListView(_PrivateAPIView, APIView):
    """``GET``: every active pathway. ``POST`` (staff): a new pathway, with either
    ``badge_class`` (an existing class's id) or ``badge`` + ``course_id``, and the rule."""

    def get(self, request):
        return Response({"results": api.list_pathways()})

    def post(self, request):
        return Response(_save(request), status=status.HTTP_201_CREATED)


class PathwayDetailView(_PrivateAPIView, APIView):
    """``GET`` one pathway; ``PUT`` (staff) replaces its rule and components."""

    def get(self, request, badge_class_uuid):
        try:
            return Response(api.get_pathway(str(badge_class_uuid)))
        except api.NotFound as error:
            raise NotFound(str(error)) from error

    def put(self, request, badge_class_uuid):
        return Response(_save(request, badge_class_uuid))


class PathwayProgressView(_PrivateAPIView, APIView):
    """``GET``: the caller's progress on every pathway they have started."""

    def get(self, request):
        return Response({"results": api.pathway_progress(request.user.id)})
