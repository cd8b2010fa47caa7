"""Demo delivery: CEMs, one running cohort per site with generated activists and attendance."""

import datetime as dt
import functools
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from courses.models import Cohort, CoursePage, Enrollment
from courses.services.attendance import attendance_sheet_save
from courses.services.delivery import cohort_schedule_generate, enrollment_create
from lms.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_STAFF
from lms.models import CEM, ParticipantProfile, Site
from lms.roles import Role

CEMS = {
    "villa-maria-del-triunfo": ["CEM Villa María del Triunfo", "CEM Nueva Esperanza"],
    "arequipa": ["CEM Arequipa", "CEM Cerro Colorado"],
    "iquitos": ["CEM Maynas", "CEM Punchana"],
}
COHORT_TRAINER = {
    "villa-maria-del-triunfo": "facilitador",
    "arequipa": "coordinadora-arequipa",
    "iquitos": "facilitadora-iquitos",
}
NAMED_ACTIVIST = {"villa-maria-del-triunfo": "activista", "iquitos": "activista-iquitos"}
# The demo's own activist has a Quechua surname written with the modifier-letter apostrophe
# (U+02BC), which certificates must print as a letter, never as a box.
NAMED_ACTIVIST_NAME = {"activista": ("Yolanda Ñusta", "Qʼispe Mamani")}
# Her phone, so that "My data" and erasure have contact data to show and to remove.
NAMED_ACTIVIST_PHONE = {"activista": "+51 987 654 321"}

WOMEN = [
    "María",
    "Rosa",
    "Juana",
    "Carmen",
    "Luz",
    "Ana",
    "Flor",
    "Gladys",
    "Yolanda",
    "Milagros",
    "Elizabeth",
    "Nelly",
    "Silvia",
    "Patricia",
    "Maribel",
    "Roxana",
    "Karina",
    "Yessica",
    "Sonia",
    "Maritza",
    "Kelly",
    "Fiorella",
    "Delia",
    "Norma",
]
MEN = [
    "José",
    "Luis",
    "Juan",
    "Carlos",
    "Jorge",
    "Miguel",
    "Pedro",
    "César",
    "Víctor",
    "Raúl",
    "Edwin",
    "Wilber",
    "Julio",
    "Hugo",
    "Percy",
    "Walter",
]
SURNAMES = [
    "Quispe",
    "Huamán",
    "Mamani",
    "Flores",
    "Rojas",
    "Condori",
    "Chávez",
    "Vargas",
    "Ramos",
    "Torres",
    "Mendoza",
    "Cruz",
    "Ñahui",
    "Sánchez",
    "Pérez",
    "Castillo",
    "Apaza",
    "Ccama",
    "Panduro",
    "Tuesta",
    "Ríos",
    "Pinedo",
    "Vásquez",
    "Gutiérrez",
    "Valdivia",
    "Paredes",
]
ACTIVISTS_PER_COHORT = 20
DEMO_USERNAMES = {username for username, _ in DEMO_LOGINS}


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; dozens of demo accounts share one hash.
    return make_password(DEMO_PASSWORD)


def _user(username: str, first: str, last: str, role: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            # Only the demo logins get an address, so seeding does not print dozens of e-mails.
            "email": f"{username}@example.org" if username in DEMO_USERNAMES else "",
        },
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    return user


def _profile(user: User, *, site: Site | None, cem: CEM | None, sex: str, birth_year: int):
    ParticipantProfile.objects.get_or_create(
        user=user,
        defaults={
            "site": site,
            "cem": cem,
            "sex": sex,
            "birth_year": birth_year,
            "phone": NAMED_ACTIVIST_PHONE.get(user.username, ""),
        },
    )


