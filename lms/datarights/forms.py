"""Forms of the data-rights pages: what a person asks for, and what a coordinator answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import DataRightsRequest


class RectificationForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Which data is wrong?"), choices=DataRightsRequest.Field.choices
    )
    current_value = forms.CharField(
        label=_("What is wrong"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    requested_value = forms.CharField(
        label=_("What it should say"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    details = forms.CharField(
        label=_("Anything else we should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(forms.Form):
    """Cancellation and opposition: she confirms what she asks for, and may say more."""

    confirm = forms.BooleanField(label=_("Yes, I ask for this."))
    details = forms.CharField(
        label=_("Anything else we should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApplyRectificationForm(forms.Form):
    value = forms.CharField(label=_("Corrected value"), max_length=500)
    response = forms.CharField(
        label=_("Answer to the person (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    response = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Legal ground"), choices=DataRightsRequest.RefusalGround.choices
    )
    response = forms.CharField(
        label=_("Explanation to the person"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have checked who is asking. Erase this person's name, contact data and notes "
            "everywhere; this cannot be undone."
        )
    )


class OnBehalfForm(forms.Form):
    """A request received in person or by phone, recorded by a coordinator of her site."""

    username = forms.CharField(label=_("Her user name"), max_length=150)
    kind = forms.ChoiceField(label=_("She asks for"), choices=DataRightsRequest.Kind.choices)
    field = forms.ChoiceField(
        label=_("Data to correct (rectification)"),
        required=False,
        choices=[("", "—"), *DataRightsRequest.Field.choices],
    )
    requested_value = forms.CharField(
        label=_("What it should say (rectification)"), required=False, max_length=500
    )
    details = forms.CharField(
        label=_("What she said"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
