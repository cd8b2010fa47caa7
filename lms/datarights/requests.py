"""What people ask for about their data (Ley 29733), every step audit-logged.

Access is self-service: :func:`personal_data_export_request` queues the download of everything
held about her (:mod:`lms.datarights.portability`). The other rights are requests, filed by the
person or for her and handled by the coordinators of her site.

A request is *received* with its number and due date (the acknowledgement she sees), goes *in
progress* when a coordinator takes it, and ends *done* or *refused* with a legal ground and an
answer. Opposition takes effect the moment she asks (withdrawing consent needs nobody's
approval) and is recorded as done. A rectification is applied by the coordinator, who may
adjust the value; a corrected name re-issues the certificates that print it. A cancellation
erases her (:mod:`lms.datarights.erasure`).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import access
from lms.audit import audit_record, model_snapshot
from lms.datarights.deadlines import due_date, parse_holidays
from lms.datarights.erasure import person_erase
from lms.datarights.registry import personal_data_parts
from lms.datarights.subject import subject_of
from lms.datarights.tasks import build_personal_data_export
from lms.models import (
    AuditLogEntry,
    DataProtectionSettings,
    DataRightsRequest,
    ParticipantProfile,
    PersonalDataExport,
)

Kind, Status, Field = DataRightsRequest.Kind, DataRightsRequest.Status, DataRightsRequest.Field
PHONE_CHARACTERS = set("0123456789 +()-")
# A second click while a download is being prepared gets the same one.
PENDING_REUSE = dt.timedelta(minutes=10)
_DAYS = {
    Kind.RECTIFICATION: "rectification_days",
    Kind.CANCELLATION: "cancellation_days",
    Kind.OPPOSITION: "opposition_days",
}


def request_due_on(kind: str, *, received: dt.date) -> dt.date:
    """The legal due date of a request of `kind` received on `received` (the settings' days)."""
    settings = DataProtectionSettings.load()
    return due_date(
        received,
        days=getattr(settings, _DAYS[kind]),
        business_days=settings.business_days,
        holidays=parse_holidays(settings.holidays),
    )


def _record(actor, request: DataRightsRequest, before=None, **extra) -> None:
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE if before is not None else AuditLogEntry.Action.CREATE,
        instance=request,
        site=request.site_id,
        before=before,
        after={**model_snapshot(request), **extra},
    )


@transaction.atomic
def data_rights_request_file(
    *,
    actor: AbstractBaseUser,
    person: AbstractBaseUser,
    kind: str,
    field: str = "",
    current_value: str = "",
    requested_value: str = "",
    details: str = "",
) -> DataRightsRequest:
    """File a request for `person` (by herself, or by a coordinator she asked in person). The
    same request sent twice while the first is open returns the first."""
    if kind not in Kind.values:
        raise ValidationError(_("Choose what you are asking for."))
    if kind == Kind.RECTIFICATION:
        if field not in Field.values:
            raise ValidationError({"field": _("Say which data is wrong.")})
        if not requested_value.strip() and not details.strip():
            raise ValidationError({"requested_value": _("Say what it should say.")})
    open_same = DataRightsRequest.objects.select_for_update().filter(
        person=person,
        kind=kind,
        status__in=DataRightsRequest.OPEN_STATUSES,
        field=field if kind == Kind.RECTIFICATION else "",
        requested_value=requested_value.strip(),
    )
    if existing := open_same.first():
        return existing
    now = timezone.now()
    request = DataRightsRequest(
        person=person,
        site_id=access.home_site_id(person),
        kind=kind,
        field=field if kind == Kind.RECTIFICATION else "",
        current_value=current_value.strip(),
        requested_value=requested_value.strip(),
        details=details.strip(),
        filed_by=actor,
        received_at=now,
        due_on=request_due_on(kind, received=timezone.localdate(now)),
    )
    request.full_clean(exclude=["number"])
    request.save()
    request.number = f"ARCO-{timezone.localdate(now).year}-{request.pk:05d}"
    request.save(update_fields=["number"])
    _record(actor, request)
    if kind == Kind.OPPOSITION:
        data_rights_opposition_apply(actor=actor, request=request)
        request.refresh_from_db()
    return request


@transaction.atomic
def personal_data_export_request(
    *, actor: AbstractBaseUser, person: AbstractBaseUser, language: str
) -> PersonalDataExport:
    """Ask for a download of her data; the task builds it once the request is committed."""
    now = timezone.now()
    pending = PersonalDataExport.objects.filter(
        person=person,
        status=PersonalDataExport.Status.PENDING,
        requested_at__gte=now - PENDING_REUSE,
    ).first()
    if pending is not None:
        return pending
    export = PersonalDataExport.objects.create(person=person, language=language, requested_at=now)
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.CREATE,
        instance=export,
        site=access.home_site_id(person),
        after={"status": export.status, "language": language},
    )
    build_personal_data_export.enqueue_after_commit(export.pk)
    return export


def _lock_open(request: DataRightsRequest) -> DataRightsRequest:
    request = DataRightsRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("This request has already been answered."))
    return request


@transaction.atomic
def data_rights_request_start(
    *, actor: AbstractBaseUser, request: DataRightsRequest
) -> DataRightsRequest:
    """A coordinator takes the request: in progress. Idempotent."""
    request = _lock_open(request)
    if request.status == Status.IN_PROGRESS:
        return request
    before = model_snapshot(request)
    request.status, request.started_at, request.handled_by = (
        Status.IN_PROGRESS,
        timezone.now(),
        actor,
    )
    request.save(update_fields=["status", "started_at", "handled_by"])
    _record(actor, request, before)
    return request


