"""The award e-mails of a batch are rendered once per badge class and expiry date, and each
one still reads exactly as a full rendering of the templates for its learner."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from credplugin.compat import learner_display_name
from credplugin.issuer import identity
from credplugin.issuing import issuance
from credplugin.mail import badge_awarded
from credplugin.models import IssuedBadge
from tests.credplugin.issuing.test_issuance import award, second_award  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def full_rendering(issued, template):
    """The e-mail body as rendering the template for this one learner writes it."""
    with translation.override(issued.badge_class.language or None):
        return render_to_string(
            template,
            {
                "learner_name": learner_display_name(issued.user),
                "badge_name": issued.badge_class.name,
                "badge_description": issued.badge_class.description,
                "issuer_name": badge_awarded.credplugin_settings.issuer_name,
                "badge_url": identity.badge_page_url(issued.uuid),
                "badge_image_url": identity.public_url("badge-png", badge_uuid=str(issued.uuid)),
                "badges_url": identity.public_url("my-badges"),
                "valid_until": issued.valid_until,
            },
        )


def test_each_award_email_equals_a_full_rendering_for_its_learner(award):  # noqa: F811
    other = second_award(award)
    award.badge_class.name = "Données & <éthique>"
    award.badge_class.validity_months = 12
    award.badge_class.save()
    award.user.first_name, award.user.last_name = "O'Brien <&>", '"Zoë"'
    award.user.save()
    issuance.issue_requests([award.pk, other.pk])
    badges = list(IssuedBadge.objects.select_related("user", "badge_class").order_by("pk"))
    mail.outbox.clear()

    assert badge_awarded.send_award_emails(badges) == 2

    sent = {message.to[0]: message for message in mail.outbox}
    assert len(sent) == 2
    for issued in badges:
        message = sent[issued.user.email]
        assert message.body == full_rendering(issued, f"{badge_awarded.AWARD_TEMPLATE}.txt")
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert html == full_rendering(issued, f"{badge_awarded.AWARD_TEMPLATE}.html")
        assert message.subject == 'You earned the badge "Données & <éthique>"'
    # The plain text shows the name as it is; the HTML escapes it.
    assert "Hello O'Brien <&>" in sent[award.user.email].body
    assert "O&#x27;Brien &lt;&amp;&gt;" in sent[award.user.email].alternatives[0][0]


def test_the_subject_of_an_ascii_badge_name_needs_no_encoding(award):  # noqa: F811
    issuance.issue_requests([award.pk])
    mail.outbox.clear()
    badge_awarded.send_award_emails(list(IssuedBadge.objects.select_related("user", "badge_class")))
    subject = mail.outbox[0].message()["Subject"]
    assert subject == f'You earned the badge "{award.badge_class.name}"'


def test_a_batch_renders_the_templates_once_per_badge_class_and_expiry(award, monkeypatch):  # noqa: F811
    others = [second_award(award) for _ in range(3)]
    issuance.issue_requests([award.pk, *(other.pk for other in others)])
    badges = list(IssuedBadge.objects.select_related("user", "badge_class"))
    rendered = []
    real = badge_awarded.render_to_string

    def counted(template, context):
        rendered.append(template)
        return real(template, context)

    monkeypatch.setattr(badge_awarded, "render_to_string", counted)
    assert badge_awarded.send_award_emails(badges) == 4
    assert sorted(rendered) == [
        f"{badge_awarded.AWARD_TEMPLATE}.html",
        f"{badge_awarded.AWARD_TEMPLATE}.txt",
    ]
