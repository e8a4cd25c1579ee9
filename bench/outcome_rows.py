"""The outcome benchmark's synthetic history written by MariaDB itself, set-based.

Bulk ORM inserts build every row in Python (100,000 learners took over 20 minutes); here each
table is filled by ``INSERT … SELECT`` over MariaDB's Sequence engine (``seq_0_to_N``), a
chunk of ``CHUNK`` learners per statement, so no row crosses the connection. Ids are given
explicitly (learner ``n`` is user ``n + 1``, its request and badge ``n + 1``), so rows refer
to each other by arithmetic instead of by lookups. Foreign-key and unique checks are off for
the session while loading (the constraints and indexes stay; the ids are unique by
construction); the JSON check constraints still run.

What varies, so that every figure has something to show (learner ``n`` is in badge class
``c = n % classes``; what varies per learner follows ``CRC32(n)``, not ``c``):

- badges are issued evenly over the last two years; 1 in 100 is revoked, 1 in 200 suspended;
  every third class's badges are valid six months (older ones have lapsed);
- every earner has a passed attempt minutes before the award; 3 in 10 first failed one, 2 to
  46 days earlier (revision rate, time to competency); a quarter as many learners again
  attempted and failed only (completion rate);
- levels per criterion and the ethics score vary with ``n``;
- every other class is mentor-graded: a queue entry decided 1 to 96 hours after submission;
- survey answers vary in job change, promotion, responsibility, pay band, how often the
  competencies are applied, and consent (85 %); every badge has all its surveys answered (the
  benchmark's count), those not yet due as sent yesterday;
- page views per class and day vary from 1 to 50; verifications and LinkedIn shares fall on
  some days of the last two years.
"""

import sys
import time
from datetime import timedelta

CHUNK = 200_000
SPAN_SECONDS = 730 * 86400
OFFSETS = (30, 90, 180)
# A learner's pseudo-random number: what varies per learner must not follow its class.
MIX = "CRC32(l.seq)"


def write(args, classes, requirement, now):
    """The rows of the benchmark's history for ``classes`` (whose requirement blocks are
    numbered like ``requirement``'s), written by the server."""
    from django.db import connection  # noqa: PLC0415

    first_class = classes[0].pk
    if [badge_class.pk for badge_class in classes] != list(
        range(first_class, first_class + len(classes))
    ):
        raise SystemExit("badge class ids are not consecutive; cannot seed by arithmetic")
    with connection.cursor() as cursor:
        Seeder(
            cursor,
            args,
            first_class=first_class,
            rubric_id=requirement.rubric_id,
            now=now,
            course=str(classes[0].course_key).replace("+c0+", "+c{c}+"),
            usage=str(requirement.usage_key).replace("+c0+", "+c{c}+"),
            log=lambda line: print(line, file=sys.stderr, flush=True),  # as _progress
        ).seed()


def figures_without_data(badge_class):
    """The figures of ``badge_class`` over the last two years (and its surveys') that are
    empty or zero: the history should give every one something to show."""
    from django.utils import timezone  # noqa: PLC0415

    from credplugin.outcomes import figures  # noqa: PLC0415

    end = timezone.now() + timedelta(days=1)
    start = end - timedelta(days=731)
    scope = figures.Scope.badge_class(badge_class)
    programme = figures.compute(scope, start, end)
    found = {f"programme/{name}": figure for name, figure in programme.items()}
    found |= {
        f"programme/criterion_levels/{name}": figure
        for name, figure in programme["criterion_levels"].items()
    }
    for days in OFFSETS:
        for name, figure in figures.survey_figures(scope, start, end, days).items():
            found[f"survey_{days}/{name}"] = figure
    return sorted(name for name, figure in found.items() if not _shows_something(figure))


def _shows_something(figure):
    if "n" not in figure:  # criterion levels: one figure per criterion, checked apart
        return bool(figure)
    present = [figure[part] for part in ("value", "count", "median", "counts") if part in figure]
    return figure["n"] > 0 and all(part not in (None, 0, {}) for part in present)


def _chunks(total):
    for low in range(0, total, CHUNK):
        yield low, min(total, low + CHUNK) - 1


def _level(condition_expert, criterion, passed=True):
    level = f"IF({condition_expert}, 'expert', 'proficient')" if passed else "'novice'"
    return (
        f'\'{{"criterion_id": "{criterion}", "criterion": "{criterion.title()}", '
        f'"level_id": "\', {level}, \'", "level": "\', CONCAT(UPPER(LEFT({level}, 1)), '
        f"SUBSTRING({level}, 2)), '\", \"points\": ', IF({level} = 'expert', 3, "
        f'IF({level} = \'proficient\', 2, 0)), \', "required_level_id": "proficient", '
        f"\"met\": ', IF({level} = 'novice', 'false', 'true'), '}}'"
    )


def _levels(passed):
    design = _level(f"{MIX} % 3 = 0", "design", passed)
    ethics = _level(f"{MIX} DIV 3 % 4 = 0", "ethics", passed)
    return f"CONCAT('[', {design}, ', ', {ethics}, ']')"


