"""Cross-cutting screens: the read-only audit log, the language switch, CSRF failures, and the
guard in front of Wagtail's site-wide history."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.http import require_GET

from lms import access
from lms.audit import audit_changes
from lms.models import AuditLogEntry

PAGE_SIZE = 50
# Always offered in the filter, even before the first entry of their kind exists.
CORE_KINDS = ("enrollment", "sessiondelivery", "attendancerecord")


def _kind_key(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def _kind_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    return capfirst(model._meta.verbose_name) if model else content_type.model


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who (user name)"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *, kinds: list[ContentType]):
        super().__init__(data)
        self.fields["kind"].choices = [
            ("", _("All")),
            *((_kind_key(k), _kind_label(k)) for k in kinds),
        ]

    def filter(self, entries: QuerySet[AuditLogEntry]) -> QuerySet[AuditLogEntry]:
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor__username__iexact=data["actor"].strip())
        if data["kind"]:
            app_label, model = data["kind"].split(".", 1)
            entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
        if data["date_from"]:
            entries = entries.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(created_at__date__lte=data["date_to"])
        return entries


def _changes(entry: AuditLogEntry) -> list[tuple[str, object, object]]:
    """Changed fields as (label, before, after), labelled with the model's field names."""
    model = entry.content_type.model_class()
    labels = (
        {f.attname: capfirst(f.verbose_name) for f in model._meta.concrete_fields} if model else {}
    )
    return [
        (labels.get(name, name), before, after)
        for name, (before, after) in audit_changes(entry.before, entry.after).items()
    ]


@login_required
@require_GET
@access.role_required(access.READS_EVIDENCE)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Read-only: coordinators see their site, accreditors and national coordinators all."""
    entries = access.readable(
        request.user, AuditLogEntry.objects.select_related("actor", "content_type", "site")
    )
    kinds = list(
        ContentType.objects.filter(
            Q(app_label="courses", model__in=CORE_KINDS)
            | Q(pk__in=entries.order_by().values("content_type_id"))
        ).order_by("app_label", "model")
    )
    form = AuditFilterForm(request.GET or None, kinds=kinds)
    page = Paginator(form.filter(entries), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return TemplateResponse(
        request,
        "lms/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "entry": entry,
                    "kind": _kind_label(entry.content_type),
                    "changes": _changes(entry),
                }
                for entry in page
            ],
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A device sending its outbox with a stale token learns it must sign in again."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "status": "csrf",
                "message": str(_("This page is out of date: sign in again to send.")),
            },
            status=403,
        )
    return django_csrf_failure(request, reason=reason)


def site_history(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Wagtail's site-wide history lists every site's changes (cohorts, enrollments, people),
    so only those who see every site open it; a site coordinator reads her site's audit log."""
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse
    from wagtail.admin.views.reports.audit_logging import LogEntriesView

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not access.coordination_scope(request.user).every:
        raise PermissionDenied
    view = LogEntriesView.as_view(results_only=kwargs.pop("results_only", False))
    return view(request, *args, **kwargs)
