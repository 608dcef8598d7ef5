"""E-mail over SMTP: render a message in the recipient's language and send it."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from notifications import mail_texts, preferences
from notifications.domain import all_messages, chosen
from services.i18n import gettext
from services.settings import get_settings


def render(kind: str, values: dict, language: str) -> tuple[str, str]:
    subject, body = all_messages()[kind]
    return gettext(language, subject), gettext(language, body, **values)


def compose(mail, language: str) -> tuple[str, str, dict]:
    """Subject, body and extra headers of a mail: a chosen kind to an account carries its unsubscribe
    link (in the footer and as List-Unsubscribe) and the link to all the person's e-mail settings."""
    subject, body = render(mail.kind, mail.values, language)
    if mail.email or mail.user_id.startswith("mailto:") or not chosen(mail.kind):
        return subject, body, {}
    link = preferences.unsubscribe_link(mail.user_id, mail.kind)
    footer = gettext(language, mail_texts.FOOTER, unsubscribe=link, preferences=preferences.preferences_link())
    return subject, f"{body}\n\n-- \n{footer}", {"List-Unsubscribe": f"<{link}>"}


def message(mail_id: str, to: str, subject: str, body: str, headers: dict | None = None) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # Deterministic: a resend after a crash is recognisable as the same message.
    message["Message-ID"] = f"<{mail_id.replace(':', '.')}@civic.local>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def send(mail_id: str, to: str, subject: str, body: str, headers: dict | None = None) -> None:
    settings = get_settings()
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(message(mail_id, to, subject, body, headers))
