from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from wagtail.models import Page, Revision, WorkflowPage

from courses.models import CoursePage, SessionPage


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app_label in ("lms", "home", "courses", "assessments", "certificates", "auth")
        for model in apps.get_app_config(app_label).get_models()
    } | {"pages": Page.objects.count(), "revisions": Revision.objects.count()}


def test_seed_demo_twice_gives_the_same_counts(db):
    call_command("seed_demo", verbosity=0)
    first = model_counts()
    call_command("seed_demo", verbosity=0)
    assert model_counts() == first


def test_seed_demo_builds_a_full_course_with_review_workflow(db):
    call_command("seed_demo", verbosity=0)
    course = CoursePage.objects.get(code="MPV-01")
    sessions = SessionPage.objects.child_of(course).live()
    assert sessions.count() >= 8
    for session in sessions:
        assert session.activity_minutes() == session.duration_minutes
        assert any(
            b.value.get("facilitator_notes")
            for b in session.activities
            if b.block_type == "activity"
        )
    assert any(b.block_type == "safety_note" for s in sessions for b in s.activities)
    index = course.get_parent()
    assert WorkflowPage.objects.filter(page=index).exists()
    assert course.get_workflow() is not None
    assert User.objects.get(username="admin").check_password("demo12345")


def test_demo_site_serves_home_and_course_in_both_languages(client, db):
    call_command("seed_demo", verbosity=0)
    course = CoursePage.objects.get(code="MPV-01")
    home = client.get("/")
    assert home.status_code == 200
    assert "Villa María del Triunfo" in home.content.decode()
    assert client.get(course.url).status_code == 200
    english = client.get("/en/")
    assert english.status_code == 200
    assert 'lang="en"' in english.content.decode()


def test_the_demo_validates_the_course_at_the_three_sites(db):
    from courses.models import FindingRevision, ValidationFeedback, ValidationRound

    call_command("seed_demo", verbosity=0)
    round_ = ValidationRound.objects.get()
    assert round_.status == ValidationRound.Status.CLOSED
    assert round_.course == CoursePage.objects.get(code="MPV-01")
    feedback = ValidationFeedback.objects.filter(round=round_)
    assert set(feedback.values_list("site__slug", flat=True)) == {
        "villa-maria-del-triunfo",
        "arequipa",
        "iquitos",
    }
    assert set(feedback.values_list("sex", flat=True)) == {"F", "M"}
    assert {"20-29", "35-50"} <= set(feedback.values_list("generation", flat=True))
    assert set(feedback.values_list("source", flat=True)) == {"online", "paper"}
    assert sorted(round_.workshops.values_list("site__slug", flat=True)) == [
        "arequipa",
        "iquitos",
        "villa-maria-del-triunfo",
    ]
    findings = list(round_.findings.all())
    assert len(findings) == 3 and all(f.decision and f.decision_reason for f in findings)
    citation = FindingRevision.objects.get()
    assert citation.revision.created_at > round_.course_revision.created_at
    assert citation.page.specific.live_revision_id == citation.revision_id  # published
