"""Groups and replica sessions: saved whole or not at all, once per client UUID, verified by the
CEM staff of the group's site, every change in the audit log."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from courses.cascade.photos import MAX_PHOTO_BYTES
from courses.cascade.services import (
    ReplicaUuidReused,
    community_group_create,
    replica_record,
    replica_return,
    replica_verify,
)
from courses.models import ReplicaSession
from lms.models import AuditLogEntry
from lms.roles import Role
from tests.factories import CEMFactory, district, person, site
from tests.helpers import image_bytes, replica_input

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def test_a_certified_activist_starts_a_group_of_her_site(certified, course, cohort_setup):
    group = community_group_create(
        actor=certified,
        name="Hombres de Nueva Esperanza",
        kind="men",
        district=district("150143"),
        cem=cohort_setup["cem"],
        course=course,
        start_date=timezone.localdate(),
    )
    assert group.activist == certified
    entry = AuditLogEntry.objects.get(object_id=str(group.pk), content_type__model="communitygroup")
    assert entry.action == "create" and entry.site_id == cohort_setup["cem"].site_id


def test_groups_are_refused_outside_the_activists_site_and_courses(certified, course, cohort_setup):
    with pytest.raises(ValidationError) as refused:
        community_group_create(
            actor=certified,
            name="Grupo",
            kind="men",
            district=district("040101"),  # Arequipa
            cem=CEMFactory(site=site("arequipa")),
            course=course,
            start_date=timezone.localdate() + dt.timedelta(days=3),
        )
    assert set(refused.value.message_dict) == {"district", "cem", "start_date"}
    stranger = person(Role.ACTIVIST, cem=cohort_setup["cem"])  # not certified
    with pytest.raises(ValidationError) as refused:
        community_group_create(
            actor=stranger,
            name="Grupo",
            kind="men",
            district=district("150143"),
            cem=cohort_setup["cem"],
            course=course,
            start_date=timezone.localdate(),
        )
    assert set(refused.value.message_dict) == {"course"}


def test_a_replica_is_saved_with_its_counts_sessions_and_audit(group, cohort_setup):
    data = replica_input(cohort_setup["sessions"], notes="Buena participación")
    recorded = replica_record(actor=group.activist, group=group, data=data)
    replica = ReplicaSession.objects.get(uuid=data.uuid)
    assert not recorded.replayed and replica.status == "pending"
    assert (replica.participants, replica.first_timers) == (12, 6)
    assert set(replica.sessions.values_list("pk", flat=True)) == set(data.session_ids)
    entry = AuditLogEntry.objects.get(
        object_id=str(replica.pk), content_type__model="replicasession"
    )
    assert entry.after["women_18_29"] == 7 and entry.after["photo"] is False


def test_a_replica_sent_twice_is_stored_once(group, cohort_setup):
    data = replica_input(cohort_setup["sessions"])
    first = replica_record(actor=group.activist, group=group, data=data)
    again = replica_record(actor=group.activist, group=group, data=data)
    assert again.replayed and again.replica.pk == first.replica.pk
    assert ReplicaSession.objects.count() == 1
    changed = replica_input(cohort_setup["sessions"], uuid=data.uuid, place="Otro lugar")
    with pytest.raises(ReplicaUuidReused):
        replica_record(actor=group.activist, group=group, data=changed)
    assert ReplicaSession.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"days_ago": -1}, "future_date"),
        ({"days_ago": 400}, "before_start"),
        ({"counts": {"men_30_49": -2}}, "counts"),
        ({"counts": {"men_30_49": 495}}, "counts"),
        ({"counts": {"first_men_18_29": 6}}, "first_timers"),
        ({"duration_minutes": 5}, "duration"),
        ({"place": "  "}, "place"),
        ({"session_ids": ()}, "sessions"),
        ({"attendees": ("Juan Pérez",)}, "attendees"),
    ],
)
def test_a_replica_with_a_problem_is_refused_whole(group, cohort_setup, changes, code):
    data = replica_input(cohort_setup["sessions"], **changes)
    with pytest.raises(ValidationError) as refused:
        replica_record(actor=group.activist, group=group, data=data)
    assert code in codes(refused.value)
    assert not ReplicaSession.objects.exists()
    assert not AuditLogEntry.objects.filter(content_type__model="replicasession").exists()


def test_a_session_of_another_course_is_refused(group, cohort_setup, curriculum_index):
    from tests.factories import CoursePageFactory, SessionPageFactory

    other = SessionPageFactory(parent=CoursePageFactory(parent=curriculum_index))
    data = replica_input(cohort_setup["sessions"], session_ids=(other.pk,))
    with pytest.raises(ValidationError) as refused:
        replica_record(actor=group.activist, group=group, data=data)
    assert codes(refused.value) == {"sessions"}


def test_names_are_kept_only_for_groups_whose_members_agreed(group, cohort_setup):
    group.members_consented = True
    group.save()
    data = replica_input(cohort_setup["sessions"], attendees=("Juan Pérez", "Luis Rojas"))
    replica = replica_record(actor=group.activist, group=group, data=data).replica
    assert list(replica.attendees.values_list("full_name", flat=True)) == [
        "Juan Pérez",
        "Luis Rojas",
    ]


# --- Photos --------------------------------------------------------------------------------------


def test_the_photo_is_stored_without_its_exif(group, cohort_setup):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "Camera 1.0"  # Software
    raw = image_bytes(exif=exif.tobytes())
    assert Image.open(io.BytesIO(raw)).getexif()  # the upload has it
    data = replica_input(cohort_setup["sessions"], photo=raw)
    replica = replica_record(actor=group.activist, group=group, data=data).replica
    with replica.photo.open("rb") as stored:
        content = stored.read()
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and not image.getexif()
    assert b"PhoneMaker" not in content
    assert replica.photo.name.startswith("replicas/") and replica.photo.name.endswith(".jpg")


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_photos_are_accepted(group, cohort_setup, kind):
    data = replica_input(cohort_setup["sessions"], photo=image_bytes(kind))
    replica = replica_record(actor=group.activist, group=group, data=data).replica
    with replica.photo.open("rb") as stored:
        assert Image.open(stored).format == kind


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a photo", "not a JPEG, PNG or WebP"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "HEIC"),
        (b"\xff\xd8\xff" + b"\x00" * (MAX_PHOTO_BYTES + 1), "larger than 5 MB"),
        (image_bytes("GIF"), "not a JPEG, PNG or WebP"),
    ],
    ids=["not-an-image", "heic", "too-large", "gif"],
)
def test_a_bad_photo_refuses_the_replica_with_a_clear_message(
    group, cohort_setup, content, message
):
    from django.utils import translation

    data = replica_input(cohort_setup["sessions"], photo=content)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        replica_record(actor=group.activist, group=group, data=data)
    assert codes(refused.value) == {"photo"}
    assert message in " ".join(refused.value.messages)
    assert not ReplicaSession.objects.exists()


# --- Verification --------------------------------------------------------------------------------


def test_a_trainer_of_the_site_verifies_and_returns(group, cohort_setup):
    replica = replica_record(
        actor=group.activist, group=group, data=replica_input(cohort_setup["sessions"])
    ).replica
    trainer = cohort_setup["trainer"]
    with pytest.raises(ValidationError):
        replica_return(actor=trainer, replica=replica, reason="  ")
    replica = replica_return(actor=trainer, replica=replica, reason="Faltan los conteos")
    assert (replica.status, replica.return_reason, replica.reviewed_by) == (
        "returned",
        "Faltan los conteos",
        trainer,
    )
    replica = replica_verify(actor=trainer, replica=replica)
    assert replica.status == "verified"
    entries = AuditLogEntry.objects.filter(
        object_id=str(replica.pk), content_type__model="replicasession", action="update"
    )
    assert [e.after["status"] for e in entries.order_by("pk")] == ["returned", "verified"]


def test_staff_of_another_site_and_the_activist_herself_cannot_verify(group, cohort_setup):
    replica = replica_record(
        actor=group.activist, group=group, data=replica_input(cohort_setup["sessions"])
    ).replica
    other = person(Role.TRAINER, cem=CEMFactory(site=site("arequipa")))
    with pytest.raises(ReplicaSession.DoesNotExist):
        replica_verify(actor=other, replica=replica)
    with pytest.raises(ReplicaSession.DoesNotExist):
        replica_verify(actor=group.activist, replica=replica)
    assert ReplicaSession.objects.get(pk=replica.pk).status == "pending"
