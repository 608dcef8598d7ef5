"""E-mail over SMTP: render a message in the recipient's language and send it."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from notifications.domain import all_messages
from services.i18n import gettext
from services.settings import get_settings


def render(kind: str, values: dict, language: str) -> tuple[str, str]:
    subject, body = all_messages()[kind]
    return gettext(language, subject), gettext(language, body, **values)


def send(mail_id: str, to: str, subject: str, body: str) -> None:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # Deterministic: a resend after a crash is recognisable as the same message.
    message["Message-ID"] = f"<{mail_id.replace(':', '.')}@civic.local>"
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)
