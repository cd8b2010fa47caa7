import pytest
from django.contrib.auth.models import User
from django.core.management import call_command


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The demo programme, with its certificates' PDFs rendered as the worker does."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    return {
        "activist": User.objects.get(username="activista"),
        "coordinator": User.objects.get(username="coordinadora"),  # national
        "arequipa": User.objects.get(username="coordinadora-arequipa"),
        "trainer": User.objects.get(username="facilitador"),
        "accreditor": User.objects.get(username="acreditadora"),
    }


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what services queue after commit (the tasks, eagerly) when the block ends."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner
