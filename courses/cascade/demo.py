"""Demo of the cascade: certified activists at each site with community groups and replica
sessions over the last months (verified, waiting and returned), and a course that requires
supervised practice, whose running cohort `activista` takes. Idempotent: what exists is kept.

Everything goes through the services, as a person's screens would: groups and replicas are
validated, verified by the site's trainer, and audit-logged."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from courses.cascade.bands import CELLS
from courses.cascade.protocol import ReplicaInput
from courses.cascade.selectors import course_sessions
from courses.cascade.services import (
    community_group_create,
    replica_record,
    replica_return,
    replica_verify,
)
from courses.models import (
    Cohort,
    CommunityGroup,
    CoursePage,
    CurriculumIndexPage,
    District,
    Enrollment,
    SessionPage,
)
from courses.services.attendance import attendance_sheet_save
from courses.services.delivery import cohort_schedule_generate, enrollment_create
from lms.models import Site

PRACTICE_CODE = "MPV-02"
PRACTICE_COHORT = "Villa María del Triunfo 2026-II · Réplica supervisada"
#: Who verifies at each site (the demo's trainers; in Arequipa the coordinator trains too).
VERIFIER = {
    "villa-maria-del-triunfo": "facilitador",
    "arequipa": "coordinadora-arequipa",
    "iquitos": "facilitadora-iquitos",
}
DISTRICTS = {
    "villa-maria-del-triunfo": ["150143", "150133", "150142", "150132"],
    "arequipa": ["040101", "040104", "040129", "040112"],
    "iquitos": ["160101", "160108", "160112", "160113"],
}
GROUP_NAMES = [
    ("men", "Hombres por la igualdad de {place}"),
    ("mixed", "Vecinas y vecinos de {place}"),
    ("youth", "Jóvenes sin violencia de {place}"),
    ("leaders", "Dirigentes vecinales de {place}"),
    ("institution", "Docentes de la I. E. de {place}"),
    ("men", "Padres de familia de {place}"),
]
CASCADE_ACTIVISTS_PER_SITE = 6
RETURN_REASON = "Faltan los conteos de participantes por edad; corrígelos y vuelve a enviarla."

PRACTICE_COURSE = {
    "title": "Réplica comunitaria supervisada",
    "summary": (
        "Práctica de facilitación: quienes se forman llevan las sesiones del currículo a un "
        "grupo de su comunidad, con el acompañamiento del equipo del CEM."
    ),
    "learning_outcomes": (
        "<ul><li>Planificar una réplica con un grupo comunitario.</li>"
        "<li>Facilitar las dinámicas del currículo cuidando la seguridad del grupo.</li>"
        "<li>Registrar la réplica para que el CEM la verifique.</li></ul>"
    ),
    "audience": "Activistas de los CEM en formación como facilitadoras y facilitadores.",
    "sessions": [
        ("Planificar la réplica con el grupo", "Mapa del barrio y del grupo"),
        ("Facilitar una sesión participativa", "Sociodrama y plenaria"),
        ("Acompañar revelaciones y derivar", "Ruta de atención local"),
    ],
}


def _activity(kind: str, title: str, minutes: int) -> tuple[str, dict]:
    return (
        "activity",
        {
            "kind": kind,
            "title": title,
            "duration_minutes": minutes,
            "instructions": f"<p>{title}: en grupos pequeños y luego en plenaria.</p>",
            "facilitator_notes": "<p>Cuida que nadie se sienta obligado a contar su historia.</p>",
            "handout": None,
        },
    )


def _practice_course(admin: User) -> CoursePage:
    course = CoursePage.objects.filter(code=PRACTICE_CODE).first()
    if course is not None:
        return course
    index = CurriculumIndexPage.objects.first()
    data = PRACTICE_COURSE
    course = CoursePage(
        title=data["title"],
        slug=slugify(data["title"]),
        code=PRACTICE_CODE,
        summary=data["summary"],
        learning_outcomes=data["learning_outcomes"],
        audience=data["audience"],
        accrediting_institution="Universidad Peruana Cayetano Heredia",
        credit_hours=12,
        practice_amount=2,
        practice_days=60,
    )
    index.add_child(instance=course)
    _publish(course, admin)
    for number, (title, core) in enumerate(data["sessions"], start=1):
        session = SessionPage(
            title=title,
            slug=f"sesion-{number:02d}",
            number=number,
            duration_minutes=120,
            objectives=f"<ul><li>{title}.</li></ul>",
            activities=[
                _activity("opening", "Bienvenida y acuerdos", 20),
                _activity("core", core, 80),
                _activity("closing", "Cierre y compromisos", 20),
            ],
        )
        course.add_child(instance=session)
        _publish(session, admin)
    return course


def _publish(page: Page, user: User) -> None:
    page.save_revision(user=user, log_action=True).publish(user=user)


def _practice_cohort(course: CoursePage, admin: User) -> Cohort:
    """A running cohort of the practice course at Villa María del Triunfo, its three sessions
    held: `activista` and five certified activists, still practising."""
    cohort = Cohort.objects.filter(name=PRACTICE_COHORT).first()
    if cohort is not None:
        return cohort
    activista = User.objects.get(username="activista")
    cem = activista.profile.cem
    start = timezone.localdate() - dt.timedelta(days=35)
    cohort = Cohort.objects.create(
        course=course,
        cem=cem,
        name=PRACTICE_COHORT,
        start_date=start,
        end_date=start + dt.timedelta(days=14),
        capacity=20,
        status=Cohort.Status.RUNNING,
    )
    trainer = User.objects.get(username="facilitador")
    cohort.trainers.add(trainer)
    first_at = timezone.make_aware(dt.datetime.combine(start, dt.time(18, 0)))
    cohort_schedule_generate(actor=admin, cohort=cohort, first_at=first_at, place="Local del CEM")
    others = list(
        User.objects.filter(
            enrollments__cohort__name="Villa María del Triunfo 2026-I",
            enrollments__certificates__status="valid",
        )
        .exclude(username="activista")
        .order_by("username")[:5]
    )
    enrollments = [
        enrollment_create(
            actor=admin,
            cohort=cohort,
            activist=person,
            consent_method=Enrollment.ConsentMethod.WRITTEN,
            enrolled_on=start - dt.timedelta(days=2),
            consent_given_at=first_at - dt.timedelta(days=2),
        )
        for person in [activista, *others]
    ]
    for delivery in cohort.deliveries.order_by("scheduled_at"):
        attendance_sheet_save(
            actor=trainer, delivery=delivery, marks={e.pk: "P" for e in enrollments}
        )
    return cohort


def _counts(rng: random.Random) -> dict[str, int]:
    counts = {}
    for cell in CELLS:
        weight = {"u18": 2, "18_29": 5, "30_49": 6, "50p": 3}[cell.band]
        weight = weight if cell.sex != "X" else 0
        total = rng.randint(0, weight) if cell.sex != "X" else rng.choice([0, 0, 0, 1])
        counts[cell.field] = total
        counts[cell.first_field] = rng.randint(0, total)
    counts["women_30_49"] = max(counts["women_30_49"], 2)
    return counts


def _replica(rng, group: CommunityGroup, sessions: list[SessionPage], held_on: dt.date):
    chosen = rng.sample(sessions, k=min(len(sessions), rng.randint(1, 2)))
    return ReplicaInput(
        uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
        held_on=held_on,
        duration_minutes=rng.choice([60, 90, 120]),
        place=rng.choice(["Local comunal", "Parroquia", "Comedor popular", "Colegio"]),
        session_ids=tuple(s.pk for s in chosen),
        counts=_counts(rng),
        notes="",
    )


def _report(group, *, statuses: list[str], days_ago: list[int], verifier: User, rng) -> None:
    sessions = course_sessions([group.course_id])[group.course_id]
    today = timezone.localdate()
    for status, ago in zip(statuses, days_ago, strict=True):
        held_on = max(today - dt.timedelta(days=ago), group.start_date)
        replica = replica_record(
            actor=group.activist, group=group, data=_replica(rng, group, sessions, held_on)
        ).replica
        if status == "verified":
            replica_verify(actor=verifier, replica=replica)
        elif status == "returned":
            replica_return(actor=verifier, replica=replica, reason=RETURN_REASON)


def _group(activist: User, *, name: str, kind: str, district: District, course, start):
    return community_group_create(
        actor=activist,
        name=name,
        kind=kind,
        district=district,
        cem=activist.profile.cem,
        course=course,
        start_date=start,
    )


@transaction.atomic
def seed_cascade(*, course: CoursePage, admin: User) -> None:
    """Groups and replicas for certified activists at each site; the practice course, its
    cohort and `activista`'s group with a session in every state."""
    practice = _practice_course(admin)
    practice_cohort = _practice_cohort(practice, admin)
    if CommunityGroup.objects.filter(activist__username="activista").exists():
        return
    for site in Site.objects.filter(slug__in=DISTRICTS).order_by("pk"):
        rng = random.Random(f"cascade-{site.slug}")
        verifier = User.objects.get(username=VERIFIER[site.slug])
        districts = list(District.objects.filter(ubigeo__in=DISTRICTS[site.slug]))
        finished = Cohort.objects.get(cem__site=site, status=Cohort.Status.CLOSED)
        people = list(
            User.objects.filter(
                enrollments__cohort=finished, enrollments__certificates__status="valid"
            )
            .exclude(username="activista")
            .order_by("username")[:CASCADE_ACTIVISTS_PER_SITE]
        )
        for index, activist in enumerate(people):
            district = districts[index % len(districts)]
            kind, pattern = GROUP_NAMES[index % len(GROUP_NAMES)]
            group = _group(
                activist,
                name=pattern.format(place=district.name),
                kind=kind,
                district=district,
                course=course,
                start=finished.end_date,
            )
            ages = sorted(rng.sample(range(3, 80), k=rng.randint(2, 5)), reverse=True)
            statuses = ["verified"] * len(ages)
            if index % 3 == 1:
                statuses[-1] = "pending"
            if index % 3 == 2:
                statuses[-1] = "returned"
            _report(group, statuses=statuses, days_ago=ages, verifier=verifier, rng=rng)
    # `activista`: one group of the practice course, a session in every state (one verified
    # of the two her certificate requires, one waiting, one returned).
    activista = User.objects.get(username="activista")
    group = _group(
        activista,
        name="Hombres de Nueva Esperanza",
        kind="men",
        district=District.objects.get(ubigeo="150143"),
        course=practice,
        start=practice_cohort.start_date,
    )
    _report(
        group,
        statuses=["verified", "pending", "returned"],
        days_ago=[20, 9, 4],
        verifier=User.objects.get(username="facilitador"),
        rng=random.Random("cascade-activista"),
    )
