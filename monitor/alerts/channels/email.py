"""Email over SMTP. EmailMessage encodes Arabic subjects (RFC 2047) and bodies (UTF-8)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from monitor.alerts.channels.base import DeliveryError, Message


class EmailChannel:
    reads_text = True  # the subject and text are what it sends

    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        security: str,
        username: str | None,
        password: str | None,
        sender: str,
        to: tuple[str, ...],
        timeout: float,
    ) -> None:
        self.name = name
        self.host, self.port, self.security = host, port, security
        self.username, self.password = username, password
        self.sender, self.to, self.timeout = sender, to, timeout

    def send(self, message: Message) -> None:
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.to)
        # The same alert keeps the same Message-ID across retries: mail clients thread
        # or drop the copy a retry after a lost "250 OK" may produce.
        mail["Message-ID"] = make_msgid(idstring=message.key, domain="monitor.local")
        mail["X-Monitor-Key"] = message.key
        mail.set_content(message.text, charset="utf-8")
        try:
            if self.security == "tls":
                context = ssl.create_default_context()
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.username and self.password:
                    client.login(self.username, self.password)
                client.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login refused: {exc.smtp_code}", permanent=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
