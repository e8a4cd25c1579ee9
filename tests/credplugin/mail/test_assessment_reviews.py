"""The review e-mails as written: a plain-text part and an accessible, translatable HTML
alternative, with learner-supplied text escaped in the HTML and left readable in the text."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings

from credplugin.mail import assessment_reviews
from tests.credplugin.views.test_language import write_mo

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '<script>alert("x")</script> Ana & Bo'
HOSTILE_TITLE = "Ethics <i>case</i> & more"
USAGE_KEY = "block-v1:org+course+run+type@credplugin_assessment+block@capstone"


@pytest.fixture
def people():
    users = get_user_model().objects
    learner = users.create(username="learner", email="learner@example.org", first_name=HOSTILE_NAME)
    mentor = users.create(username="mentor", email="mentor@example.org", is_staff=True)
    return learner, mentor


def sent(kind, learner, passed=None):
    context = {
        "kind": kind,
        "course_key": "course-v1:org+course+run",
        "usage_key": USAGE_KEY,
        "title": HOSTILE_TITLE,
        "learner_id": learner.pk,
        "passed": passed,
    }
    mail.outbox.clear()
    assert assessment_reviews.send(context) == 1
    [message] = mail.outbox
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message, html


@pytest.mark.parametrize(
    ("kind", "passed", "heading", "action"),
    [
        (assessment_reviews.SUBMITTED, None, "New work to review", "Open the review queue"),
        (assessment_reviews.GRADED, True, "You passed", "Read the result and the feedback"),
        (assessment_reviews.GRADED, False, "Not passed yet", "Read the result and the feedback"),
        (
            assessment_reviews.REVISION_REQUESTED,
            None,
            "Your mentor asks for a revision",
            "Read the feedback and resubmit",
        ),
    ],
)
def test_each_email_has_a_text_part_and_an_accessible_html_part(
    people, kind, passed, heading, action
):
    learner, _mentor = people
    message, html = sent(kind, learner, passed)

    url = assessment_reviews.assessment_url("course-v1:org+course+run", USAGE_KEY)
    assert url.endswith(f"/courses/course-v1:org+course+run/jump_to/{USAGE_KEY}")
    assert url in message.body and "stop these e-mails" in message.body
    assert '<html lang="en">' in html
    assert "<title>" in html and "<h1 " in html and f">{heading}</h1>" in html
    assert f'<a href="{url}"' in html and f">{action}</a>" in html
    # The opt-out is a link, not just a sentence.
    assert "stop these e-mails" in html.split(f'<a href="{url}"')[-1]


def test_learner_supplied_text_is_escaped_in_html_and_plain_in_text(people):
    learner, _mentor = people
    message, html = sent(assessment_reviews.SUBMITTED, learner)

    assert "<script>" not in html and "<i>case</i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ana &amp; Bo" in html
    assert "Ethics &lt;i&gt;case&lt;/i&gt; &amp; more" in html
    assert f"{HOSTILE_NAME} submitted work to review in “{HOSTILE_TITLE}”." in message.body
    assert "&lt;" not in message.body and "&amp;" not in message.body
    assert message.subject == f"New work to review in “{HOSTILE_TITLE}”"


def test_an_untranslated_language_gets_english_labelled_english(people):
    learner, _mentor = people
    with mock.patch.object(assessment_reviews, "user_language", return_value="de"):
        message, html = sent(assessment_reviews.GRADED, learner, passed=True)
    assert '<html lang="en">' in html and "you passed" in message.body


def test_a_translated_language_is_written_and_declared(people, tmp_path, settings):
    learner, _mentor = people
    write_mo(
        tmp_path / "fr" / "LC_MESSAGES" / "django.mo",
        {
            "the language of this translation\x04English": "Français",
            "You passed": "Réussi",
            "Read the result and the feedback:": "Lisez le résultat et les commentaires :",
        },
    )
    with (
        override_settings(LOCALE_PATHS=[str(tmp_path), *settings.LOCALE_PATHS]),
        mock.patch.object(assessment_reviews, "user_language", return_value="fr"),
    ):
        message, html = sent(assessment_reviews.GRADED, learner, passed=True)
    assert '<html lang="fr">' in html and ">Réussi</h1>" in html
    assert "Lisez le résultat et les commentaires :" in message.body
