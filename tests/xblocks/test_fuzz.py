"""Ten thousand random and mutated requests to every handler: never a 500, and a refusal stores
nothing.

Bodies are mutations of valid requests (a value swapped for one of another type or a hostile
one, keys dropped or added, bytes flipped, cut or inserted, deep nesting, lone surrogates) and
plain garbage; uploads are mutated files, names and multipart envelopes. A handler that raises is
what the LMS would answer with a 500, so any exception fails the test. A refused request may
leave no write behind in the block's fields, edx-submissions or credplugin, and store or delete
no file.
"""

import copy
import json
import random
import re

from django.db import connection
from django.db.models import Model
from submissions import models as submission_models
from workbench.models import XBlockState

from credplugin import models as credplugin_models
from tests.workbench_driver import WorkbenchDriver
from xblocks.assessment import evidence
from xblocks.assessment.demo import PROJECT_VALUES

from .conftest import ANSWER, EMPTY_SCENARIO, PDF, submit_project

BODIES = 10_000
SEED = 20261127
REFLECTION = " ".join(["Stakeholders include applicants, recruiters and the retailer."] * 50)
LEVELS = {"data-preparation": "advanced", "evaluation": "advanced"}
HOSTILE_STRINGS = [
    "",
    " ",
    "\ud800",
    "a\udfffb",
    "\x00",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "https://" + "a" * 3000,
    "word " * 30_000,
    "../../etc/passwd",
    "🤖" * 100,
    "proficient",
    "advanced",
    "proxies",
    "grade",
    "revision",
    "submitted",
    "ethics_hiring_bias",
]
HOSTILE_NUMBERS = [0, -1, 1, 2**63, -(2**64), 1e308, -0.0, 3.5, float("nan"), float("inf")]


def random_value(rng, depth=0):
    makers = [
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.choice(HOSTILE_NUMBERS),
        lambda: rng.choice(HOSTILE_STRINGS),
        lambda: "x" * rng.choice([1, 255, 256, 10_001, 50_001]),
    ]
    if depth < 3:
        makers += [
            lambda: [random_value(rng, depth + 1) for _ in range(rng.randrange(4))],
            lambda: {rng.choice(HOSTILE_STRINGS): random_value(rng, depth + 1) for _ in range(3)},
        ]
    return rng.choice(makers)()


