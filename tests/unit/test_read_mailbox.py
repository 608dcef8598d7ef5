"""The tests' mailbox reader (services.local.smtp_server.read_mailbox) parses each delivered message
once per process: tests poll it every 0.1 s, and a session's mailbox holds about a thousand."""
from __future__ import annotations

import mailbox
from email.message import EmailMessage

from services.local import smtp_server


def _deliver(maildir, to: str) -> None:
    message = EmailMessage()
    message["To"], message["Subject"] = to, "Hello"
    message.set_content("A body.")
    mailbox.Maildir(str(maildir), create=True).add(message)


def test_each_message_is_parsed_once_and_filtered_by_recipient(tmp_path, monkeypatch):
    tmp_path = tmp_path / "mail"
    parsed = []
    real = smtp_server.message_from_bytes
    monkeypatch.setattr(smtp_server, "message_from_bytes", lambda raw, **kw: parsed.append(1) or real(raw, **kw))
    for n in range(5):
        _deliver(tmp_path, f"person-{n}@example.org")
    assert len(smtp_server.read_mailbox(tmp_path)) == 5
    _deliver(tmp_path, "Person-1@Example.org")
    assert [m["To"] for m in smtp_server.read_mailbox(tmp_path, to="person-1@example.org")] in (
        ["person-1@example.org", "Person-1@Example.org"], ["Person-1@Example.org", "person-1@example.org"])
    assert len(smtp_server.read_mailbox(tmp_path)) == 6
    assert len(parsed) == 6  # not 5 + 6 + 6
