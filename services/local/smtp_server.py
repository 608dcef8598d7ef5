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


def read_mailbox(maildir: str | Path, to: str | None = None) -> list[EmailMessage]:
    """Messages delivered so far (optionally only those addressed to `to`)."""
    box = mailbox.Maildir(str(maildir), create=True)
    messages = [message_from_bytes(box.get_bytes(key), policy=policy.default) for key in box.keys()]
    if to:
        messages = [m for m in messages if to.lower() in (m.get("To") or "").lower()]
    return messages


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
