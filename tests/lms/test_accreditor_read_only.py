"""Accreditors read completion evidence and change nothing, anywhere.

The test walks the project's URLconf instead of a hand-written list, so a view added later is
covered as soon as it exists: every pattern of the project's own apps and every viewset URL under
/admin/delivery/ receives a POST from an accreditor, which must be refused (302 to a login page,
403, 404 or 405) without changing a single row. Wagtail's own admin and page-serving patterns
are left out: an accreditor has no access to the Wagtail admin at all (asserted below).
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Instrument
from certificates.models import Certificate
from courses.models import (
    Cohort,
    CommunityGroup,
    District,
    Enrollment,
    ReplicaSession,
    SessionDelivery,
    ValidationRound,
)
from lms.models import CEM, AuditLogEntry, ParticipantProfile, PersonalDataExport, Site

PROJECT_MODULES = ("courses.", "assessments.", "certificates.", "lms.", "home.")
ADMIN_VIEWSETS = "admin/delivery/"
SNAPSHOT_APPS = ("lms", "courses", "assessments", "certificates")
REFUSED = {403, 404, 405}
# Read-only pages that do not restrict the HTTP method, so a POST is answered like a GET (they
# should be @require_safe; once they are, they pass as 405 and can leave this list). For them
# the test checks that the POST changes nothing instead. The public verification page logs each
# visit, whatever the method, in VISIT_LOG.
# Views that accept a POST from anyone without touching data: the public account forms answer
# an incomplete form with its errors. They are still posted to, and must change nothing.
ANSWERED_LIKE_GET = {"login", "account_activate", "account_forgotten"}
# Endpoints anybody's browser posts to, which refuse what is not theirs as malformed (400):
# the Content Security Policy's report endpoint takes reports, and a form is none.
REFUSED_AS_MALFORMED = {"csp_report"}
# Her own data rights: like anybody, an accreditor downloads her data and files requests about
# herself. Posting there may add her own rows (and their audit entries), nothing else.
OWN_DATA = {"datarights:download_prepare", "datarights:request_new"}
OWN_ROWS = frozenset({"lms.PersonalDataExport", "lms.DataRightsRequest", "lms.AuditLogEntry"})
VISIT_LOG = "certificates.VerificationLookup"
# Views the walk must find, so that a broken walk cannot pass by testing nothing.
EXPECTED = {
    "courses:attendance_sheet",
    "courses:absence_announce",
    "assessments:consent",
    "assessments:answer",
    "certificates:cohort",
    "certificates:revoke",
    "accreditation:cohort_pdf",
    "audit_log",
    "cohorts:edit",
    "cohorts:delete",
    "cohorts:generate_schedule",
    "cohorts:import_roster",
    "enrollments:add",
    "session_deliveries:edit",
    "participant_profiles:edit",
    "validation:round_status",
    "validation:participants",
    "validation:paper_entry",
    "validation:workshop",
    "validation:finding_edit",
    "validation:feedback",
    "cascade:replica_detail",
    "cascade:replica_sync",
}
# Admin URL namespaces (viewsets) or names → the model whose id fills their `pk`.
PK_MODELS = {
    "programme_sites": Site,
    "cems": CEM,
    "participant_profiles": ParticipantProfile,
    "cohorts": Cohort,
    "enrollments": Enrollment,
    "session_deliveries": SessionDelivery,
    "districts": District,
    "audit_log": AuditLogEntry,
    "assessments_instrument_export": Instrument,
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, for reverse()
    route: str  # readable pattern, for messages
    kwargs: tuple[str, ...]


def _project_routes(patterns=None, prefix="", namespace="", kwargs=()):
    """Every named URL pattern of the project's own apps and of the /admin/delivery/ viewsets."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        names = tuple(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _project_routes(pattern.url_patterns, route, inner, kwargs + names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            module = getattr(pattern.callback, "__module__", "")
            if route.startswith(ADMIN_VIEWSETS) or module.startswith(PROJECT_MODULES):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield Route(name=name, route=route, kwargs=kwargs + names)


