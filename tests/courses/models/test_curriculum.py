import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CoursePage, CurriculumIndexPage, SessionPage
from home.models import HomePage
from lms.roles import Role
from tests.factories import SessionPageFactory, UserFactory, activity


class TestPageHierarchy(WagtailPageTestCase):
    def test_home_holds_only_the_curriculum(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {CurriculumIndexPage})

    def test_curriculum_holds_only_courses(self):
        self.assertAllowedParentPageTypes(CurriculumIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CurriculumIndexPage, {CoursePage})

    def test_courses_hold_only_sessions(self):
        self.assertAllowedParentPageTypes(CoursePage, {CurriculumIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {SessionPage})

    def test_sessions_are_leaves_under_a_course(self):
        self.assertAllowedParentPageTypes(SessionPage, {CoursePage})
        self.assertAllowedSubpageTypes(SessionPage, set())
        self.assertCanNotCreateAt(CurriculumIndexPage, SessionPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)


def test_session_durations_must_add_up(course):
    session = SessionPage(
        title="Sesión con error",
        slug="error",
        number=9,
        duration_minutes=90,
        objectives="<p>x</p>",
        activities=[activity("Uno", 30), activity("Dos", 45)],
    )
    with pytest.raises(ValidationError) as excinfo:
        course.add_child(instance=session)
    message = excinfo.value.message_dict["duration_minutes"][0]
    assert "75" in message and "90" in message
    assert not SessionPage.objects.filter(slug="error").exists()


def test_session_with_matching_durations_saves(course):
    session = SessionPageFactory(
        parent=course, duration_minutes=75, activities=[activity("A", 30), activity("B", 45)]
    )
    assert session.activity_minutes() == 75
    assert SessionPage.objects.filter(pk=session.pk).exists()


def test_admin_refuses_mismatched_durations_with_clear_message(client, session_page):
    admin = UserFactory(username="editor", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = f"/admin/pages/{session_page.pk}/edit/"
    response = client.get(url)
    assert response.status_code == 200
    post = nested_form_data(
        {
            "title": session_page.title,
            "slug": session_page.slug,
            "number": session_page.number,
            "duration_minutes": 95,
            "objectives": rich_text("<p>Conocernos.</p>"),
            "key_messages": rich_text(""),
            "materials": rich_text(""),
            "activities": streamfield(
                [
                    (
                        "activity",
                        {
                            "kind": "opening",
                            "title": "Presentación",
                            "duration_minutes": 30,
                            "instructions": rich_text("<p>Presentarse.</p>"),
                            "facilitator_notes": rich_text(""),
                            "handout": "",
                        },
                    ),
                    (
                        "activity",
                        {
                            "kind": "plenary",
                            "title": "Plenaria",
                            "duration_minutes": 30,
                            "instructions": rich_text("<p>Compartir.</p>"),
                            "facilitator_notes": rich_text(""),
                            "handout": "",
                        },
                    ),
                ]
            ),
        }
    )
    response = client.post(url, post)
    assert response.status_code == 200  # re-rendered with errors, not redirected
    content = response.content.decode()
    assert "60" in content and "95" in content
    session_page.refresh_from_db()
    assert session_page.duration_minutes == 60


@pytest.mark.parametrize(
    ("prefix", "heading", "outline"),
    [("", "Resultados de aprendizaje", "Total"), ("/en", "Learning outcomes", "Total")],
)
def test_course_page_renders_in_both_languages(client, session_page, prefix, heading, outline):
    course = session_page.get_parent().specific
    response = client.get(prefix + course.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert heading in content
    assert session_page.title in content
    assert f">{session_page.duration_minutes}<" in content


@pytest.mark.parametrize(("prefix", "label"), [("", "Objetivos"), ("/en", "Objectives")])
def test_session_page_renders_in_both_languages(client, session_page, prefix, label):
    response = client.get(prefix + session_page.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert label in content
    assert "Presentación" in content


def test_notes_hidden_from_anonymous_visitors(client, session_page):
    content = client.get(session_page.url).content.decode()
    assert "Nota reservada para quien facilita" not in content
    assert "Línea 100. " not in content and "derivar al CEM" not in content


def test_notes_hidden_from_activists(client, session_page):
    client.force_login(UserFactory(roles=[Role.ACTIVIST]))
    content = client.get(session_page.url).content.decode()
    assert "Nota reservada para quien facilita" not in content
    assert "derivar al CEM" not in content


@pytest.mark.parametrize("role", [Role.TRAINER, Role.COORDINATOR])
def test_notes_shown_to_trainers_and_coordinators(client, session_page, role):
    client.force_login(UserFactory(roles=[role]))
    content = client.get(session_page.url).content.decode()
    assert "Nota reservada para quien facilita" in content
    assert "derivar al CEM" in content


def test_facilitator_guide_for_course_lists_every_session_with_notes(client, course):
    first = SessionPageFactory(parent=course, number=1, title="Primera sesión")
    second = SessionPageFactory(parent=course, number=2, title="Segunda sesión")
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    response = client.get(course.url + "guia/")
    assert response.status_code == 200
    content = response.content.decode()
    assert first.title in content and second.title in content
    assert content.count("Nota reservada para quien facilita") == 4
    assert "guide-session" in content


def test_facilitator_guide_is_not_found_for_activists_and_anonymous(client, session_page):
    assert client.get(session_page.url + "guia/").status_code == 404
    client.force_login(UserFactory(roles=[Role.ACTIVIST]))
    assert client.get(session_page.url + "guia/").status_code == 404


def test_curriculum_index_filters_by_theme(client, curriculum_index, course):
    from tests.factories import CoursePageFactory

    other = CoursePageFactory(parent=curriculum_index, title="Paternidades")
    course.tags.add("consentimiento")
    course.save_revision().publish()
    other.tags.add("cuidados")
    other.save_revision().publish()
    content = client.get(curriculum_index.url + "?tema=consentimiento").content.decode()
    assert course.title in content
    assert other.title not in content
    content = client.get(curriculum_index.url).content.decode()
    assert course.title in content and other.title in content