def _finish(actor, request, *, status: str, response: str, ground: str = "", **extra) -> None:
    before = model_snapshot(request)
    request.status, request.response, request.refusal_ground = status, response.strip(), ground
    request.decided_at, request.handled_by = timezone.now(), actor or request.handled_by
    request.started_at = request.started_at or request.decided_at
    request.full_clean(exclude=["number"])
    request.save()
    _record(actor, request, before, **extra)


@transaction.atomic
def data_rights_request_refuse(
    *, actor: AbstractBaseUser, request: DataRightsRequest, ground: str, response: str
) -> DataRightsRequest:
    """Refuse, stating the legal ground and explaining it to her."""
    request = _lock_open(request)
    if ground not in DataRightsRequest.RefusalGround.values:
        raise ValidationError({"refusal_ground": _("Choose the legal ground of the refusal.")})
    if not response.strip():
        raise ValidationError({"response": _("Explain the refusal to the person.")})
    _finish(actor, request, status=Status.REFUSED, response=response, ground=ground)
    return request


def _clean_value(field: str, value: str) -> object:
    value = value.strip()
    if field in (Field.FIRST_NAME, Field.LAST_NAME):
        if not value or len(value) > 150:
            raise ValidationError(
                {"value": _("Write the name as it should be (150 letters at most).")}
            )
        return " ".join(value.split())
    if field == Field.EMAIL:
        EmailValidator(message=_("Enter a valid e-mail address."))(value)
        return value
    if field == Field.PHONE:
        if value and (set(value) - PHONE_CHARACTERS or not 6 <= len(value) <= 20):
            raise ValidationError(
                {"value": _("“%(value)s” is not a phone number.") % {"value": value}}
            )
        return value
    if field == Field.BIRTH_YEAR:
        try:
            year = int(value)
        except ValueError:
            year = 0
        if not 1920 <= year <= timezone.localdate().year - 15:
            raise ValidationError({"value": _("Write a four-digit birth year.")})
        return year
    if field == Field.SEX:
        sexes = {code.lower(): code for code in ParticipantProfile.Sex.values}
        sexes |= {str(label).lower(): code for code, label in ParticipantProfile.Sex.choices}
        if value.lower() not in sexes:
            raise ValidationError({"value": _("Choose F, M or X.")})
        return sexes[value.lower()]
    raise ValidationError(
        {"value": _("This data is corrected by hand: close the request instead.")}
    )


@transaction.atomic
def data_rights_rectification_apply(
    *, actor: AbstractBaseUser, request: DataRightsRequest, value: str, response: str = ""
) -> DataRightsRequest:
    """Correct the field the rectification names with `value` (what she asked for, or the
    coordinator's adjustment of it); then every part that prints the field follows (a name on
    a valid certificate: re-issued). Done, audit-logged with the field and the counts."""
    request = _lock_open(request)
    if request.kind != Kind.RECTIFICATION:
        raise ValidationError(_("This is not a rectification."))
    field, clean = request.field, _clean_value(request.field, value)
    person = request.person
    profile = ParticipantProfile.objects.filter(user=person).first()
    target = person if field in (Field.FIRST_NAME, Field.LAST_NAME, Field.EMAIL) else profile
    if target is None:
        raise ValidationError(_("This person has no participant profile to correct."))
    before = model_snapshot(target)
    setattr(target, field, clean)
    target.full_clean()
    target.save()
    audit_record(
        actor=actor,
        action=AuditLogEntry.Action.UPDATE,
        instance=target,
        site=request.site_id,
        before=before,
        after=model_snapshot(target),
    )
    subject = subject_of(person)
    reason = _("Rectification %(number)s") % {"number": request.number}
    counts = {}
    for part in personal_data_parts():
        if follow := part.rectified.get(field):
            counts[part.key] = follow(subject, actor, reason)
    answer = response.strip() or _("Your data was corrected as you asked.")
    _finish(actor, request, status=Status.DONE, response=answer, applied=counts)
    return request


@transaction.atomic
def data_rights_request_close(
    *, actor: AbstractBaseUser, request: DataRightsRequest, response: str
) -> DataRightsRequest:
    """Done by hand (a rectification of something else than the fields the platform corrects),
    with the answer that says what was done."""
    request = _lock_open(request)
    if not response.strip():
        raise ValidationError({"response": _("Say what was done.")})
    _finish(actor, request, status=Status.DONE, response=response)
    return request


@transaction.atomic
def data_rights_opposition_apply(
    *, actor: AbstractBaseUser | None, request: DataRightsRequest
) -> DataRightsRequest:
    """Stop every research use of her data from now on (each part's ``opposed``). Done."""
    request = _lock_open(request)
    subject = subject_of(request.person)
    counts = {
        part.key: part.opposed(subject, actor) for part in personal_data_parts() if part.opposed
    }
    answer = _("From now on your questionnaire answers are left out of every analysis and export.")
    _finish(actor, request, status=Status.DONE, response=answer, applied=counts)
    return request


@transaction.atomic
def data_rights_cancellation_carry_out(
    *, actor: AbstractBaseUser, request: DataRightsRequest
) -> DataRightsRequest:
    """Erase her (see :mod:`lms.datarights.erasure`) and close the request."""
    request = _lock_open(request)
    if request.kind != Kind.CANCELLATION:
        raise ValidationError(_("This is not a cancellation."))
    person_erase(actor=actor, person=request.person, request=request)
    request.refresh_from_db()
    answer = _(
        "Your data was erased. Your certificates stay valid with your name withheld; the "
        "records the organisation must keep no longer say who you were."
    )
    _finish(actor, request, status=Status.DONE, response=answer)
    return request