def _snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a digest of the stored rows of every model of the project's data apps
    (read with SQL: field objects such as StreamField values have no stable repr)."""
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for app_label in SNAPSHOT_APPS:
            for model in apps.get_app_config(app_label).get_models():
                table, pk = model._meta.db_table, model._meta.pk.column
                cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
                rows = cursor.fetchall()
                digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                state[model._meta.label] = (len(rows), digest)
    return state


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The demo programme: sites, CEMs, cohorts with attendance, questionnaires, certificates
    (with their PDFs rendered, as the worker does after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    certificate = (
        Certificate.objects.filter(status=Certificate.Status.VALID)
        .select_related("enrollment__cohort__cem", "enrollment__activist__profile")
        .first()
    )
    enrollment = certificate.enrollment
    cohort = enrollment.cohort
    delivery = cohort.deliveries.filter(status=SessionDelivery.Status.HELD).first()
    return {
        "accreditor": User.objects.get(username="acreditadora"),
        "certificate": certificate,
        "enrollment": enrollment,
        "cohort": cohort,
        "delivery": delivery,
    }


def _kwargs(route: Route, demo: dict) -> dict[str, object]:
    cohort, enrollment = demo["cohort"], demo["enrollment"]
    owner = route.name.split(":", 1)[0]  # the viewset's namespace, or the URL's own name
    pk_of = {
        Site: cohort.cem.site_id,
        CEM: cohort.cem_id,
        ParticipantProfile: enrollment.activist.profile.pk,
        Cohort: cohort.pk,
        Enrollment: enrollment.pk,
        SessionDelivery: demo["delivery"].pk,
        AuditLogEntry: AuditLogEntry.objects.order_by("pk").values_list("pk", flat=True).first(),
        Instrument: Instrument.objects.order_by("pk").values_list("pk", flat=True).first(),
        District: District.objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    round_ = ValidationRound.objects.get()
    values = {
        "round_id": round_.pk,
        "item_id": round_.items.first().pk,
        "participant_id": round_.participants.first().pk,
        "workshop_id": round_.workshops.first().pk,
        "finding_id": round_.findings.first().pk,
        "kind": {"datarights:request_new": "cancelacion", "datarights:download": "pdf"}.get(
            route.name, "opiniones.csv"
        ),
        "cohort_id": cohort.pk,
        "delivery_id": demo["delivery"].pk,
        "enrollment_id": enrollment.pk,
        "wave": "pre",
        "code": demo["certificate"].code,
        "course_code": cohort.course.code,
        "list_id": demo["certificate"].portable.status_list_id,
        "group_id": CommunityGroup.objects.order_by("pk").values_list("pk", flat=True).first(),
        "replica_id": ReplicaSession.objects.order_by("pk").values_list("pk", flat=True).first(),
        "user_id": enrollment.activist_id,
        "token": (
            "00000000-0000-4000-8000-000000000000"
            if route.name == "datarights:download"
            else "enlace-que-no-existe"
        ),
        "number": "ARCO-2026-00001",
        "file_format": "sav",
    }
    if owner in PK_MODELS:
        values["pk"] = pk_of[PK_MODELS[owner]]
    missing = [name for name in route.kwargs if name not in values]
    assert not missing, f"{route.route}: give the test a real value for {missing}"
    return {name: values[name] for name in route.kwargs}


def _payload(demo: dict) -> dict[str, object]:
    """Plausible form fields, so that a view that forgot its permission check would act."""
    enrollment = demo["enrollment"]
    return {
        "action": "close",
        "enrollment": enrollment.pk,
        "reason": "Prueba de solo lectura",
        "status": Enrollment.Status.WITHDRAWN,
        "decision": "accepted",
        "name": "Cambio no autorizado",
        "title": "Cambio no autorizado",
        "evidence": "Ninguna",
        "kind": "concept",
        "description": "No",
        "site": demo["cohort"].cem.site_id,
        "held_on": "2026-01-01",
        "h-F-20-29": "5",
        "names_checked": "on",
        "consent_signed": "on",
        "r-s01-clear": "1",
        "text_version": "2026-1",
        f"mark-{enrollment.pk}": "A",
        f"status-{enrollment.pk}": "A",
    }


def _login_paths() -> set[str]:
    return {reverse("login"), reverse("wagtailadmin_login")}


def _changed(before: dict, after: dict, *, ignore: frozenset[str] = frozenset()) -> list[str]:
    return [label for label in before if label not in ignore and before[label] != after[label]]


def test_an_accreditor_can_post_nowhere(client, demo):
    client.force_login(demo["accreditor"])
    routes = list(_project_routes())
    names = {r.name for r in routes}
    assert names >= EXPECTED, EXPECTED - names
    assert names >= ANSWERED_LIKE_GET, ANSWERED_LIKE_GET - names
    payload = _payload(demo)

    before = _snapshot()
    accepted = []
    for route in (r for r in routes if r.name not in ANSWERED_LIKE_GET | OWN_DATA):
        url = reverse(route.name, kwargs=_kwargs(route, demo))
        response = client.post(url, payload)
        status = response.status_code
        if status == 302 and urlparse(response["Location"]).path in _login_paths():
            continue
        if status not in REFUSED and not (status == 400 and route.name in REFUSED_AS_MALFORMED):
            accepted.append(f"{url} ({route.name}) answered {status}")
    assert not accepted, "An accreditor's POST was not refused:\n" + "\n".join(accepted)
    assert not _changed(before, _snapshot()), "An accreditor's POST changed data"

    # Pages answered like GET: whatever they answer, they change nothing.
    before = _snapshot()
    for route in (r for r in routes if r.name in ANSWERED_LIKE_GET):
        url = reverse(route.name, kwargs=_kwargs(route, demo))
        assert client.post(url, payload).status_code < 500, url
    changed = _changed(before, _snapshot(), ignore=frozenset({VISIT_LOG}))
    assert not changed, f"An accreditor's POST changed {changed}"

    # Her own data: she may ask for her download and file a request about herself, nothing more.
    before = _snapshot()
    for route in (r for r in routes if r.name in OWN_DATA):
        url = reverse(route.name, kwargs=_kwargs(route, demo))
        assert client.post(url, payload).status_code < 500, url
    assert not _changed(before, _snapshot(), ignore=OWN_ROWS)
    assert PersonalDataExport.objects.exclude(person=demo["accreditor"]).count() == 0


def test_the_walk_reaches_the_admin_viewsets_and_every_project_app():
    routes = list(_project_routes())
    assert any(r.route.startswith(ADMIN_VIEWSETS) for r in routes)
    modules = {r.name.split(":")[0] for r in routes}
    assert {"courses", "assessments", "certificates", "accreditation"} <= modules


@pytest.mark.parametrize("path", ["/admin/", "/admin/delivery/cohorts/", "/admin/pages/"])
def test_an_accreditor_is_sent_to_log_in_from_the_admin(client, db, path):
    from lms.roles import Role
    from tests.factories import person

    client.force_login(person(Role.ACCREDITOR))
    response = client.get(path)
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("wagtailadmin_login")
