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
