"""A driver that works the assessment block through its own handlers in the SDK workbench.

:class:`WorkbenchDriver` goes through the real XBlock runtime of the workbench
(``WorkbenchRuntime``): every call builds a WebOb request and runs ``runtime.handle`` exactly as
the workbench's handler view does, so authoring, learner and staff actions take the same path as
clicks in a browser::

    driver = WorkbenchDriver(WorkbenchDriver.usage_id_for("credplugin_assessment.0"))
    driver.author(PROJECT_VALUES, user="staff_author")              # studio_submit
    driver.call("learner_1", "save_draft", {"text": "..."})          # learner handlers
    driver.upload("learner_1", "report.pdf", b"%PDF-1.4 ...")
    driver.call("learner_1", "submit_work", {"text": "...", "links": [...]})
    [uuid] = driver.submission_uuids("staff_mentor")                 # the review queue
    driver.grade("staff_mentor", uuid, levels, "Well argued.")       # review_open + review_submit

Workbench users whose id starts with ``staff`` are course staff (``xblocks.assessment.identity``).
Needs Django configured with the ``workbench`` app (the standalone host in ``tests/host``); used by
the XBlock tests, the browser tests and ``make demo``.
"""

import json


class WorkbenchDriver:
    """Calls one block's handlers as named workbench users, through ``WorkbenchRuntime``."""

    def __init__(self, usage_id):
        self.usage_id = usage_id

    @staticmethod
    def usage_id_for(scenario_name):
        """The usage id of a scenario such as ``credplugin_assessment.0`` (loading it if needed)."""
        from workbench.scenarios import get_scenarios  # noqa: PLC0415  (needs Django set up)

        return get_scenarios()[scenario_name].usage_id

    def block(self, user):
        from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415

        return WorkbenchRuntime(user).get_block(self.usage_id)

    def request(self, user, handler, *, body=b"", content_type="application/json", query=""):
        """Run ``handler`` as ``user``; returns the WebOb response."""
        from webob import Request  # noqa: PLC0415

        block = self.block(user)
        request = Request.blank(f"/?{query}" if query else "/", method="POST" if body else "GET")
        if body:
            request.body = body
            request.content_type = content_type
        return block.runtime.handle(block, handler, request)

    def call(self, user, handler, payload=None):
        """POST a JSON payload; returns ``(status_code, decoded JSON)``."""
        response = self.request(user, handler, body=json.dumps(payload or {}).encode())
        return response.status_code, response.json

    def author(self, values, user="staff_author"):
        return self.call(user, "studio_submit", {"values": values})

    def render(self, user):
        """The learner's view, as the LMS renders it (which registers the badge requirement
        of settings nobody published, credplugin's safety net)."""
        block = self.block(user)
        return block.runtime.render(block, "student_view").content

    def upload(self, user, filename, content, handler="upload_file"):
        boundary = "credplugin-demo-boundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        response = self.request(
            user, handler, body=body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return response.status_code, response.json

    def submission_uuids(self, staff_user, status=None):
        """Submissions in the review queue, oldest first (staff only)."""
        from xblocks.assessment import identity, review  # noqa: PLC0415

        block = self.block(staff_user)
        rows = review.queue(identity.course_key(block), identity.usage_key(block), status)
        return [row["submission_uuid"] for row in rows]

    def grade(self, staff_user, submission_uuid, levels, feedback, decision="grade"):
        self.call(staff_user, "review_open", {"submission_uuid": submission_uuid})
        return self.call(
            staff_user,
            "review_submit",
            {
                "submission_uuid": submission_uuid,
                "levels": levels,
                "feedback": feedback,
                "decision": decision,
            },
        )