class Seeder:
    """Writes the history for ``learners`` earners over ``classes`` badge classes whose ids
    run from ``first_class``; ``course`` and ``usage`` are key templates with ``{c}``."""

    def __init__(self, cursor, args, *, first_class, rubric_id, now, course, usage, log):
        self.cursor, self.args, self.log = cursor, args, log
        self.learners, self.classes = args.learners, args.badge_classes
        self.non_earners = args.learners // 4
        self.first_class, self.rubric_id = first_class, rubric_id
        self.now = now.replace(tzinfo=None, microsecond=0)
        self.start = self.now - timedelta(seconds=SPAN_SECONDS)
        self.course, self.usage = course, usage

    def _key(self, template, number):
        before, after = template.split("{c}")
        return f"CONCAT('{before}', {number}, '{after}')"

    def _issued(self, number="l.seq"):
        return (
            f"TIMESTAMPADD(SECOND, FLOOR({SPAN_SECONDS} * {number} / {self.learners}), "
            f"'{self.start}')"
        )

    def _run(self, label, sql, total):
        started = time.perf_counter()
        for low, high in _chunks(total):
            self.cursor.execute(sql.replace("{seq}", f"seq_{low}_to_{high}"))
        self.log(f"{label} of {total:,} learners: {time.perf_counter() - started:.1f} s")

    def seed(self):
        self.cursor.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0")
        try:
            self._users()
            self._results()
            self._badges()
            self._queue()
            self._surveys()
            self._counters()
        finally:
            self.cursor.execute("SET SESSION foreign_key_checks = 1, unique_checks = 1")

    def _users(self):
        self._run(
            "users",
            "INSERT INTO auth_user (id, password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined) SELECT l.seq + 1, '!', 0, "
            "CONCAT('b', l.seq), '', '', CONCAT('b', l.seq, '@bench.invalid'), 0, 1, "
            f"'{self.start}' FROM {{seq}} AS l",
            self.learners + self.non_earners,
        )

    def _result_insert(self, id_, created, passed, score, where=""):
        c = f"(l.seq % {self.classes})"
        return (
            "INSERT INTO credplugin_assessmentresult (id, uuid, course_key, usage_key, "
            "criterion_levels, scores, points_earned, points_possible, passed, evidence, "
            "assessment_methods, feedback, created, user_id, judgement, rubric_id) "
            f"SELECT {id_}, UUID(), {self._key(self.course, c)}, {self._key(self.usage, c)}, "
            f"{_levels(passed)}, CONCAT('{{\"ethics_scenarios\": ', {score}, '}}'), "
            f"IF({int(passed)}, 4 + ({MIX} % 3 = 0) + ({MIX} DIV 3 % 4 = 0), 0), 6, {int(passed)}, "
            f"'[]', '[]', '', {created}, l.seq + 1, '{{}}', {self.rubric_id} "
            f"FROM {{seq}} AS l {where}"
        )

    def _results(self):
        issued = self._issued()
        self._run(
            "passed attempts",
            self._result_insert(
                "l.seq + 1",
                f"{issued} - INTERVAL ((l.seq * 13) % 120 + 1) MINUTE",
                True,
                f"ROUND(0.4 + ({MIX} DIV 12 % 7) / 10, 1)",
            ),
            self.learners,
        )
        self._run(
            "failed first attempts",
            self._result_insert(
                f"{self.learners} + l.seq + 1",
                f"{issued} - INTERVAL (2 + (l.seq * 37) % 45) DAY",
                False,
                f"ROUND(0.1 + ({MIX} DIV 12 % 4) / 10, 1)",
                f"WHERE {MIX} DIV 84 % 10 < 3",
            ),
            self.learners,
        )
        # Learners who never earned: numbered after the earners, failed once.
        self._run(
            "attempts of non-earners",
            self._result_insert(
                f"{2 * self.learners} + l.seq + 1",
                self._issued(f"(l.seq - {self.learners}) * 4"),
                False,
                f"ROUND(0.1 + ({MIX} DIV 12 % 4) / 10, 1)",
                f"WHERE l.seq >= {self.learners}",
            ),
            self.learners + self.non_earners,
        )

    def _badges(self):
        c, issued = f"(l.seq % {self.classes})", self._issued()
        slot = "1 + l.seq DIV 100000, l.seq % 100000"
        self._run(
            "issuance requests",
            "INSERT INTO credplugin_issuancerequest (id, uuid, generation, status, reason, "
            "attempts, created, updated, badge_class_id, user_id, claimed_by, "
            "status_list_sequence, status_list_index) "
            f"SELECT l.seq + 1, UUID(), 1, 'issued', '', 1, {issued}, {issued}, "
            f"{self.first_class} + {c}, l.seq + 1, '', {slot} FROM {{seq}} AS l",
            self.learners,
        )
        status = (
            f"IF({MIX} DIV 840 % 100 = 0, 'revoked', "
            f"IF({MIX} DIV 840 % 200 = 1, 'suspended', 'active'))"
        )
        self._run(
            "issued badges",
            "INSERT INTO credplugin_issuedbadge (id, uuid, generation, credential, issued_at, "
            "valid_until, status, status_reason, status_changed_at, status_list_sequence, "
            "status_list_index, hidden, show_name, badge_class_id, request_id, user_id, "
            "reaward_blocked, version) "
            f"SELECT l.seq + 1, UUID(), 1, '{{}}', {issued}, "
            f"IF({c} % 3 = 0, {issued} + INTERVAL 180 DAY, NULL), {status}, '', "
            f"IF({status} = 'active', NULL, LEAST({issued} + INTERVAL 20 DAY, '{self.now}')), "
            f"{slot}, "
            f"0, {MIX} % 5 = 0, {self.first_class} + {c}, l.seq + 1, l.seq + 1, 0, 1 "
            "FROM {seq} AS l",
            self.learners,
        )

    def _queue(self):
        c = f"(l.seq % {self.classes})"
        decided = f"{self._issued()} - INTERVAL ((l.seq * 13) % 120 + 1) MINUTE"
        self._run(
            "mentor decisions",
            "INSERT INTO credplugin_reviewqueueentry (submission_uuid, course_key, usage_key, "
            "title, submitted_at, status, decision, learner_id, reviewed_at) "
            f"SELECT UUID(), {self._key(self.course, c)}, {self._key(self.usage, c)}, '', "
            f"{decided} - INTERVAL (1 + (l.seq * 29) % 96) HOUR, 'reviewed', 'graded', "
            f"l.seq + 1, {decided} FROM {{seq}} AS l WHERE {c} % 2 = 0",
            self.learners,
        )

    def _surveys(self):
        offsets = OFFSETS[: self.args.answers_per_badge]
        if not offsets:
            return
        kinds = f"seq_0_to_{len(offsets) - 1}"
        offset = "ELT(k.seq + 1, " + ", ".join(str(days) for days in offsets) + ")"
        sent = f"LEAST({self._issued()} + INTERVAL {offset} DAY, '{self.now}' - INTERVAL 1 DAY)"
        id_ = f"l.seq * {len(offsets)} + k.seq + 1"
        self._run(
            "survey invitations",
            "INSERT INTO credplugin_surveyinvitation (id, offset_days, token, status, attempts, "
            "created, sent_at, badge_id) "
            f"SELECT {id_}, {offset}, CONCAT('t', l.seq, '-', {offset}), 'sent', 1, {sent}, "
            f"{sent}, l.seq + 1 FROM {{seq}} AS l JOIN {kinds} AS k",
            self.learners,
        )
        mix = "CRC32(CONCAT(l.seq, ':', k.seq))"
        answered = f"LEAST({sent} + INTERVAL {MIX} % 10 DAY, '{self.now}')"
        self._run(
            "survey answers",
            "INSERT INTO credplugin_surveyresponse (id, job_change, promotion, "
            "more_responsibility, pay_change, applies_competencies, comment, consent, "
            "submitted_at, updated_at, invitation_id) "
            f"SELECT {id_}, ELT(1 + {mix} % 10, 'none', 'none', 'none', 'none', 'none', "
            "'none', 'new_role', 'new_role', 'new_employer', 'first_job'), "
            f"{mix} DIV 10 % 100 < 12, {mix} DIV 1000 % 100 < 35, "
            f"ELT(1 + {mix} DIV 100000 % 10, '', '', 'decrease', 'same', 'same', 'same', "
            f"'up_to_10', 'up_to_10', 'up_to_25', 'over_25'), "
            f"LEAST(4, {mix} DIV 1000000 % 9 DIV 2), '', {mix} DIV 10000000 % 100 < 85, "
            f"{answered}, {answered}, {id_} "
            f"FROM {{seq}} AS l JOIN {kinds} AS k",
            self.learners,
        )

    def _counters(self):
        days = max(1, self.args.page_view_rows // self.classes)
        self._counter("page views", "page_view", days, "1 + (c.seq * 31 + l.seq * 17) % 50")
        recent = min(days, 730)
        self._counter("verifications", "verification", recent, "1 + (c.seq + l.seq) % 5", "% 3 = 0")
        self._counter(
            "LinkedIn shares", "linkedin_share", recent, "1 + (c.seq * l.seq) % 3", "% 7 = 0"
        )

    def _counter(self, label, kind, days, count, every="% 1 = 0"):
        """One row per class and day for ``days`` days back from today (``l`` is the day)."""
        started = time.perf_counter()
        per_chunk = max(1, CHUNK // self.classes)
        for low in range(0, days, per_chunk):
            high = min(days, low + per_chunk) - 1
            self.cursor.execute(
                "INSERT INTO credplugin_outcomecounter (day, kind, count, badge_class_id) "
                f"SELECT DATE('{self.now}') - INTERVAL l.seq DAY, '{kind}', {count}, "
                f"{self.first_class} + c.seq FROM seq_{low}_to_{high} AS l "
                f"JOIN seq_0_to_{self.classes - 1} AS c WHERE (c.seq + l.seq) {every}"
            )
        self.log(f"{label}: {days:,} days in {time.perf_counter() - started:.1f} s")
