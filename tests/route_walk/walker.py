"""The walk: the project's routes from the URL resolver, the demo world that fills their
parameters, and one request at a time rolled back, with the statements it wrote."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Instrument
from certificates.models import Certificate
from courses.cascade.models import CommunityGroup, ReplicaSession
from courses.models import Cohort, Enrollment, SessionDelivery
from courses.validation.models import ValidationRound
from lms.models import AuditLogEntry, ResearchIdentity, Site
from lms.roles import Role
from tests.factories import person
from tests.helpers import pdf_text
from tests.route_walk.allow_list import (
    ACCREDITOR,
    ACTIVIST,
    ADMIN,
    ANONYMOUS,
    COORDINATOR,
    LOGIN,
    NATIONAL,
    OTHER_ACTIVIST,
    OTHER_COORDINATOR,
    OTHER_TRAINER,
    TRAINER,
)
from tests.route_walk.routes import HARMLESS_TABLES


@dataclass(frozen=True)
class Walked:
    name: str
    route: str
    kwargs: tuple[str, ...]


def project_routes(patterns=None, prefix="", namespace="", kwargs=()):
    """Every named pattern, with the parameters it takes; Wagtail's admin internals aside."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        names = tuple(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from project_routes(pattern.url_patterns, route, inner, kwargs + names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Walked(name=name, route=route, kwargs=kwargs + names)


def is_project_admin(walked: Walked) -> bool:
    return walked.route.startswith(
        ("admin/delivery/", "admin/instrumentos/", "admin/ingreso/", "admin/reports/site-history")
    )


def walked_routes() -> list[Walked]:
    return [w for w in project_routes() if not w.route.startswith("admin/") or is_project_admin(w)]


@dataclass
class World:
    users: dict[str, User | None]
    values: dict[str, object]
    pks: dict[str, int]
    positional: dict[str, list]
    research_codes: re.Pattern
    names: list[str] = field(default_factory=list)


def build_world() -> World:
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    call_command("seed_demo", verbosity=0)
    vmt = Site.objects.get(slug="villa-maria-del-triunfo")
    activist = User.objects.get(username="activista")
    enrollment = (
        Enrollment.objects.filter(activist=activist, cohort__status=Cohort.Status.RUNNING)
        .select_related("cohort__cem", "cohort__course")
        .order_by("pk")
        .first()
    )
    cohort = enrollment.cohort
    delivery = cohort.deliveries.filter(status=SessionDelivery.Status.HELD).order_by("pk").first()
    certificate = Certificate.objects.filter(
        enrollment__activist=activist, status=Certificate.Status.VALID
    ).first()
    document = Document.objects.create(title="Guía", file=ContentFile(b"guia", name="guia.txt"))
    users = {
        ANONYMOUS: None,
        ACTIVIST: activist,
        TRAINER: User.objects.get(username="facilitador"),
        COORDINATOR: person(Role.COORDINATOR, site_=vmt),
        NATIONAL: User.objects.get(username="coordinadora"),
        ACCREDITOR: User.objects.get(username="acreditadora"),
        ADMIN: User.objects.get(username="admin"),
        OTHER_ACTIVIST: User.objects.get(username="activista-iquitos"),
        OTHER_TRAINER: User.objects.get(username="facilitadora-iquitos"),
        OTHER_COORDINATOR: User.objects.get(username="coordinadora-arequipa"),
    }
    users[COORDINATOR].groups.add(*users[NATIONAL].groups.all())
    round_ = ValidationRound.objects.order_by("pk").first()
    group = CommunityGroup.objects.filter(activist=activist).order_by("pk").first()
    values = {
        "cohort_id": cohort.pk,
        "delivery_id": delivery.pk,
        "enrollment_id": enrollment.pk,
        "wave": "pre",
        "code": certificate.code,
        "course_code": cohort.course.code,
        "list_id": certificate.portable.status_list_id,
        "user_id": activist.pk,
        "token": "enlace-que-no-existe",
        "restriction_id": 999999,
        "page_view_restriction_id": 999999,
        "page_id": cohort.course.pk,
        "round_id": round_.pk,
        "item_id": round_.items.order_by("pk").first().pk,
        "participant_id": round_.participants.filter(site=vmt).order_by("pk").first().pk,
        "workshop_id": round_.workshops.filter(site=vmt).order_by("pk").first().pk,
        "finding_id": round_.findings.order_by("pk").first().pk,
        "kind": "opiniones.csv",
        "group_id": group.pk,
        "replica_id": ReplicaSession.objects.filter(group=group).order_by("pk").first().pk,
    }
    pks = {
        "programme_sites": vmt.pk,
        "cems": cohort.cem_id,
        "participant_profiles": activist.profile.pk,
        "cohorts": cohort.pk,
        "enrollments": enrollment.pk,
        "session_deliveries": delivery.pk,
        "districts": group.district_id,
        "audit_log": AuditLogEntry.objects.filter(site=vmt).order_by("pk").first().pk,
        "assessments_instrument_export": Instrument.objects.order_by("pk").first().pk,
    }
    positional = {
        "wagtail_serve": [""],
        "wagtaildocs_serve": [document.pk, "guia.txt"],
        # Data rights: a download link and a request number nobody has.
        "datarights:download": ["00000000-0000-4000-8000-000000000000", "pdf"],
        "datarights:request_new": ["rectificacion"],
        "datarights:request": ["ARCO-2026-99999"],
        "datarights:handle": ["ARCO-2026-99999"],
        "assessments:export_responses_labelled": ["sav"],
    }
    codes = list(ResearchIdentity.objects.values_list("research_code", flat=True))
    names = [
        f"{u.first_name} {u.last_name}"
        for u in User.objects.filter(profile__isnull=False).exclude(first_name="")
    ]
    return World(users, values, pks, positional, re.compile("|".join(map(re.escape, codes))), names)