@transaction.atomic
def seed_delivery(*, course: CoursePage, admin: User) -> None:
    """Idempotent: everything is looked up by a natural key before it is created."""
    sites = {site.slug: site for site in Site.objects.all()}
    cems = {}
    for slug, names in CEMS.items():
        for name in names:
            cems[name], _ = CEM.objects.get_or_create(site=sites[slug], name=name)
    for username, _description, role, site_slug, first, last in DEMO_STAFF:
        user = _user(username, first, last, role)
        site = sites.get(site_slug) if site_slug else None
        cem = cems[CEMS[site_slug][0]] if site_slug and role == Role.TRAINER else None
        _profile(user, site=site, cem=cem, sex="F" if last != "Quispe" else "M", birth_year=1980)
    sessions = len(course.sessions())
    for slug in CEMS:
        # An earlier cohort, finished, and the current one, halfway through.
        _seed_cohort(
            course=course,
            site=sites[slug],
            cem=cems[CEMS[slug][-1]],
            admin=admin,
            term="2026-I",
            weeks_since_start=sessions + 12,
            held=sessions,
        )
        _seed_cohort(
            course=course,
            site=sites[slug],
            cem=cems[CEMS[slug][0]],
            admin=admin,
            term="2026-II",
            weeks_since_start=sessions // 2,
            held=sessions // 2,
        )


def _seed_cohort(
    *,
    course: CoursePage,
    site: Site,
    cem: CEM,
    admin: User,
    term: str,
    weeks_since_start: int,
    held: int,
) -> None:
    name = f"{site.name} {term}"
    if Cohort.objects.filter(name=name).exists():
        return
    rng = random.Random(name)  # the same people every time
    today = timezone.localdate()
    sessions = list(course.sessions())
    # The running cohort meets today: its next session is there to be logged.
    start = today - dt.timedelta(days=7 * weeks_since_start)
    finished = held == len(sessions)
    cohort = Cohort.objects.create(
        course=course,
        cem=cem,
        name=name,
        start_date=start,
        end_date=start + dt.timedelta(days=7 * (len(sessions) - 1)),
        capacity=30,
        status=Cohort.Status.RUNNING,
    )
    trainer = User.objects.get(username=COHORT_TRAINER[site.slug])
    cohort.trainers.add(trainer)
    first_at = timezone.make_aware(dt.datetime.combine(start, dt.time(18, 0)))
    cohort_schedule_generate(
        actor=admin, cohort=cohort, first_at=first_at, place=f"Local comunal, {cem.name}"
    )
    enrollments = []
    for index in range(ACTIVISTS_PER_COHORT):
        woman = index % 10 < 7  # about 70% women
        first = rng.choice(WOMEN if woman else MEN)
        last = f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        named = NAMED_ACTIVIST.get(site.slug) if index == 0 else None
        if named == "activista-iquitos" and finished:
            named = None  # she joined the programme this term
        username = named or f"{site.slug[:3]}{term[-2:].lower()}-{index:02d}"
        first, last = NAMED_ACTIVIST_NAME.get(username, (first, last))
        # Men of the two generations the research compares; women across both as well.
        birth_year = today.year - (rng.randint(20, 29) if index % 2 else rng.randint(35, 50))
        user = _user(username, first, last, Role.ACTIVIST)
        _profile(user, site=site, cem=cem, sex="F" if woman else "M", birth_year=birth_year)
        enrollments.append(
            enrollment_create(
                actor=admin,
                cohort=cohort,
                activist=user,
                consent_method=Enrollment.ConsentMethod.WRITTEN,
                enrolled_on=start - dt.timedelta(days=3),
                consent_given_at=first_at - dt.timedelta(days=3),
            )
        )
    for position, delivery in enumerate(cohort.deliveries.order_by("scheduled_at")[:held]):
        marks = {}
        for index, enrollment in enumerate(enrollments):
            status = rng.choices("PLEA", weights=[80, 8, 6, 6])[0]
            if index == 0 and finished:
                status = "P"  # the demo's own activist earned her certificate
            if index == 3 and position >= held - 2 and not finished:
                status = "A"  # two absences in a row: the flag shows on first run
            marks[enrollment.pk] = status
        attendance_sheet_save(actor=trainer, delivery=delivery, marks=marks)
    if finished:
        cohort.status = Cohort.Status.CLOSED
        cohort.save(update_fields=["status"])
