"""The e-mail that carries an account link (the lower layer the e-mail task calls)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.codes import secret_of
from lms.models import AccountCode


def account_link_send(*, code_id: int) -> bool:
    """E-mail the link of one code, once; False if it is no longer usable or already sent."""
    row = AccountCode.objects.select_related("user").filter(pk=code_id).first()
    if row is None or row.sent_at is not None or not row.is_usable or not row.user.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.BASE_URL + reverse("account_link", args=[secret_of(row)])
        subject = _("Set your password · CEM training")
        body = _(
            "Hello %(name)s,\n\nTo set the password of your account (user name: %(username)s), "
            "open this link before %(expires)s:\n\n%(link)s\n\nIt works once. If you did not ask "
            "for it, ignore this message: your password does not change.\n"
        ) % {
            "name": row.user.get_full_name() or row.user.get_username(),
            "username": row.user.get_username(),
            "expires": timezone.localtime(row.expires_at).strftime("%d/%m/%Y %H:%M"),
            "link": link,
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [row.user.email])
    row.sent_at = timezone.now()
    row.save(update_fields=["sent_at"])
    return True


def unsent_links():
    """E-mailed links whose e-mail never left (the broker was down): the periodic job sends them."""
    return AccountCode.objects.filter(
        channel=AccountCode.Channel.EMAIL,
        sent_at__isnull=True,
        used_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
