"""The curriculum editor's side of the findings: a course or session page's form offers the
findings of the validation rounds on its course, decided "adopt" or "adapt", and the revision
saved from the form cites the ones ticked (``courses.wagtail_hooks`` records the citation once
the revision exists). The field is not part of the page: each save cites anew."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from courses.validation.models import ValidationFinding
from lms import access

CITED_ATTRIBUTE = "_answers_findings"
ANSWERED = (ValidationFinding.Decision.ADOPT, ValidationFinding.Decision.ADAPT)


class FindingsCitingPageForm(WagtailAdminPageForm):
    answers_findings = forms.ModelMultipleChoiceField(
        label=_("Validation findings this change answers"),
        queryset=ValidationFinding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the findings of a validation round that this revision answers: each finding "
            "will link to it and show what changed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        course_id = self._course_id()
        findings = ValidationFinding.objects.filter(
            round__course_id=course_id, decision__in=ANSWERED
        )
        if self.for_user is not None:
            findings = access.readable(self.for_user, findings)
        field = self.fields["answers_findings"]
        field.queryset = findings.select_related("round").order_by("round_id", "pk")
        field.label_from_instance = lambda f: (
            f"{f.round.title}: {f.title} ({f.get_decision_display()})"
        )

    def _course_id(self) -> int | None:
        page = self.instance
        if type(page)._meta.label_lower == "courses.coursepage":
            return page.pk
        parent = self.parent_page if page.pk is None else page.get_parent()
        return parent.pk if parent is not None else None

    def save(self, commit=True):
        page = super().save(commit=commit)
        setattr(page, CITED_ATTRIBUTE, list(self.cleaned_data.get("answers_findings") or []))
        return page
