"""Forms of the cascade's screens: they read what was typed; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.cascade.bands import BANDS, CELLS, MAX_PARTICIPANTS, SEXES
from courses.cascade.photos import MAX_PHOTO_BYTES
from courses.cascade.protocol import MAX_NOTES, MAX_PLACE, ReplicaInput
from courses.cascade.selectors import (
    co_facilitator_choices,
    course_sessions,
    district_choices,
    reporting_courses,
)
from courses.models import CommunityGroup
from lms.access import home_site_id
from lms.models import CEM

SEX_LABELS = {"F": _("Women"), "M": _("Men"), "X": _("Other or not said")}
BAND_LABELS = {"u18": _("Under 18"), "18_29": _("18–29"), "30_49": _("30–49"), "50p": _("50+")}


def _person(user) -> str:
    return user.get_full_name() or user.username


class CommunityGroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind of group"), choices=CommunityGroup.Kind.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=None)
    cem = forms.ModelChoiceField(label=_("CEM"), queryset=None)
    course = forms.ModelChoiceField(label=_("Course whose sessions you will use"), queryset=None)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    co_facilitators = forms.ModelMultipleChoiceField(
        label=_("Co-facilitators (other activists)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    members_consented = forms.BooleanField(
        label=_("The members agreed to be listed by name in the attendance"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = district_choices(user)
        self.fields["cem"].queryset = CEM.objects.filter(site_id=home_site_id(user))
        self.fields["course"].queryset = reporting_courses(user)
        people = co_facilitator_choices(user)
        self.fields["co_facilitators"].queryset = people
        self.fields["co_facilitators"].label_from_instance = _person
        self.fields["district"].label_from_instance = lambda d: f"{d.name} · {d.province}"


class ReplicaForm(forms.Form):
    """A replica session of one group. The UUID is made when the form is first shown, so that
    sending the same page twice (a double tap, a reload) saves it once."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1000, initial=90
    )
    place = forms.CharField(label=_("Place"), max_length=MAX_PLACE)
    sessions = forms.MultipleChoiceField(
        label=_("Curriculum sessions used"), widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.CharField(
        label=_("Names of the participants (one per line, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=_("Evidence photo (optional: JPEG, PNG or WebP, up to 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=MAX_NOTES, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, group: CommunityGroup, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.group = group
        self.course_sessions = course_sessions([group.course_id])[group.course_id]
        self.fields["sessions"].choices = [
            (str(s.pk), _("Session %(number)s: %(title)s") % {"number": s.number, "title": s.title})
            for s in self.course_sessions
        ]
        if not group.members_consented:
            del self.fields["attendees"]
        for cell in CELLS:
            for name in (cell.field, cell.first_field):
                self.fields[name] = forms.IntegerField(
                    label=f"{SEX_LABELS[cell.sex]}, {BAND_LABELS[cell.band]}",
                    min_value=0,
                    max_value=MAX_PARTICIPANTS,
                    initial=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB: send a smaller one."))
        return photo

    def grid(self, first: bool = False) -> list[dict]:
        """Rows of the counts table: one per age band, one bound field per sex."""
        rows = []
        for band, *_rest in BANDS:
            cells = [c for c in CELLS if c.band == band]
            rows.append(
                {
                    "label": BAND_LABELS[band],
                    "fields": [self[c.first_field if first else c.field] for c in cells],
                }
            )
        return rows

    @property
    def grid_all(self) -> list[dict]:
        return self.grid()

    @property
    def grid_first(self) -> list[dict]:
        return self.grid(first=True)

    def sex_labels(self) -> list[str]:
        return [SEX_LABELS[code] for code, _prefix in SEXES]

    def replica_input(self) -> ReplicaInput:
        data = self.cleaned_data
        photo = data.get("photo")
        counts = {}
        for cell in CELLS:
            for name in (cell.field, cell.first_field):
                counts[name] = data.get(name) or 0
        return ReplicaInput(
            uuid=data["uuid"],
            held_on=data["held_on"],
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            session_ids=tuple(int(pk) for pk in data["sessions"]),
            counts=counts,
            attendees=tuple(
                line.strip() for line in data.get("attendees", "").splitlines() if line.strip()
            ),
            notes=data.get("notes", ""),
            photo=photo.read() if photo else None,
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the activist correct?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
