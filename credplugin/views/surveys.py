"""The follow-up survey form in the LMS, and opting out of surveys.

The form is private (login required, never cached) and only the badge's earner sees it: another
learner gets 404 as if it did not exist. Opting out needs only the e-mail's link, whose token
is unguessable, so a learner can stop the e-mails without signing in.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from credplugin.exceptions import InvalidInput, NotFound
from credplugin.models import SurveyResponse
from credplugin.outcomes import surveys
from credplugin.views.caching import never_cache_private
from credplugin.views.layout import page_context


class SurveyForm(forms.ModelForm):
    """The five questions, the optional comment and the consent."""

    class Meta:
        model = SurveyResponse
        fields = [
            "job_change",
            "promotion",
            "more_responsibility",
            "pay_change",
            "applies_competencies",
            "comment",
            "consent",
        ]
        widgets = {
            "job_change": forms.RadioSelect,
            "pay_change": forms.RadioSelect,
            "applies_competencies": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        labels = {
            "job_change": gettext_lazy("Since you earned the badge, has your job changed?"),
            "promotion": gettext_lazy("I was promoted"),
            "more_responsibility": gettext_lazy("I took on new responsibilities"),
            "pay_change": gettext_lazy("How has your pay changed? (optional)"),
            "applies_competencies": gettext_lazy(
                "How often do you use what the badge certifies in your work?"
            ),
            "comment": gettext_lazy("Anything else you would like to tell us? (optional)"),
            "consent": gettext_lazy(
                "Count my answers in the outcome figures the issuer publishes "
                "(only totals over many learners; never my name or comment)"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pay_change"].choices = [
            ("", _("I prefer not to say")),
            *SurveyResponse.PayChange.choices,
        ]
        self.fields["applies_competencies"].choices = SurveyResponse.Applies.choices


@never_cache_private
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    """Show the survey of one badge, or store the learner's answer to it."""
    try:
        invitation = surveys.invitation_for(token, user_id=request.user.id)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    editable = surveys.response_editable(response)
    form = SurveyForm(request.POST if request.method == "POST" else None, instance=response)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answers = {name: form.cleaned_data[name] for name in SurveyForm.Meta.fields}
            try:
                surveys.save_response(invitation, answers)
            except InvalidInput as closed:
                messages.error(request, str(closed))
                return redirect("credplugin:survey", token=token)
            messages.success(request, _("Thank you. Your answer is saved."))
            return redirect("credplugin:survey", token=token)
        status = 400
    context = page_context(
        invitation=invitation,
        badge_name=invitation.badge.badge_class.name,
        form=form,
        response=response,
        editable=editable,
    )
    return render(request, "credplugin/survey.html", context, status=status)


@never_cache_private
@require_http_methods(["GET", "HEAD", "POST"])
def survey_opt_out(request, token):
    """Ask to confirm (GET), then stop follow-up surveys for the link's learner (POST)."""
    try:
        invitation = surveys.invitation_for(token)
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    done = request.method == "POST"
    if done:
        surveys.opt_out(invitation.badge.user_id)
    return render(
        request,
        "credplugin/survey_opt_out.html",
        page_context(token=token, done=done, badge_name=invitation.badge.badge_class.name),
    )