def url_of(walked: Walked, world: World) -> str:
    if walked.name in world.positional:
        return reverse(walked.name, args=world.positional[walked.name])
    values = dict(world.values)
    owner = walked.name.split(":", 1)[0]
    if "pk" in walked.kwargs:
        assert owner in world.pks, f"{walked.route}: give the walk an object for {owner}"
        values["pk"] = world.pks[owner]
    missing = [name for name in walked.kwargs if name not in values]
    assert not missing, f"{walked.route}: give the walk a value for {missing}"
    return reverse(walked.name, kwargs={name: values[name] for name in walked.kwargs})


def payload(world: World) -> dict[str, object]:
    """Plausible fields, so that a view that forgot its permission check would act."""
    enrollment = world.values["enrollment_id"]
    return {
        "action": "close",
        "enrollment": enrollment,
        "reason": "Cambio no autorizado",
        "status": Enrollment.Status.WITHDRAWN,
        "decision": "accept",
        "name": "Cambio no autorizado",
        "people": [world.values["user_id"]],
        f"mark-{enrollment}": "A",
        f"status-{enrollment}": "A",
    }


class WriteRecorder:
    """Every statement that writes, except to the tables a refusal may touch."""

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip()[:6].upper()
        if head in ("INSERT", "UPDATE", "DELETE") and not any(
            table in sql[:120] for table in HARMLESS_TABLES
        ):
            self.writes.append(sql[:120])
        return execute(sql, params, many, context)


LOGIN_PATHS = ("/cuenta/ingresar/", "/admin/login/")


def answer_class(response) -> int | str:
    if response.status_code == 302 and urlparse(response["Location"]).path in LOGIN_PATHS:
        return LOGIN
    return response.status_code


@dataclass
class Asked:
    response: HttpResponseBase
    writes: list[str]  # the statements that wrote
    text: str  # what a person reads in it: the page, a CSV, a PDF's text, a ZIP's files


def ask(client, world: World, who: str, method: str, url: str) -> Asked:
    """One request, rolled back afterwards so that every answer starts from the same demo. A
    streamed body is read inside the transaction too, since producing it may write."""
    client.logout()
    if world.users[who] is not None:
        client.force_login(world.users[who])
    recorder = WriteRecorder()
    with transaction.atomic(), connection.execute_wrapper(recorder):
        response = client.get(url) if method == "GET" else client.post(url, payload(world))
        text = readable_text(response)
        transaction.set_rollback(True)
    return Asked(response, recorder.writes, text)


def readable_text(response) -> str:
    if response.status_code != 200:
        return ""
    kind = response.get("Content-Type", "")
    if not any(part in kind for part in ("html", "text/", "json", "pdf", "zip")):
        return ""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in kind:
        return pdf_text(content)[0]
    if "zip" in kind:
        archive = zipfile.ZipFile(io.BytesIO(content))
        return " ".join(
            pdf_text(archive.read(name))[0]
            if name.endswith(".pdf")
            else archive.read(name).decode("utf-8-sig", errors="replace")
            for name in archive.namelist()
        )
    return content.decode("utf-8-sig", errors="replace")


def names_beside_research_codes(world: World, body: str) -> list[str]:
    if not body or not world.research_codes.search(body):
        return []
    return [name for name in world.names if name in body]


def menu_urls(client, world: World, who: str) -> set[str]:
    """The admin pages a person's menus link to (the sidebar's data)."""
    client.logout()
    client.force_login(world.users[who])
    page = client.get("/admin/").content.decode()
    found = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.DOTALL)
    assert found, "the admin sidebar has no menu data"
    return {
        url for url in re.findall(r'"url": "(/admin/[^"]*)"', found.group(1)) if "logout" not in url
    }
