"""Instruments in the Wagtail admin: list them, import a file, export one as its file.

There is no edit view on purpose: an instrument never changes once loaded; a changed
instrument is imported as a new version."""

import json

from django import forms
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.instruments.checks import MAX_FILE_BYTES
from assessments.instruments.files import (
    InstrumentFileError,
    instrument_export,
    instrument_import,
)
from assessments.models import Instrument, Response
from lms.downloads import attachment_response, safe_filename


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Instrument file (JSON, cem-instrument/1)"),
        help_text=gettext_lazy("The format is described in the README."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
        return upload


class _Breadcrumbs:
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class InstrumentIndexView(
    PermissionRequiredMixin, _Breadcrumbs, WagtailAdminTemplateMixin, TemplateView
):
    permission_required = "assessments.view_instrument"
    raise_exception = True
    template_name = "assessments/admin/instruments.html"
    page_title = gettext_lazy("Questionnaire instruments")
    header_icon = "form"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["instruments"] = Instrument.objects.annotate(
            item_count=Count("items", distinct=True),
            submitted=Count(
                "responses",
                filter=Q(responses__status=Response.Status.SUBMITTED),
                distinct=True,
            ),
        ).order_by("code", "-imported_at")
        context["can_import"] = self.request.user.has_perm("assessments.add_instrument")
        return context


class InstrumentImportView(
    PermissionRequiredMixin, _Breadcrumbs, WagtailAdminTemplateMixin, FormView
):
    permission_required = "assessments.add_instrument"
    raise_exception = True
    template_name = "assessments/admin/instrument_import.html"
    form_class = InstrumentUploadForm
    page_title = gettext_lazy("Import an instrument")
    header_icon = "upload"

    def form_valid(self, form):
        try:
            instrument = instrument_import(form.cleaned_data["file"].read())
        except InstrumentFileError as error:
            messages.error(self.request, _("Nothing was imported: the file has problems."))
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems)
            )
        messages.success(
            self.request,
            _("Imported %(name)s, version %(version)s, with %(count)s items.")
            % {
                "name": instrument.name,
                "version": instrument.version,
                "count": instrument.items.count(),
            },
        )
        return redirect("assessments_instruments")


@permission_required("assessments.view_instrument", raise_exception=True)
def instrument_download(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    document = json.dumps(instrument_export(instrument), ensure_ascii=False, indent=2)
    return attachment_response(
        document + "\n",
        filename=safe_filename(instrument.code, instrument.version, extension="json"),
        content_type="application/json; charset=utf-8",
    )


def admin_urls():
    from django.urls import path

    return [
        path("instrumentos/", InstrumentIndexView.as_view(), name="assessments_instruments"),
        path(
            "instrumentos/importar/",
            InstrumentImportView.as_view(),
            name="assessments_instrument_import",
        ),
        path(
            "instrumentos/<int:pk>/exportar/",
            instrument_download,
            name="assessments_instrument_export",
        ),
    ]
