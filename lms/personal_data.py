"""What the platform's core holds about a person (account, profile, her data-rights requests and
downloads, the admin's history and the audit log) and how each is erased. See
:mod:`lms.datarights.registry`."""

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from lms.audit import audit_changes, audit_entries_expire, entries_about
from lms.codes import participant_code_generate
from lms.datarights.portability import personal_data_exports_expire
from lms.datarights.registry import Erasure, PersonalData, objects_about, register
from lms.datarights.retention import RetentionRule, months_before, register_retention
from lms.datarights.subject import Subject
from lms.models import (
    AuditLogEntry,
    DataRightsRequest,
    ParticipantProfile,
    PersonalDataExport,
    ResearchIdentity,
)
from lms.roles import user_roles

# --- Account and profile -----------------------------------------------------------------------


def _account(subject: Subject) -> list[dict]:
    user, profile = subject.user, subject.profile
    record = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": sorted(user_roles(user)),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
    }
    if profile is not None:
        record |= {
            "participant_code": profile.participant_code,
            "sex": profile.get_sex_display(),
            "birth_year": profile.birth_year,
            "generation": profile.get_generation_display(),
            "site": str(profile.site or ""),
            "cem": str(profile.cem or ""),
            "phone": profile.phone,
        }
    return [record]


def _account_objects(subject: Subject):
    refs = [(User, [subject.user.pk])]
    if subject.profile is not None:
        refs.append((ParticipantProfile, [subject.profile.pk]))
    return refs


def _account_erase(erasure: Erasure) -> dict[str, int]:
    """The account keeps its id (enrollments, attendance and certificates point at it) under
    the pseudonym, with no name, address or password; the profile keeps sex, generation band,
    site and CEM (a cohort's records count by them) and gets a new roster code, unlinkable
    to printed rosters."""
    user = erasure.subject.user
    User.objects.filter(pk=user.pk).update(
        username=erasure.pseudonym, first_name="", last_name="", email="", is_active=False
    )
    user.refresh_from_db()
    user.set_unusable_password()  # and every session she had stops working
    user.save(update_fields=["password"])
    profiles = ParticipantProfile.objects.filter(user=user)
    # update(): save() would derive the generation band again from the erased birth year.
    changed = profiles.update(phone="", birth_year=None, participant_code=_new_code())
    # Her answers are gone (assessments.answers); without the row no code leads back to her.
    dissociated, _per_model = ResearchIdentity.objects.filter(profile__user=user).delete()
    avatars = 0
    for profile in UserProfile.objects.filter(user=user).exclude(avatar=""):
        profile.avatar.delete(save=True)
        avatars += 1
    return {
        "accounts": 1,
        "profiles": changed,
        "research_identities": dissociated,
        "avatars": avatars,
    }


def _former_names(subject: Subject) -> list[str]:
    """Her names before each correction, from the audit entries of her account."""
    names = []
    for before in AuditLogEntry.objects.filter(
        content_type__app_label="auth", content_type__model="user", object_id=str(subject.user.pk)
    ).values_list("before", flat=True):
        if before:
            first = before.get("first_name", subject.given_names)
            last = before.get("last_name", subject.surnames)
            names += [f"{first} {last}", first, last]
    return [name for name in names if name and len(name.split()) > 1]


def _new_code() -> str:
    while True:
        code = participant_code_generate()
        if not ParticipantProfile.objects.filter(participant_code=code).exists():
            return code


register(
    PersonalData(
        key="lms.account",
        title=_("Account and profile"),
        order=100,
        fields={
            "username": _("User name"),
            "first_name": _("Given names"),
            "last_name": _("Surnames"),
            "email": _("E-mail address"),
            "roles": _("Roles"),
            "date_joined": _("Account created"),
            "last_login": _("Last sign-in"),
            "is_active": _("Active account"),
            "participant_code": _("Participant code (printed on rosters and certificates)"),
            "sex": _("Sex"),
            "birth_year": _("Birth year"),
            "generation": _("Generation"),
            "site": _("Site"),
            "cem": _("CEM"),
            "phone": _("Phone"),
        },
        collect=_account,
        objects=_account_objects,
        erase=_account_erase,
        names=_former_names,
    )
)

# --- Her data-rights requests and downloads ----------------------------------------------------


def _requests(subject: Subject) -> list[dict]:
    return [
        {
            "number": r.number,
            "kind": r.get_kind_display(),
            "status": r.get_status_display(),
            "received_at": r.received_at,
            "due_on": r.due_on,
            "field": r.get_field_display(),
            "current_value": r.current_value,
            "requested_value": r.requested_value,
            "details": r.details,
            "decided_at": r.decided_at,
            "refusal_ground": r.get_refusal_ground_display(),
            "response": r.response,
        }
        for r in DataRightsRequest.objects.filter(person=subject.user).order_by("received_at")
    ]


