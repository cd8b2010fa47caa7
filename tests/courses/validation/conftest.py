import pytest

from courses.validation.services.participants import participants_add
from courses.validation.services.rounds import round_open
from lms.roles import Role
from tests.factories import CEMFactory, SessionPageFactory, UserFactory, person, site
from tests.helpers import VALIDATION_SITES, activist_at, validation_round


def published(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def draft_course(course):
    """A course with three published sessions, then a draft revision of the course itself."""
    published(course)
    sessions = [published(SessionPageFactory(parent=course, number=n)) for n in (1, 2, 3)]
    course.summary = "Borrador para validar con activistas."
    course.save_revision()
    return {"course": course, "sessions": sessions}


@pytest.fixture
def places(db):
    cems = {
        key: CEMFactory(site=site(slug), name=f"CEM {key}")
        for key, slug in VALIDATION_SITES.items()
    }
    return {"cems": cems, "sites": {key: cem.site for key, cem in cems.items()}}


@pytest.fixture
def staff(places):
    return {
        "coordinator_a": person(Role.COORDINATOR, site_=places["sites"]["A"]),
        "coordinator_b": person(Role.COORDINATOR, site_=places["sites"]["B"]),
        "national": person(Role.COORDINATOR),
        "trainer_a": person(Role.TRAINER, cem=places["cems"]["A"]),
        "trainer_b": person(Role.TRAINER, cem=places["cems"]["B"]),
        "accreditor": person(Role.ACCREDITOR),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def open_round(draft_course, places, staff):
    """An open round at the three sites, no participant yet."""
    round_ = validation_round(draft_course["course"], places, staff["national"])
    round_open(actor=staff["national"], round=round_)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def crowd(open_round, places, staff):
    """Participants at the three sites: at A 6 women and 5 men (both generations), at B 7 women
    (4 young, 3 older), at C 3 young men."""
    cems = places["cems"]
    people = {
        "A": [activist_at(cems["A"], sex="F", young=i % 2 == 0) for i in range(6)]
        + [activist_at(cems["A"], sex="M", young=i % 2 == 0) for i in range(5)],
        "B": [activist_at(cems["B"], sex="F", young=i < 4) for i in range(7)],
        "C": [activist_at(cems["C"], sex="M", young=True) for _ in range(3)],
    }
    participants = {
        key: participants_add(actor=staff["national"], round=open_round, people=members)
        for key, members in people.items()
    }
    return {"people": people, "participants": participants}
