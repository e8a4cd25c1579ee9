"""Admin for pathways: staff author them here (they span courses, so not in Studio).

The pathway's own badge class is described on the same form and created with it; the rule is
checked by ``pathways.clean_pathway`` — the same check the REST API runs — once the component
rows are known, so a cycle, an empty list or N larger than M is refused with its reason.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from credplugin.admin import ReadOnlyAdmin
from credplugin.authoring import requirements, validation
from credplugin.authoring.limits import AUTHORING_LIMITS
from credplugin.exceptions import InvalidInput
from credplugin.models import BadgeClass, Pathway, PathwayComponent, PathwayHold, PathwayMilestone
from credplugin.stacking import pathways

_BADGE_FIELDS = ("name", "description", "achievement_type", "criteria_narrative")


class PathwayForm(forms.ModelForm):
    """The rule, plus the description of the badge the pathway awards."""

    course_id = forms.CharField(
        label=_("course"),
        help_text=_("The course run the pathway badge is filed under, e.g. course-v1:Org+X+Run."),
    )
    slug = forms.SlugField(label=_("slug"), max_length=100)
    name = forms.CharField(label=_("name"), max_length=255)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    achievement_type = forms.ChoiceField(
        label=_("achievement type"),
        choices=[(name, name) for name in AUTHORING_LIMITS.achievement_types],
        initial="Certificate",
    )
    criteria_narrative = forms.CharField(
        label=_("criteria narrative"), widget=forms.Textarea, required=False
    )

    class Meta:
        model = Pathway
        fields = ("required_count", "ordered", "window_days", "on_component_lost")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        badge_class = getattr(self.instance, "badge_class", None) if self.instance.pk else None
        if badge_class is not None:
            self.initial.update({name: getattr(badge_class, name) for name in _BADGE_FIELDS})
            self.initial.update(course_id=str(badge_class.course_key), slug=badge_class.slug)
            self.fields["course_id"].disabled = True
            self.fields["slug"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.instance.pk:
            badge_class = self.instance.badge_class
        else:
            try:
                course_key = validation.course_key(cleaned["course_id"])
            except InvalidInput as error:
                raise ValidationError({"course_id": str(error)}) from error
            if BadgeClass.objects.filter(course_key=course_key, slug=cleaned["slug"]).exists():
                raise ValidationError(
                    {"slug": _("This course already has a badge with this slug.")}
                )
            badge_class = BadgeClass(
                course_key=course_key,
                catalog_course=requirements.catalog_course(course_key),
                slug=cleaned["slug"],
            )
        for name in _BADGE_FIELDS:
            setattr(badge_class, name, cleaned.get(name) or "")
        self.instance.badge_class = badge_class
        return cleaned


class ComponentFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or getattr(self.instance, "badge_class", None) is None:
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda row: row.get("position") or 0)
        try:
            pathways.clean_pathway(
                self.instance.badge_class,
                components=[row["badge_class"] for row in rows],
                required_count=self.instance.required_count,
                ordered=self.instance.ordered,
                window_days=self.instance.window_days,
                on_component_lost=self.instance.on_component_lost,
            )
        except InvalidInput as error:
            raise ValidationError(str(error)) from error


class PathwayComponentInline(admin.TabularInline):
    model = PathwayComponent
    formset = ComponentFormSet
    fields = ("position", "badge_class")
    autocomplete_fields = ("badge_class",)
    extra = 3


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    form = PathwayForm
    inlines = [PathwayComponentInline]
    list_display = ("__str__", "required_count", "ordered", "window_days", "on_component_lost")
    fieldsets = (
        (_("Pathway badge"), {"fields": ("course_id", "slug", *_BADGE_FIELDS)}),
        (_("Rule"), {"fields": ("required_count", "ordered", "window_days", "on_component_lost")}),
    )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        obj.badge_class.save()
        obj.badge_class = obj.badge_class  # the saved row's key onto the pathway
        super().save_model(request, obj, form, change)


@admin.register(PathwayHold)
class PathwayHoldAdmin(ReadOnlyAdmin):
    """Pathway badges suspended because a component was lost; read-only records."""

    list_display = ("badge", "created")


@admin.register(PathwayComponent)
class PathwayComponentAdmin(ReadOnlyAdmin):
    """Components are edited on their pathway, where the whole rule is checked."""

    list_display = ("pathway", "position", "badge_class")


@admin.register(PathwayMilestone)
class PathwayMilestoneAdmin(ReadOnlyAdmin):
    """Milestones learners reached, each announced once; read-only records."""

    list_display = ("user", "pathway", "percent", "reached_at")
