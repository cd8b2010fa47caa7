"""Choices and labels the delivery forms and list filters share."""

from courses.models import Cohort, SessionPage
from lms import access
from lms.models import CEM


def managed_cohorts(user):
    """Cohorts `user` manages in the admin (their site's, or all for national coordinators)."""
    return access.coordinated(user, Cohort.objects.select_related("cem__site"))


def cohorts_for_request(request):
    """Choices of the "cohort" list filters (django-filter passes the request)."""
    return managed_cohorts(getattr(request, "user", None))


def cem_label(cem: CEM) -> str:
    return f"{cem.name} · {cem.site}"


def session_label(session: SessionPage) -> str:
    return f"{session.get_parent().title} · {session.number}. {session.title}"
