"""The channels a notification leaves by: e-mail over SMTP, SMS through an HTTP gateway, a WeChat hook.

Each channel is configured by an administrator (settings) or absent; a channel that is absent is never used, and
what would have gone through it is recorded as not sent (no channel configured).
"""

from __future__ import annotations

import base64
import json
import smtplib
import ssl
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from minyi.notifications.content import render, sms_params
from minyi.settings import get_settings

TIMEOUT = 10.0


class SendFailed(Exception):
    """The channel could not deliver this time (the sender tries again later)."""


class Channel(Protocol):
    def send(self, address: str, template: str, params: dict[str, Any], language: str) -> None: ...


@dataclass(frozen=True)
class Email:
    """SMTP: smtp://user:password@host:port[?starttls=1], or smtps:// for TLS from the start."""

    url: str
    sender: str

    def send(self, address: str, template: str, params: dict[str, Any], language: str) -> None:
        subject, body = render(template, params, language)
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, address, subject
        msg["Message-ID"] = make_msgid(domain="minyi")
        msg.set_content(body)
        parts = urlsplit(self.url)
        host, port = parts.hostname or "localhost", parts.port
        try:
            if parts.scheme == "smtps":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port or 465, timeout=TIMEOUT,
                                                      context=ssl.create_default_context())  # fmt: skip
            else:
                smtp = smtplib.SMTP(host, port or 25, timeout=TIMEOUT)
            with smtp:
                if parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes"):
                    smtp.starttls(context=ssl.create_default_context())
                if parts.username:
                    smtp.login(unquote(parts.username), unquote(parts.password or ""))
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"smtp: {type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True)
class HttpGateway:
    """An HTTP gateway (SMS operator, WeChat template messages): POST {to, template_id, params} as JSON.

    The template ids are those the operator registered (Chinese SMS rules require registered templates);
    credentials, if any, are the URL's user and password, sent as HTTP basic authentication.
    """

    name: str
    url: str
    template_ids: dict[str, str]

    def send(self, address: str, template: str, params: dict[str, Any], language: str) -> None:
        parts = urlsplit(self.url)
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        body = {"to": address, "template": template, "template_id": self.template_ids.get(template, template),
                "params": sms_params(template, params), "language": language}  # fmt: skip
        req = urllib.request.Request(
            urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")),
            data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )  # fmt: skip
        if parts.username:
            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            req.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 - an administrator's URL
                if resp.status >= 300:
                    raise SendFailed(f"{self.name}: HTTP {resp.status}")
        except OSError as exc:
            raise SendFailed(f"{self.name}: {type(exc).__name__}: {exc}") from exc


def channels() -> dict[str, Channel]:
    """The channels configured here, by name."""
    s = get_settings()
    out: dict[str, Channel] = {}
    if s.smtp_url:
        out["email"] = Email(s.smtp_url, s.smtp_from)
    if s.sms_gateway_url:
        out["sms"] = HttpGateway("sms", s.sms_gateway_url, s.sms_templates)
    if s.wechat_hook_url:
        out["wechat"] = HttpGateway("wechat", s.wechat_hook_url, s.wechat_templates)
    return out


def configured_channels() -> frozenset[str]:
    """The names of the configured channels."""
    return frozenset(channels())
