"""Forms of the delivery screens: they read the request; the services validate and save."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import AttendanceRecord, Enrollment
from courses.offline.paper import quick_entry_parse
from courses.services.attendance import NOTE_MAX_LENGTH

# A class of 40 is marked in under a minute when everyone starts present and the trainer
# taps only the exceptions.
DEFAULT_STATUS = AttendanceRecord.Status.PRESENT


def person_name(user) -> str:
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class SheetRow:
    """One line of the attendance sheet as it is shown."""

    enrollment: Enrollment
    status: str
    note: str
    recorded: bool  # a record is stored already
    announced: bool  # the activist said ahead of time they would be absent

    @property
    def status_name(self) -> str:
        return f"status-{self.enrollment.pk}"

    @property
    def note_name(self) -> str:
        return f"note-{self.enrollment.pk}"


class AttendanceSheetForm(forms.Form):
    """A status and an optional note for each active enrollment of one session delivery.

    Statuses and note lengths are not checked here: attendance_sheet_save validates the sheet
    whole, so its messages are the ones the trainer reads and nothing is saved on error.

    A sheet typed in from paper says so (`from_paper`) and may list the exceptions by roster
    number ("3A 7L"), which override the radio buttons."""

    all_present = forms.BooleanField(required=False)
    from_paper = forms.BooleanField(
        label=_("These marks come from the printed sign-in sheet"), required=False
    )
    # When the sheet was shown: marks someone else saved after it are not overwritten unseen.
    seen_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    quick = forms.CharField(
        label=_("Exceptions by roster number"),
        help_text=_("For example “3A 7L 12E”: number, then the letter printed on the sheet."),
        required=False,
        max_length=2000,
    )

    def __init__(
        self,
        data=None,
        *,
        enrollments: list[Enrollment],
        records: dict[int, object],
        initial: dict | None = None,
    ):
        super().__init__(data, initial=initial)
        self.enrollments = enrollments
        self.by_number = {e.roster_number: e for e in enrollments if e.roster_number}
        self.records = records  # enrollment id → AttendanceRecord already stored
        for enrollment in enrollments:
            record = records.get(enrollment.pk)
            self.fields[f"status-{enrollment.pk}"] = forms.CharField(
                required=False, initial=record.status if record else DEFAULT_STATUS
            )
            self.fields[f"note-{enrollment.pk}"] = forms.CharField(
                required=False, initial=record.note if record else ""
            )

    def clean_quick(self) -> dict[int, str]:
        """Enrollment id → status from the typed exceptions; every token must make sense."""
        parsed = quick_entry_parse(self.cleaned_data["quick"])
        problems = [
            _("“%(token)s” is not a roster number followed by a letter.") % {"token": token}
            for token in parsed.unknown
        ]
        problems += [
            _("Nobody on this sheet has the number %(number)s.") % {"number": number}
            for number in parsed.marks
            if number not in self.by_number
        ]
        if problems:
            raise forms.ValidationError(problems)
        return {self.by_number[n].pk: status for n, status in parsed.marks.items()}

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("all_present"):
            for enrollment in self.enrollments:
                if not cleaned.get(f"status-{enrollment.pk}"):
                    self.add_error(
                        None,
                        _("Choose a status for %(name)s.")
                        % {"name": person_name(enrollment.activist)},
                    )
        return cleaned

    def marks(self) -> dict[int, str]:
        if self.cleaned_data["all_present"]:
            marks = {enrollment.pk: DEFAULT_STATUS for enrollment in self.enrollments}
        else:
            marks = {e.pk: self.cleaned_data[f"status-{e.pk}"] for e in self.enrollments}
        return marks | self.cleaned_data.get("quick", {})

    def notes(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data[f"note-{e.pk}"] for e in self.enrollments}

    def rows(self) -> list[SheetRow]:
        rows = []
        for enrollment in self.enrollments:
            record = self.records.get(enrollment.pk)
            rows.append(
                SheetRow(
                    enrollment=enrollment,
                    status=self[f"status-{enrollment.pk}"].value() or "",
                    note=self[f"note-{enrollment.pk}"].value() or "",
                    recorded=record is not None,
                    announced=bool(record and record.reported_by_activist),
                )
            )
        return rows


class AbsenceForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


MAX_ROSTER_BYTES = 2 * 1024 * 1024


class RosterUploadForm(forms.Form):
    """A roster CSV upload (a cohort's roster, a validation round's participants)."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Saved from the spreadsheet as CSV (comma or semicolon separated, UTF-8 or Latin-1)."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise ValidationError(
                gettext("The file is too large (at most %(size)s MB).")
                % {"size": MAX_ROSTER_BYTES // (1024 * 1024)}
            )
        return upload