def paths(value, prefix=()):
    """Every place in a JSON value a mutation can replace or remove."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


def mutate_value(rng, value):
    value = copy.deepcopy(value)
    for _ in range(rng.randrange(1, 4)):
        path = rng.choice(list(paths(value)))
        if not path:
            return random_value(rng)
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        if rng.random() < 0.2:
            del parent[path[-1]]
        else:
            parent[path[-1]] = random_value(rng)
        if isinstance(parent, dict) and rng.random() < 0.1:
            parent[rng.choice(HOSTILE_STRINGS)] = random_value(rng)
    return value


def mutate_bytes(rng, data):
    data = bytearray(data)
    for _ in range(rng.randrange(1, 6)):
        if not data:
            break
        spot = rng.randrange(len(data))
        choice = rng.randrange(4)
        if choice == 0:
            data[spot] = rng.randrange(256)
        elif choice == 1:
            del data[spot : spot + rng.randrange(1, 20)]
        elif choice == 2:
            data[spot:spot] = rng.choice([b"\\ud800", b'"', b"{", b"[", b"\xff", b"\\", b"1e999"])
        else:
            data = data[:spot]
    return bytes(data)


def json_body(rng, seed_payload):
    """One hostile body derived from a valid payload (or garbage)."""
    choice = rng.randrange(10)
    if choice < 5:
        return json.dumps(mutate_value(rng, seed_payload)).encode()
    if choice < 8:
        return mutate_bytes(rng, json.dumps(seed_payload).encode())
    if choice == 8:
        depth = rng.choice([100, 1000, 5000, 50_000])
        opener = rng.choice(["[", '{"a":', '{"text":['])
        return (opener * depth).encode()
    return rng.choice([b"", b"null", b"[]", b'"text"', b"1", b"NaN", b"\xef\xbb\xbf{}", b"{}"])


def multipart(filename, content, *, field="file", boundary="fuzz-boundary"):
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode("utf-8", "surrogatepass")
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


def upload_body(rng):
    """A multipart body: a mutated file under a hostile name, or a broken envelope."""
    name = rng.choice(
        ["report.pdf", "r.PDF", "notes.txt", "n.ipynb", "x.exe", "", ".pdf", "a" * 300 + ".pdf"]
        + ["../../x.pdf", "a\x00.pdf", "\ud800.pdf", 'q".pdf', "data.json", "img.png"]
    )
    content = rng.choice([PDF, b"", b"\x89PNG\r\n\x1a\n", b'{"cells": []}', b"plain text"])
    content = mutate_bytes(rng, content) if rng.random() < 0.5 else content
    body = multipart(name, content, field=rng.choice(["file", "file", "other"]))
    if rng.random() < 0.3:
        body = mutate_bytes(rng, body)
    return body


_WRITE = re.compile(
    r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`\"]?(\w+)", re.I
)
_SAVEPOINT = re.compile(
    r"^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+[`\"]?(\w+)", re.I
)
# Rows that reads create: edx-submissions makes a learner's (empty) student item on every read,
# the workbench's field store an empty state row on every field read.
CREATED_BY_READS = {"submissions_studentitem", "workbench_xblockstate"}
# A refused submission still keeps the learner's draft, their own block state, so that nothing
# they typed is lost (docs/decisions, "assessment forms keep input"); nothing else may change.
KEPT_ON_REFUSAL = {"submit_work": {"workbench_xblockstate"}}


def stored_tables():
    models = [
        XBlockState,
        *(
            model
            for module in (submission_models, credplugin_models)
            for model in vars(module).values()
            if isinstance(model, type)
            and issubclass(model, Model)
            and model._meta.app_label in ("submissions", "credplugin")
        ),
    ]
    return {model._meta.db_table for model in models}


class WriteWatch:
    """The writes that outlive a request: a rollback to a savepoint drops the writes made in it.

    Every statement passes through here (``connection.execute_wrapper``); each open savepoint
    keeps its own list of written tables, merged into its parent when released.
    """

    def __init__(self):
        self.tables = stored_tables() - {"submissions_studentitem"}
        self.frames = [("", [])]

    def __call__(self, execute, sql, params, many, context):
        savepoint = _SAVEPOINT.match(sql)
        write = _WRITE.match(sql)
        if savepoint:
            self.savepoint(savepoint.group(1).upper(), savepoint.group(2))
        elif write and write.group(1) in self.tables:
            read_created = sql.lstrip()[:6].upper() == "INSERT" and write.group(1) in (
                CREATED_BY_READS
            )
            if not read_created:
                self.frames[-1][1].append(write.group(1))
        return execute(sql, params, many, context)

    def savepoint(self, kind, name):
        if kind == "SAVEPOINT":
            self.frames.append((name, []))
            return
        while self.frames[-1][0] != name:
            self.frames.pop()
        if kind == "RELEASE SAVEPOINT":
            _name, writes = self.frames.pop()
            self.frames[-1][1].extend(writes)
        else:
            self.frames[-1] = (name, [])

    def take(self):
        """Tables written since the last call (outside savepoints rolled back)."""
        written = [table for _name, writes in self.frames for table in writes]
        for _name, writes in self.frames:
            writes.clear()
        return written


class Fuzzer:
    """Sends bodies, counts statuses, and checks that a refused request stored nothing:
    no write to a table of the block, edx-submissions or credplugin survives it, and no file
    was stored or deleted.
    """

    def __init__(self, monkeypatch):
        self.failures = []
        self.statuses = {}
        self.sent = 0
        self.watch = WriteWatch()
        self.file_changes = 0
        for name in ("store_file", "delete_file"):
            monkeypatch.setattr(evidence, name, self.counting(getattr(evidence, name)))

    def counting(self, function):
        def counted(*args, **kwargs):
            self.file_changes += 1
            return function(*args, **kwargs)

        return counted

    def send(self, driver, user, handler, body, *, content_type="application/json", query=""):
        self.sent += 1
        self.watch.take()
        file_changes = self.file_changes
        try:
            with connection.execute_wrapper(self.watch):
                response = driver.request(
                    user, handler, body=body, content_type=content_type, query=query
                )
        except Exception as error:  # noqa: BLE001  (an exception is the LMS's 500)
            self.failures.append(f"{handler} raised {error!r} on {body[:120]!r}")
            return 500
        status = response.status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.failures.append(f"{handler} answered {status} on {body[:120]!r}")
        if status < 400:
            return status
        if "error" not in (response.json or {}):
            self.failures.append(f"{handler} answered {status} with no reason on {body[:120]!r}")
        written = [
            table for table in self.watch.take() if table not in KEPT_ON_REFUSAL.get(handler, ())
        ]
        if written or self.file_changes != file_changes:
            self.failures.append(
                f"a refused request to {handler} stored {written or 'a file'}: {body[:120]!r}"
            )
        return status


class KeptBlocks(WorkbenchDriver):
    """A driver that keeps each user's block between requests, as a long-lived page would.

    Each fresh block reads every field from the workbench's store again, which would cost this
    test most of its time.
    """

    def __init__(self, usage_id):
        super().__init__(usage_id)
        self.blocks = {}

    def block(self, user):
        if user not in self.blocks:
            self.blocks[user] = super().block(user)
        return self.blocks[user]


def test_ten_thousand_hostile_bodies_get_no_500_and_store_nothing(
    project, ethics_block, monkeypatch
):
    rng = random.Random(SEED)
    fuzzer = Fuzzer(monkeypatch)
    project, ethics_block = KeptBlocks(project.usage_id), KeptBlocks(ethics_block.usage_id)
    submit_project(project, user="reviewed_learner", with_file=False)
    [submission_uuid] = project.submission_uuids("staff_mentor")
    studio = KeptBlocks(WorkbenchDriver.usage_id_for(EMPTY_SCENARIO))
    learners = iter(f"fuzz_learner_{number}" for number in range(BODIES))
    learner = next(learners)
    assert project.upload(learner, "kept.pdf", PDF)[0] == 200
    [file_id] = [item["id"] for item in project.block(learner).draft_files]

    draft = {"text": ANSWER, "links": ["https://git.example.org/x"], "self_assessment": LEVELS}
    targets = [
        (project, "save_draft", draft),
        (project, "submit_work", draft),
        (project, "remove_file", {"file_id": file_id}),
        (project, "learner_state", {}),
        (ethics_block, "answer_scenario", {"scenario_id": "mitigation", "selected": ["audit"]}),
        (ethics_block, "submit_work", {"reflection": REFLECTION}),
        (project, "review_queue", {"status": "submitted"}),
        (project, "review_open", {"submission_uuid": submission_uuid}),
        (
            project,
            "review_submit",
            {
                "submission_uuid": submission_uuid,
                "levels": LEVELS,
                "feedback": "Well argued.",
                "decision": "grade",
            },
        ),
        (studio, "studio_submit", {"values": PROJECT_VALUES}),
        (studio, "authoring_template", {"name": "ethics_hiring_bias"}),
    ]
    staff_handlers = {"review_queue", "review_open", "review_submit"}
    studio_handlers = {"studio_submit", "authoring_template"}

    while fuzzer.sent < BODIES:
        choice = rng.randrange(len(targets) + 2)
        if choice == len(targets):
            status = fuzzer.send(
                project,
                learner,
                "upload_file",
                upload_body(rng),
                content_type="multipart/form-data; boundary=fuzz-boundary",
            )
            where = "upload_file"
        elif choice == len(targets) + 1:
            query = rng.choice(["file=", f"file={file_id}", "submission=x&file=y"])
            query = (
                query if rng.random() < 0.5 else mutate_bytes(rng, query.encode()).decode("latin-1")
            )
            status = fuzzer.send(project, learner, "download_file", b"", query=query)
            where = "download_file"
        else:
            driver, handler, payload = targets[choice]
            user = learner
            if handler in staff_handlers and rng.random() < 0.9:
                user = "staff_mentor"
            elif handler in studio_handlers and rng.random() < 0.9:
                user = "staff_author"
            status = fuzzer.send(driver, user, handler, json_body(rng, payload))
            where = handler
        if status >= 400:
            continue
        if where == "review_submit":
            # A graded submission takes no second grade; a fresh one keeps the fuzzing deep.
            submit_project(project, user=next(learners), with_file=False)
            submission_uuid = project.submission_uuids("staff_mentor", "submitted")[-1]
            for index in (7, 8):
                driver, handler, payload = targets[index]
                targets[index] = (driver, handler, {**payload, "submission_uuid": submission_uuid})
        elif where in ("submit_work", "answer_scenario", "remove_file"):
            # Accepted work ends a learner's draft; a new learner keeps the fuzzing deep.
            learner = next(learners)
            assert project.upload(learner, "kept.pdf", PDF)[0] == 200
            [file_id] = [item["id"] for item in project.block(learner).draft_files]
            targets[2] = (project, "remove_file", {"file_id": file_id})

    assert fuzzer.failures == [], "\n".join(fuzzer.failures[:40])
    assert fuzzer.sent >= BODIES
    # The fuzzing reached past the parser: every kind of answer occurred.
    assert {200, 400, 403, 404} <= set(fuzzer.statuses), fuzzer.statuses
