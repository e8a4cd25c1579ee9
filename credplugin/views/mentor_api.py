"""The mentor assignments REST API of one course run, for its staff.

``GET`` lists the assignments; ``POST {"mentor", "learner"|"cohort"}`` adds (or changes) one;
``DELETE …/<id>/`` removes one; ``POST …/csv`` stores a CSV file's assignments, all or none,
naming every wrong row; ``POST …/round-robin`` gives every learner without a mentor one of the
course's reviewers. Every change goes through ``credplugin.api``; bad input is a 400 with the
reason and stores nothing.
"""

from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from credplugin import api
from credplugin.compat import is_course_staff
from credplugin.exceptions import InvalidInput
from credplugin.exceptions import NotFound as AssignmentNotFound
from credplugin.mentoring import assignment
from credplugin.views.rest import _PrivateAPIView

MAX_FIELD = 255


def staffed_course(request, course_id):
    try:
        key = CourseKey.from_string(course_id)
    except InvalidKeyError as error:
        raise NotFound(_("There is no such course.")) from error
    if not is_course_staff(request.user, key):
        raise PermissionDenied(_("Only the course's staff may assign mentors."))
    return key


def _text(data, name):
    value = data.get(name) if hasattr(data, "get") else None
    if value is None or value == "":
        return None
    if not isinstance(value, str | int) or isinstance(value, bool) or len(str(value)) > MAX_FIELD:
        raise ValidationError({name: _("Give a username, an e-mail address or an id.")})
    return str(value)


class MentorAssignmentListView(_PrivateAPIView, APIView):
    parser_classes = [JSONParser, FormParser]

    def get(self, request, course_id):
        key = staffed_course(request, course_id)
        return Response({"results": assignment.list_assignments(key)})

    def post(self, request, course_id):
        key = staffed_course(request, course_id)
        if not isinstance(request.data, dict) and not hasattr(request.data, "getlist"):
            raise ValidationError({"detail": _("Send an object.")})
        try:
            created = api.assign_mentor(
                course_key=str(key),
                mentor=_text(request.data, "mentor"),
                learner=_text(request.data, "learner"),
                cohort=_text(request.data, "cohort"),
                assigned_by_id=request.user.pk,
            )
        except InvalidInput as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response(created, status=status.HTTP_201_CREATED)


class MentorAssignmentDetailView(_PrivateAPIView, APIView):
    def delete(self, request, course_id, assignment_id):
        key = staffed_course(request, course_id)
        try:
            api.unassign_mentor(course_key=str(key), assignment_id=assignment_id)
        except AssignmentNotFound as error:
            raise NotFound(str(error)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class MentorAssignmentCsvView(_PrivateAPIView, APIView):
    """The file as the multipart field ``file``, or as the request body (``text/csv``)."""

    parser_classes = [MultiPartParser]

    def post(self, request, course_id):
        key = staffed_course(request, course_id)
        upload = (
            request.FILES.get("file") if request.content_type.startswith("multipart/") else None
        )
        if upload is not None:
            if upload.size > assignment.MAX_CSV_BYTES:
                raise ValidationError({"detail": _("The file is larger than 1 MB.")})
            data = upload.read()
        elif request.content_type.startswith("text/csv"):
            data = request.body[: assignment.MAX_CSV_BYTES + 1]
        else:
            raise ValidationError({"detail": _("Send the CSV file as the field “file”.")})
        try:
            stored = api.import_mentor_assignments(
                course_key=str(key), data=data, assigned_by_id=request.user.pk
            )
        except InvalidInput as error:
            raise ValidationError(
                {"detail": str(error), "errors": getattr(error, "errors", [])}
            ) from error
        return Response({"stored": stored}, status=status.HTTP_201_CREATED)


class MentorRoundRobinView(_PrivateAPIView, APIView):
    def post(self, request, course_id):
        key = staffed_course(request, course_id)
        try:
            added = api.assign_mentors_round_robin(
                course_key=str(key), assigned_by_id=request.user.pk
            )
        except InvalidInput as error:
            raise ValidationError({"detail": str(error)}) from error
        return Response({"assigned": {str(pk): count for pk, count in added.items()}})