def _request_objects(subject: Subject):
    return [
        (
            DataRightsRequest,
            DataRightsRequest.objects.filter(person=subject.user).values_list("pk", flat=True),
        ),
        (
            PersonalDataExport,
            PersonalDataExport.objects.filter(person=subject.user).values_list("pk", flat=True),
        ),
    ]


def _requests_erase(erasure: Erasure) -> dict[str, int]:
    """Requests stay (their numbers, dates and outcome are the organisation's record of having
    answered); what she wrote in them goes. Her downloads are deleted with their files."""
    texts = DataRightsRequest.objects.filter(person=erasure.subject.user).update(
        current_value="", requested_value="", details=""
    )
    answered = 0
    for request in DataRightsRequest.objects.filter(person=erasure.subject.user).exclude(
        response=""
    ):
        request.response = erasure.subject.scrub(request.response)
        request.save(update_fields=["response"])
        answered += 1
    downloads = 0
    for export in PersonalDataExport.objects.filter(person=erasure.subject.user):
        for file in (export.json_file, export.pdf_file):
            if file:
                file.delete(save=False)
        export.delete()
        downloads += 1
    return {"requests": texts, "answers_scrubbed": answered, "downloads_deleted": downloads}


register(
    PersonalData(
        key="lms.data_rights",
        title=_("Your data-rights requests"),
        order=900,
        fields={
            "number": _("Number"),
            "kind": _("Kind"),
            "status": _("Status"),
            "received_at": _("Received"),
            "due_on": _("Answer due by"),
            "field": _("Data to correct"),
            "current_value": _("What is wrong"),
            "requested_value": _("What it should say"),
            "details": _("Details"),
            "decided_at": _("Decided"),
            "refusal_ground": _("Legal ground of the refusal"),
            "response": _("Answer"),
        },
        collect=_requests,
        objects=_request_objects,
        erase=_requests_erase,
    )
)

# --- The admin's own history (Wagtail) ---------------------------------------------------------


def _admin_history_erase(erasure: Erasure) -> dict[str, int]:
    """Wagtail keeps a line per admin change, labelled with the object's name (an enrollment is
    labelled with the person's): those about her keep the action and lose the label."""
    entries = ModelLogEntry.objects.filter(entries_about(erasure.about))
    return {"admin_history": entries.update(label=erasure.pseudonym, data={})}


register(
    PersonalData(
        key="lms.admin_history",
        title=_("Changes made in the administration"),
        order=990,
        fields={},
        collect=lambda subject: [],
        erase=_admin_history_erase,
    )
)

# --- The audit log -----------------------------------------------------------------------------


def _audit(subject: Subject) -> list[dict]:
    condition = Q(actor=subject.user) | entries_about(objects_about(subject))
    entries = AuditLogEntry.objects.filter(condition).select_related("actor", "content_type")
    return [
        {
            "created_at": entry.created_at,
            "actor": _actor(entry, subject),
            "action": entry.get_action_display(),
            "object": f"{entry.content_type.name}: {entry.object_repr}",
            "changes": {
                name: f"{before} → {after}"
                for name, (before, after) in audit_changes(entry.before, entry.after).items()
            },
        }
        for entry in entries.order_by("created_at", "pk")
    ]


def _actor(entry: AuditLogEntry, subject: Subject) -> str:
    if entry.actor_id is None:
        return str(_("the platform"))
    if entry.actor_id == subject.user.pk:
        return str(_("you"))
    return entry.actor.get_full_name() or entry.actor.username


register(
    PersonalData(
        key="lms.audit",
        title=_("Audit log entries about you"),
        order=1000,
        fields={
            "created_at": _("Time"),
            "actor": _("Who"),
            "action": _("Action"),
            "object": _("Object"),
            "changes": _("Changes"),
        },
        collect=_audit,
        note=_(
            "Every change to your enrollments, attendance, consents, certificates and requests, "
            "as the platform's append-only audit log records it."
        ),
    )
)


# --- Retention -------------------------------------------------------------------------------


def _downloads_retention(settings, now, dry_run: bool) -> int:
    return personal_data_exports_expire(now=now, dry_run=dry_run)


def _audit_retention(settings, now, dry_run: bool) -> int | None:
    if not settings.audit_retention_months:
        return None
    before = months_before(now, settings.audit_retention_months)
    if dry_run:
        return AuditLogEntry.objects.filter(created_at__lt=before).count()
    return audit_entries_expire(before=before)


register_retention(
    RetentionRule(
        key="lms.downloads",
        label=_("Personal data downloads"),
        order=300,
        apply=_downloads_retention,
    )
)
register_retention(
    RetentionRule(
        key="lms.audit",
        label=_("Audit log entries"),
        order=1000,
        apply=_audit_retention,
    )
)


# Signing in keeps its own part beside its code: the registry discovers ``lms.personal_data``.
from lms.accounts import personal_data as _accounts  # noqa: E402, F401
