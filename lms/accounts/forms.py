"""The forms of sign-in, activation and a forgotten password."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """The site's sign-in, with the choice that keeps a shared phone from remembering anyone."""

    shared_device = forms.BooleanField(
        label=_("This is not my phone (a shared or borrowed device)"),
        help_text=_("You will be signed out sooner and this device will not remember you."),
        required=False,
    )


class NewPasswordFields(forms.Form):
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def check_password(self, user) -> None:
        """Both fields equal and acceptable to the validators (for `user`, when known)."""
        first, second = (
            self.cleaned_data.get("new_password1"),
            self.cleaned_data.get("new_password2"),
        )
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords are not the same."))
            return
        if first:
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)


class ActivationForm(NewPasswordFields):
    """A printed code: the user name and the code on the slip, and a password of one's own."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    secret_code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    field_order = ["username", "secret_code", "new_password1", "new_password2"]

    def clean(self):
        cleaned = super().clean()
        self.check_password(None)
        return cleaned


class LinkPasswordForm(NewPasswordFields):
    """An e-mailed link: the link says who; only the new password is asked."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self.check_password(self.user)
        return cleaned


class ForgottenPasswordForm(forms.Form):
    identifier = forms.CharField(
        label=_("Your user name or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
