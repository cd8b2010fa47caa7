"""One-time codes: printed per cohort for people without e-mail, e-mailed links for the others,
the forgotten-password page; single use, expiry, throttling, audit, and no account enumeration."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from courses.services.roster_import import roster_import
from lms.accounts.codes import account_code_issue, secret_of
from lms.models import AccountCode, AuditLogEntry

NEW_PASSWORD = "Lluvia-en-Lima-2026"
ROSTER = (
    "nombres;apellidos;sexo;anio_nacimiento;cem;correo\r\n"
    "María Elena;Quispe Mamani;F;1990;CEM Villa María;\r\n"
    "Rosa;Huamán;F;1985;CEM Villa María;rosa@example.org\r\n"
).encode()


@pytest.fixture
def imported(cohort_setup, site_coordinator):
    result = roster_import(actor=site_coordinator, cohort=cohort_setup["cohort"], data=ROSTER)
    assert result.ok, result.problems
    maria = User.objects.get(username="maria.quispe")
    rosa = User.objects.get(username="rosa.huaman")
    assert not maria.has_usable_password() and not rosa.has_usable_password()
    return {"cohort": cohort_setup["cohort"], "maria": maria, "rosa": rosa}


def accounts_url(cohort) -> str:
    return reverse("cohorts:accounts", args=[cohort.pk])


def activate(client, username, code, password=NEW_PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("account_activate"),
        {
            "username": username,
            "secret_code": code,
            "new_password1": password,
            "new_password2": password,
        },
        REMOTE_ADDR=address,
    )


def printed_codes(client, coordinator, cohort, people) -> dict[str, str]:
    client.force_login(coordinator)
    page = client.post(accounts_url(cohort), {"people": [p.pk for p in people], "action": "print"})
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    client.logout()
    slips = re.findall(r'<li class="slip">(.*?)</li>', html, re.DOTALL)
    return {
        re.search(r"<code>([\w.]+)</code>", slip).group(1): re.search(
            r'class="slip-code">([\w-]+)<', slip
        ).group(1)
        for slip in slips
    }


def test_a_person_without_email_activates_with_her_printed_code(client, imported, site_coordinator):
    maria = imported["maria"]
    codes = printed_codes(client, site_coordinator, imported["cohort"], [maria])
    code = codes["maria.quispe"]
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    response = activate(client, "maria.quispe", code.lower().replace("-", " "))
    assert response.status_code == 302 and response.url == reverse("home:dashboard")
    maria.refresh_from_db()
    assert maria.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(maria.pk)

    # Single use: the same code again is refused, with the same words as a wrong one.
    again = activate(Client(), "maria.quispe", code, password="Otra-Clave-2026")
    wrong = activate(Client(), "maria.quispe", "AAAA-BBBB-CCCC", password="Otra-Clave-2026")
    for refused in (again, wrong):
        assert refused.status_code == 200
        assert "o el código ya no es válido" in refused.content.decode()
    maria.refresh_from_db()
    assert maria.check_password(NEW_PASSWORD)

    actions = list(
        AuditLogEntry.objects.filter(object_id=str(maria.pk)).values_list("action", flat=True)
    )
    assert {"code", "code_used", "sign_in"} <= set(actions)
    logged = str(list(AuditLogEntry.objects.values_list("after", flat=True)))
    assert code not in logged and code.replace("-", "") not in logged


def test_printed_codes_expire_and_a_new_one_withdraws_the_old(client, imported, site_coordinator):
    maria = imported["maria"]
    first = printed_codes(client, site_coordinator, imported["cohort"], [maria])["maria.quispe"]
    second = printed_codes(client, site_coordinator, imported["cohort"], [maria])["maria.quispe"]
    assert first != second
    assert activate(client, "maria.quispe", first).status_code == 200  # withdrawn
    row = AccountCode.objects.get(withdrawn_at__isnull=True, user=maria)
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)
    AccountCode.objects.filter(pk=row.pk).update(expires_at=timezone.now())
    assert activate(client, "maria.quispe", second).status_code == 200  # expired
    maria.refresh_from_db()
    assert not maria.has_usable_password()


def test_wrong_codes_are_throttled_like_wrong_passwords(client, imported):
    for n in range(5):
        activate(client, "maria.quispe", f"AAAA-BBBB-CCC{n}")
    locked = activate(client, "maria.quispe", "AAAA-BBBB-CCCX")
    assert locked.status_code == 429 and locked["Retry-After"]
    failures = AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.SIGN_IN_FAILED, object_id=str(imported["maria"].pk)
    )
    assert failures.count() == 5 and failures.first().after["with"] == "code"


def test_people_with_email_get_a_link_that_works_once_for_a_day(
    client, imported, site_coordinator, django_capture_on_commit_callbacks
):
    rosa, maria = imported["rosa"], imported["maria"]
    client.force_login(site_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            accounts_url(imported["cohort"]),
            {"people": [rosa.pk, maria.pk], "action": "email"},
            follow=True,
        )
    assert "1 enlace enviado por correo" in page.content.decode()
    assert "1 persona no tiene correo" in page.content.decode()
    [message] = mail.outbox
    assert message.to == ["rosa@example.org"] and "rosa.huaman" in message.body
    link = re.search(r"http://\S+/cuenta/clave/\S+/", message.body).group(0)
    client.logout()

    path = urlsplit(link).path
    opened = client.get(path)
    assert opened.status_code == 302 and opened.url == reverse("account_link_password")
    assert client.get(path).status_code == 302  # opening it twice uses nothing up
    form = client.get(opened.url)
    assert "rosa.huaman" in form.content.decode()
    done = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    rosa.refresh_from_db()
    assert rosa.check_password(NEW_PASSWORD)
    assert Client().get(path).status_code == 404  # used

    row = AccountCode.objects.get(user=rosa)
    assert timedelta(hours=23) < row.expires_at - row.created_at <= timedelta(hours=24)


def test_forgotten_password_says_the_same_to_everybody(
    client, imported, django_capture_on_commit_callbacks
):
    rosa = imported["rosa"]
    rosa.set_password("vieja-clave-123")
    rosa.save()
    answers = []
    for typed in ("rosa.huaman", "ROSA@example.org", "maria.quispe", "nadie-se-llama-asi"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_forgotten"), {"identifier": typed}, follow=True)
        answers.append((response.status_code, response.content.decode().split("<main")[1]))
    assert len(set(answers)) == 1
    assert "pide a tu coordinadora del cem un código nuevo" in answers[0][1].lower()
    assert [m.to for m in mail.outbox] == [["rosa@example.org"], ["rosa@example.org"]]
    assert AccountCode.objects.filter(user=rosa, withdrawn_at__isnull=True).count() == 1
    assert "¿Olvidaste tu contraseña?" in client.get(reverse("login")).content.decode()


@override_settings(ACCOUNT_RESET_REQUESTS_PER_HOUR=3)
def test_forgotten_password_requests_are_limited_per_connection(client, db):
    from django.core.cache import cache

    cache.clear()
    url = reverse("account_forgotten")
    codes = [
        client.post(url, {"identifier": f"x{n}"}, REMOTE_ADDR="10.7.0.1").status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert client.post(url, {"identifier": "x"}, REMOTE_ADDR="10.7.0.2").status_code == 302


def test_the_link_of_a_code_is_derived_and_never_stored(imported):
    issued = account_code_issue(
        user=imported["rosa"], channel=AccountCode.Channel.EMAIL, actor=None, site_id=None
    )
    row = AccountCode.objects.get(pk=issued.account_code.pk)
    assert secret_of(row) == issued.secret
    assert issued.secret not in str(AccountCode.objects.values().get(pk=row.pk))


def test_other_roles_and_sites_cannot_print_codes(client, imported, cohort_setup):
    from lms.roles import Role
    from tests.factories import person, site

    for outsider in (
        person(Role.COORDINATOR, site_=site("arequipa")),
        cohort_setup["trainer"],
        imported["maria"],
    ):
        client.force_login(outsider)
        response = client.post(
            accounts_url(imported["cohort"]), {"people": [imported["maria"].pk], "action": "print"}
        )
        assert response.status_code in (302, 403, 404)
    assert not AccountCode.objects.exists()


def test_a_link_whose_email_never_left_is_sent_by_the_periodic_job(imported):
    from lms.accounts.tasks import send_unsent_account_links

    account_code_issue(
        user=imported["rosa"], channel=AccountCode.Channel.EMAIL, actor=None, site_id=None
    )  # as if the broker had been down: nothing queued
    assert send_unsent_account_links() == 1
    assert send_unsent_account_links() == 0
    [message] = mail.outbox
    assert message.to == ["rosa@example.org"]
