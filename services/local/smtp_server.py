"""A real SMTP server on loopback that keeps every message it receives in a Maildir.

Run: python -m services.local.smtp_server --port 8025 --maildir var/mail
"""
from __future__ import annotations

import argparse
import mailbox
import signal
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


_read: dict[tuple[str, str], tuple[EmailMessage, str]] = {}  # (maildir, key) -> (message, its To in lower case)


def read_mailbox(maildir: str | Path, to: str | None = None) -> list[EmailMessage]:
    """Messages delivered so far (optionally only those addressed to `to`).

    Each message is parsed once per process (a delivered message never changes): tests poll this
    every 0.1 s, and parsing a session's thousand messages again each time took 1.5-2.7 s, a core
    kept busy by every test that waits for a mail."""
    box = mailbox.Maildir(str(maildir), create=True)
    found = []
    for key in box.keys():
        entry = _read.get((str(maildir), key))
        if entry is None:
            message = message_from_bytes(box.get_bytes(key), policy=policy.default)
            entry = _read[(str(maildir), key)] = (message, (message.get("To") or "").lower())
        if not to or to.lower() in entry[1]:
            found.append(entry[0])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--maildir", default="var/mail")
    args = parser.parse_args()
    for sub in ("tmp", "new", "cur"):  # a Maildir, even if the folder already existed
        Path(args.maildir, sub).mkdir(parents=True, exist_ok=True)
    controller = Controller(Mailbox(args.maildir), hostname=args.host, port=args.port)
    controller.start()
    print(f"SMTP server on {args.host}:{args.port}, mail kept in {args.maildir}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
