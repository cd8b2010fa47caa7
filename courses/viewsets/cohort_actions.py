"""Cohort actions in the Wagtail admin: generate the schedule, import the roster from a CSV file.

Both are reached from the cohort (list row menu and edit page) and answer 404 for a cohort of
another site, like the viewsets' own views.
"""

from datetime import datetime, time

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateTimeInput

from courses.forms import RosterUploadForm
from courses.models import Cohort
from courses.services.delivery import cohort_schedule_generate
from courses.services.roster_csv import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from courses.services.roster_import import roster_import
from lms import access
from lms.admin_toolkit import admin_index_url


class ScheduleForm(forms.Form):
    first_at = forms.DateTimeField(
        label=gettext_lazy("First session"),
        help_text=gettext_lazy("Date and time of the first session."),
        widget=AdminDateTimeInput,
    )
    interval_days = forms.IntegerField(
        label=gettext_lazy("Days between sessions"), min_value=1, max_value=90, initial=7
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)


class CohortActionView(WagtailAdminTemplateMixin, FormView):
    """A form about one cohort the user manages; subclasses set the permission and the action."""

    permission_required = ""
    index_url_name = None
    submit_button_label = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        cohorts = access.coordinated(
            request.user, Cohort.objects.select_related("course", "cem__site")
        )
        self.cohort = get_object_or_404(cohorts, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.cohort)

    def get_breadcrumbs_items(self):
        edit_url = ""
        if self.request.user.has_perm("courses.change_cohort"):
            edit_url = reverse("cohorts:edit", args=[quote(self.cohort.pk)])
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Cohort._meta.verbose_name_plural),
            },
            {"url": edit_url, "label": str(self.cohort)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            cohort=self.cohort,
            action_url=self.request.get_full_path(),
            submit_button_label=self.submit_button_label,
            submit_button_active_label=self.submit_button_label,
            media=form.media,
        )
        return context


class ScheduleGenerateView(CohortActionView):
    """One delivery per session of the course, every N days; existing deliveries are kept."""

    permission_required = "courses.add_sessiondelivery"
    template_name = "courses/admin/generate_schedule.html"
    form_class = ScheduleForm
    page_title = gettext_lazy("Generate schedule")
    submit_button_label = gettext_lazy("Generate schedule")

    def get_initial(self):
        start = timezone.make_aware(datetime.combine(self.cohort.start_date, time(9, 0)))
        return {"first_at": start, "interval_days": 7, "place": self.cohort.cem.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_count"] = self.cohort.course.sessions().count()
        context["delivery_count"] = self.cohort.deliveries.count()
        return context

    def form_valid(self, form):
        try:
            created = cohort_schedule_generate(
                actor=self.request.user,
                cohort=self.cohort,
                first_at=form.cleaned_data["first_at"],
                interval_days=form.cleaned_data["interval_days"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s session delivery created.",
                    "%(count)s session deliveries created.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.warning(
                self.request,
                _("Every session of the course already has a delivery; nothing was created."),
            )
        return redirect(admin_index_url("session_deliveries", cohort=self.cohort.pk))


class RosterImportView(CohortActionView):
    """Upload a roster CSV; show the per-row report, or enroll everybody at once."""

    permission_required = "courses.add_enrollment"
    template_name = "courses/admin/import_roster.html"
    form_class = RosterUploadForm
    page_title = gettext_lazy("Import roster")
    submit_button_label = gettext_lazy("Check and import")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required_columns"] = REQUIRED_COLUMNS
        context["optional_columns"] = OPTIONAL_COLUMNS
        return context

    def form_valid(self, form):
        result = roster_import(
            actor=self.request.user, cohort=self.cohort, data=form.cleaned_data["file"].read()
        )
        if not result.ok:
            messages.error(
                self.request,
                ngettext(
                    "Nothing was saved: the file has %(count)s problem.",
                    "Nothing was saved: the file has %(count)s problems.",
                    len(result.problems),
                )
                % {"count": len(result.problems)},
            )
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request,
            ngettext(
                "%(count)s person enrolled (%(created)s new, %(reused)s already registered).",
                "%(count)s people enrolled (%(created)s new, %(reused)s already registered).",
                len(result.enrollments),
            )
            % {
                "count": len(result.enrollments),
                "created": result.created_people,
                "reused": result.reused_people,
            },
        )
        return redirect(admin_index_url("enrollments", cohort=self.cohort.pk))
