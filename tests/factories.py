"""factory_boy factories shared by the suite. Wagtail pages are created with parent.add_child."""

import datetime as dt

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone
from wagtail.models import Page

from courses.models import (
    AttendanceRecord,
    Cohort,
    CoursePage,
    CurriculumIndexPage,
    Enrollment,
    SessionDelivery,
    SessionPage,
)
from home.models import HomePage
from lms.models import CEM, ParticipantProfile, Site
from lms.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"persona{n}")
    first_name = factory.Faker("first_name", locale="es_ES")
    last_name = factory.Faker("last_name", locale="es_ES")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "demo12345")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[str(r) for r in extracted]))
        if create:
            self.save()


class PageFactory(factory.Factory):
    """Builds a page in memory and attaches it under `parent` (a required keyword)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent: Page, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        return page


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage

    title = "Inicio"
    slug = "inicio"


class CurriculumIndexPageFactory(PageFactory):
    class Meta:
        model = CurriculumIndexPage

    title = "Currículo"
    slug = "curriculo"


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Curso de prueba {n}")
    slug = factory.Sequence(lambda n: f"curso-{n}")
    code = factory.Sequence(lambda n: f"CUR-{n:03d}")
    summary = "Un curso para probar la plataforma."
    learning_outcomes = "<ul><li>Reconocer mandatos de género.</li></ul>"
    audience = "Activistas de los CEM"
    accrediting_institution = "Universidad Peruana Cayetano Heredia"
    credit_hours = 4


def activity(title: str = "Dinámica", minutes: int = 30, **extra) -> tuple[str, dict]:
    value = {
        "kind": "opening",
        "title": title,
        "duration_minutes": minutes,
        "instructions": "<p>Formar un círculo y presentarse.</p>",
        "facilitator_notes": "<p>Nota reservada para quien facilita.</p>",
        "handout": None,
    }
    value.update(extra)
    return ("activity", value)


def safety_note(text: str = "<p>Escuchar sin juzgar y derivar al CEM o a la Línea 100.</p>"):
    return ("safety_note", {"title": "Si alguien cuenta que vive violencia", "text": text})


class SessionPageFactory(PageFactory):
    class Meta:
        model = SessionPage

    title = factory.Sequence(lambda n: f"Sesión {n}")
    slug = factory.Sequence(lambda n: f"sesion-{n}")
    number = factory.Sequence(lambda n: n + 1)
    duration_minutes = 60
    objectives = "<ul><li>Conocernos.</li></ul>"
    activities = factory.LazyFunction(
        lambda: [activity("Presentación", 30), activity("Plenaria", 30), safety_note()]
    )


def site(slug: str = "villa-maria-del-triunfo") -> Site:
    """The three sites come from a data migration."""
    return Site.objects.get(slug=slug)


class CEMFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CEM
        django_get_or_create = ("site", "name")

    site = factory.LazyFunction(site)
    name = factory.Sequence(lambda n: f"CEM de prueba {n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    sex = ParticipantProfile.Sex.FEMALE
    birth_year = 1995
    cem = factory.SubFactory(CEMFactory)
    site = factory.LazyAttribute(lambda p: p.cem.site if p.cem else None)


def person(role: Role, *, cem: CEM | None = None, site_: Site | None = None, **profile) -> User:
    """A user with a role and a profile (a coordinator with no site is national)."""
    user = UserFactory(roles=[role])
    ProfileFactory(user=user, cem=cem, site=site_ or (cem.site if cem else None), **profile)
    return user


def named_activist(cohort, first_name: str, last_name: str) -> User:
    """An activist of the cohort's CEM with the given names (certificates print them)."""
    user = person(Role.ACTIVIST, cem=cohort.cem)
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = None  # pass course=...
    cem = factory.SubFactory(CEMFactory)
    name = factory.Sequence(lambda n: f"Grupo {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    capacity = 40
    status = Cohort.Status.RUNNING

    @factory.post_generation
    def trainers(self, create: bool, extracted: list[User] | None, **kwargs) -> None:
        if create and extracted:
            self.trainers.add(*extracted)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = None  # pass cohort=...
    activist = factory.LazyAttribute(lambda e: person(Role.ACTIVIST, cem=e.cohort.cem))
    enrolled_on = factory.LazyAttribute(lambda e: e.cohort.start_date)
    consent_version = "2026-1"
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_method = Enrollment.ConsentMethod.WRITTEN


class SessionDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionDelivery

    cohort = None  # pass cohort=... and session=...
    session = None
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    place = "Local comunal"
    status = SessionDelivery.Status.SCHEDULED


class AttendanceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttendanceRecord

    delivery = None
    enrollment = None
    status = AttendanceRecord.Status.PRESENT
    recorded_by = factory.LazyAttribute(lambda r: r.delivery.cohort.trainers.first())


def hold_sessions(cohort, sessions, statuses_by_enrollment: dict, *, days_ago_start: int = 30):
    """Deliveries for `sessions`, held in the past, with the given status per enrollment
    (a list of P/L/E/A per session, or None to leave a delivery scheduled in the future)."""
    from courses.services.attendance import attendance_sheet_save

    trainer = cohort.trainers.first()
    deliveries = []
    now = timezone.now()
    for position, session in enumerate(sessions):
        delivery = SessionDeliveryFactory(
            cohort=cohort,
            session=session,
            scheduled_at=now - dt.timedelta(days=days_ago_start - 7 * position),
        )
        deliveries.append(delivery)
        marks = {
            enrollment.pk: statuses[position]
            for enrollment, statuses in statuses_by_enrollment.items()
            if statuses[position]
        }
        if marks and delivery.scheduled_at <= now:
            attendance_sheet_save(actor=trainer, delivery=delivery, marks=marks)
    return deliveries


# --- The cascade -----------------------------------------------------------------------------


def district(ubigeo: str = "150143"):
    """The districts come from a data migration (courses/cascade/data)."""
    from courses.models import District

    return District.objects.get(ubigeo=ubigeo)


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "courses.CommunityGroup"

    activist = None  # pass activist=... (with a profile) and course=...
    course = None
    name = factory.Sequence(lambda n: f"Grupo comunitario {n}")
    kind = "men"
    district = factory.LazyFunction(district)
    cem = factory.LazyAttribute(lambda g: g.activist.profile.cem)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=120))
