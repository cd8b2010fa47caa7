import pytest
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from tests.factories import (
    CoursePageFactory,
    CurriculumIndexPageFactory,
    HomePageFactory,
    SessionPageFactory,
)


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    WagtailSite.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


@pytest.fixture
def curriculum_index(home_page):
    return CurriculumIndexPageFactory(parent=home_page)


@pytest.fixture
def course(curriculum_index):
    return CoursePageFactory(parent=curriculum_index)


@pytest.fixture
def session_page(course):
    return SessionPageFactory(parent=course)


@pytest.fixture(autouse=True)
def default_language():
    """Requests activate a language in the test thread; start every test in Spanish."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_site_lookup():
    """Each server process keeps Wagtail's site lookup (lms/site_cache.py); a test's database
    is rolled back behind its back, so every test starts without it."""
    from lms.site_cache import forget_sites

    forget_sites()
    yield
    forget_sites()


@pytest.fixture
def cohort_setup(course):
    """A running cohort of a four-session course at a Villa María del Triunfo CEM."""
    from lms.roles import Role
    from tests.factories import (
        CEMFactory,
        CohortFactory,
        EnrollmentFactory,
        SessionPageFactory,
        person,
        site,
    )

    sessions = [SessionPageFactory(parent=course, number=n) for n in range(1, 5)]
    cem = CEMFactory(site=site("villa-maria-del-triunfo"), name="CEM Villa María")
    trainer = person(Role.TRAINER, cem=cem)
    cohort = CohortFactory(course=course, cem=cem, trainers=[trainer])
    enrollments = [EnrollmentFactory(cohort=cohort) for _ in range(3)]
    return {
        "sessions": sessions,
        "cem": cem,
        "trainer": trainer,
        "cohort": cohort,
        "enrollments": enrollments,
    }


@pytest.fixture
def instrument(db):
    """The example instrument (not validated), imported from its file."""
    from assessments.instruments.files import instrument_import
    from tests.helpers import EXAMPLE_INSTRUMENT

    return instrument_import(EXAMPLE_INSTRUMENT.read_bytes())


@pytest.fixture
def site_coordinator(db):
    """A coordinator of Villa María del Triunfo."""
    from lms.roles import Role
    from tests.factories import person, site

    return person(Role.COORDINATOR, site_=site("villa-maria-del-triunfo"))


@pytest.fixture
def national_coordinator(db):
    """A coordinator with no site on her profile: every site."""
    from lms.roles import Role
    from tests.factories import person

    return person(Role.COORDINATOR)
