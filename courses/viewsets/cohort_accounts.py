"""A cohort's accounts in the Wagtail admin: who has activated hers, printed codes for the
others (a slip each) and e-mailed links for those with an address. The codes themselves are
made by :mod:`lms.accounts.codes`; a printed code is shown once, on the slips page."""

from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from wagtail.admin import messages

from courses.models import Enrollment
from courses.viewsets.cohort_actions import CohortActionView
from lms import access
from lms.accounts.codes import account_code_issue, account_states
from lms.accounts.tasks import send_account_link
from lms.models import AccountCode


class CodesForm(forms.Form):
    ACTIONS = (("print", gettext_lazy("Print codes")), ("email", gettext_lazy("E-mail links")))

    people = forms.TypedMultipleChoiceField(coerce=int, choices=())
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(e.activist_id, e.activist_id) for e in enrollments]


@method_decorator(never_cache, name="dispatch")
class CohortAccountsView(CohortActionView):
    permission_required = "courses.add_enrollment"
    template_name = "courses/admin/cohort_accounts.html"
    page_title = gettext_lazy("Accounts and codes")

    def dispatch(self, request, *args, **kwargs):
        access.require_role(request.user, access.COORDINATES)
        return super().dispatch(request, *args, **kwargs)

    def enrollments(self) -> list[Enrollment]:
        return list(
            self.cohort.enrollments.exclude(status=Enrollment.Status.WITHDRAWN)
            .select_related("activist")
            .order_by("activist__last_name", "activist__first_name")
        )

    def get_form(self, form_class=None):
        return CodesForm(self.request.POST or None, enrollments=self._enrollments)

    def get(self, request, *args, **kwargs):
        self._enrollments = self.enrollments()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._enrollments = self.enrollments()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        states = account_states(e.activist for e in self._enrollments)
        context["rows"] = [(e, states[e.activist_id]) for e in self._enrollments]
        context["printed_days"] = settings.ACCOUNT_PRINTED_CODE_DAYS
        context["link_hours"] = settings.ACCOUNT_EMAILED_LINK_HOURS
        return context

    def form_valid(self, form):
        chosen = set(form.cleaned_data["people"])
        people = [e.activist for e in self._enrollments if e.activist_id in chosen]
        site_id = self.cohort.cem.site_id
        if form.cleaned_data["action"] == "email":
            return self._email(people, site_id)
        with transaction.atomic():
            issued = [
                account_code_issue(
                    user=person,
                    channel=AccountCode.Channel.PRINTED,
                    actor=self.request.user,
                    site_id=site_id,
                )
                for person in people
            ]
        return TemplateResponse(
            self.request,
            "courses/admin/account_slips.html",
            {
                "cohort": self.cohort,
                "slips": issued,
                "activate_url": settings.BASE_URL + reverse("account_activate"),
            },
        )

    def _email(self, people, site_id: int):
        with_email = [person for person in people if person.email]
        with transaction.atomic():
            for person in with_email:
                issued = account_code_issue(
                    user=person,
                    channel=AccountCode.Channel.EMAIL,
                    actor=self.request.user,
                    site_id=site_id,
                )
                send_account_link.enqueue_after_commit(issued.account_code.pk)
        skipped = len(people) - len(with_email)
        messages.success(
            self.request,
            ngettext(
                "%(count)s link sent by e-mail.", "%(count)s links sent by e-mail.", len(with_email)
            )
            % {"count": len(with_email)},
        )
        if skipped:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)s person has no e-mail address: print a code for her.",
                    "%(count)s people have no e-mail address: print a code for them.",
                    skipped,
                )
                % {"count": skipped},
            )
        return redirect(self.request.get_full_path())
