"""Public account pages: sign in, the refusal that says when to try again, activation with a
printed code, a new password from an e-mailed link, and the forgotten-password request.

No page says whether an account exists: a wrong user name and a wrong code get the same
answer, and the forgotten-password page gives the same answer to everybody."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, password_validation
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe

from lms import access
from lms.accounts.codes import account_code_redeem, usable_code
from lms.accounts.forms import ActivationForm, ForgottenPasswordForm, LinkPasswordForm, SignInForm
from lms.accounts.reset import reset_request
from lms.accounts.throttle import RefusalKind, refusal_of
from lms.models import AccountCode

LINK_SESSION_KEY = "account_link_code"
CODE_BACKEND = "lms.accounts.codes.AccountCodeBackend"


class SignInView(auth_views.LoginView):
    template_name = "account/login.html"
    form_class = SignInForm

    def form_valid(self, form):
        # Read by the session policy and the trusted-device cookie when the person signs in.
        self.request.shared_device = form.cleaned_data.get("shared_device", False)
        return super().form_valid(form)


def signin_refused(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The answer to a sign-in the throttle did not even try (django-axes' lockout callable):
    429, Retry-After, and a page saying when to try again and what else to do."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    refusal = refusal_of(request, username)
    response = TemplateResponse(
        request,
        "account/signin_refused.html",
        {
            "cooldown": refusal.kind == RefusalKind.COOLDOWN,
            "until": timezone.localtime(refusal.until),
            "minutes": max(1, round(refusal.retry_after / 60)),
            "seconds": refusal.retry_after,
            "admin": request.path.startswith("/admin/"),
        },
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response.render()


def _sign_in(request: HttpRequest, user) -> None:
    request.shared_device = True  # a code is often typed on someone else's phone
    login(request, user, backend=CODE_BACKEND)


@never_cache
@csrf_protect
@sensitive_post_parameters("secret_code", "new_password1", "new_password2")
def activate(request: HttpRequest) -> HttpResponse:
    """Activate an account (or set a new password) with a printed code."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = authenticate(request, username=data["username"], secret_code=data["secret_code"])
        if user is None:
            form.add_error(
                None,
                _(
                    "The user name or the code is not right, or the code is no longer valid. "
                    "Check the slip, or ask your coordinator for a new code."
                ),
            )
        else:
            try:
                password_validation.validate_password(data["new_password1"], user)
            except ValidationError as error:
                form.add_error("new_password1", error)
            else:
                if account_code_redeem(
                    user=user,
                    code=data["secret_code"],
                    password=data["new_password1"],
                    site_id=access.home_site_id(user),
                ):
                    _sign_in(request, user)
                    messages.success(request, _("Your password is set. Welcome!"))
                    return redirect(settings.LOGIN_REDIRECT_URL)
                form.add_error(None, _("This code has just been used. Ask for a new one."))
    return TemplateResponse(request, "account/activate.html", {"form": form})


@never_cache
def link(request: HttpRequest, token: str) -> HttpResponse:
    """An e-mailed link: keep its code in the session and continue at an address without it,
    so that it never reaches another site in a Referer. Following it uses nothing up (mail
    scanners open links too)."""
    row = usable_code(token)
    if row is None or row.channel != AccountCode.Channel.EMAIL:
        return TemplateResponse(request, "account/link_invalid.html", {}, status=404)
    request.session[LINK_SESSION_KEY] = token
    return redirect("account_link_password")


@never_cache
@csrf_protect
@sensitive_post_parameters("new_password1", "new_password2")
def link_password(request: HttpRequest) -> HttpResponse:
    token = request.session.get(LINK_SESSION_KEY, "")
    row = usable_code(token) if token else None
    if row is None:
        return TemplateResponse(request, "account/link_invalid.html", {}, status=404)
    user = row.user
    form = LinkPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        checked = authenticate(request, username=user.get_username(), secret_code=token)
        password = form.cleaned_data["new_password1"]
        if checked is not None and account_code_redeem(
            user=user, code=token, password=password, site_id=access.home_site_id(user)
        ):
            request.session.pop(LINK_SESSION_KEY, None)
            _sign_in(request, user)
            messages.success(request, _("Your password is set. Welcome!"))
            return redirect(settings.LOGIN_REDIRECT_URL)
        return TemplateResponse(request, "account/link_invalid.html", {}, status=404)
    return TemplateResponse(
        request, "account/link_password.html", {"form": form, "username": user.get_username()}
    )


@never_cache
@csrf_protect
def forgotten(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the account exists or has an e-mail address."""
    form = ForgottenPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = reset_request(request, identifier=form.cleaned_data["identifier"])
        if limited is not None:
            response = TemplateResponse(
                request,
                "account/forgotten.html",
                {"form": form, "limited": True, "minutes": max(1, round(limited / 60))},
                status=429,
            )
            response["Retry-After"] = str(limited)
            return response
        return redirect("account_forgotten_sent")
    return TemplateResponse(request, "account/forgotten.html", {"form": form})


@require_safe
def forgotten_sent(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "account/forgotten_sent.html", {"hours": settings.ACCOUNT_EMAILED_LINK_HOURS}
    )
