"""The award e-mail as written: names and badge texts escaped in the HTML part and left as
they are in the plain-text part, which is read as text, not markup."""

import uuid
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from credplugin.mail import badge_awarded

BADGE_NAME = "R&D <Ethics> “Practitioner”"
LEARNER_NAME = 'Ana & "Bo" <b>'


def issued_badge():
    learner = get_user_model()(username="ana", email="ana@example.org", first_name=LEARNER_NAME)
    badge_class = SimpleNamespace(
        pk=1, name=BADGE_NAME, description="Fairness & <i>care</i>", language=""
    )
    return SimpleNamespace(
        uuid=uuid.uuid4(), user=learner, badge_class=badge_class, valid_until=None
    )


def test_the_award_email_escapes_learner_and_badge_text_only_in_html():
    message = badge_awarded._award_message(issued_badge(), letters={})
    [(html, _mimetype)] = message.alternatives

    assert f"Hello {LEARNER_NAME}," in message.body
    assert "Fairness & <i>care</i>" in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body
    assert "Hello Ana &amp; &quot;Bo&quot; &lt;b&gt;," in html
    assert "R&amp;D &lt;Ethics&gt;" in html and "<Ethics>" not in html
    assert '<html lang="en">' in html
