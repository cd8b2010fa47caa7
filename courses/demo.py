"""Demo curriculum: one accredited course loaded from courses/demo/*.json."""

import json
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from courses.models import CoursePage, CurriculumIndexPage, SessionPage
from courses.services.curriculum import (
    curriculum_permissions_ensure,
    curriculum_workflow_ensure,
)

DEMO_COURSE_FILE = Path(__file__).resolve().parent / "demo" / "curso_masculinidades.json"


def _publish(page: Page, user: User | None) -> None:
    page.save_revision(user=user, log_action=True).publish(user=user)


@transaction.atomic
def seed_curriculum(*, home: Page, user: User | None) -> CoursePage:
    """Create the curriculum index and the demo course unless they already exist."""
    index = CurriculumIndexPage.objects.child_of(home).first()
    if index is None:
        index = CurriculumIndexPage(
            title="Currículo acreditado",
            slug="curriculo",
            intro=(
                "<p>Cursos de formación de formadoras y formadores en masculinidades positivas "
                "y prevención de la violencia sexual y de pareja, con sesiones presenciales y "
                "participativas.</p>"
            ),
        )
        home.add_child(instance=index)
        _publish(index, user)
    curriculum_workflow_ensure(index_page=index)
    curriculum_permissions_ensure(index_page=index)

    data = json.loads(DEMO_COURSE_FILE.read_text(encoding="utf-8"))
    course = CoursePage.objects.filter(code=data["code"]).first()
    if course is not None:
        return course
    course = CoursePage(
        title=data["title"],
        slug=slugify(data["title"])[:80],
        code=data["code"],
        summary=data["summary"],
        learning_outcomes=data["learning_outcomes"],
        audience=data["audience"],
        accrediting_institution=data["accrediting_institution"],
        curriculum_version=data["curriculum_version"],
        credit_hours=data["credit_hours"],
        min_attendance_percent=data["min_attendance_percent"],
    )
    course.tags.add(*data["tags"])
    index.add_child(instance=course)
    _publish(course, user)
    for session_data in data["sessions"]:
        session = SessionPage(
            title=session_data["title"],
            slug=f"sesion-{session_data['number']:02d}",
            number=session_data["number"],
            duration_minutes=session_data["duration_minutes"],
            objectives=session_data["objectives"],
            key_messages=session_data["key_messages"],
            materials=session_data["materials"],
            activities=[
                (item["type"], {k: v for k, v in item.items() if k != "type"})
                for item in session_data["activities"]
            ],
        )
        course.add_child(instance=session)
        _publish(session, user)
    return course
