"""The SMS gateway (短信网关): one transport chosen by ``SMS_URL`` (README, "Configuration").

- ``console://`` (the default): the message is printed on standard output and counts as
  delivered, so the demo shows what would have gone out.
- ``http://KEY:SECRET@host[:port]/path`` or ``https://…``: an HTTP gateway of the kind
  government SMS platforms and cloud providers offer. Each message is one signed ``POST
  <path>`` with a JSON body ``{"phone", "sign_name", "template_id", "params", "timestamp",
  "nonce"}``; the request carries ``X-Sms-Key``, ``X-Sms-Timestamp``, ``X-Sms-Nonce`` and
  ``X-Sms-Signature`` = hex HMAC-SHA256 with SECRET of ``METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\n
  SHA256(body)``. The gateway answers ``{"message_id", "status"}`` per message (``accepted``,
  ``delivered``, or ``rejected`` with an ``error``); ``GET <path>/status?message_id=…``,
  signed the same way, answers a message's status later.

The gateway knows nothing of the cases: what to send, to whom, when (quiet hours, opt-outs,
retries) is decided by the caller. ``send`` raises ``SmsError`` on any failure (network,
HTTP status, a refusal), which the caller counts as a failed attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings

TIMEOUT = 10  # seconds for one request to the gateway


class SmsError(Exception):
    """The gateway did not take the message (network, HTTP status, refusal)."""


@dataclass(frozen=True)
class SmsReceipt:
    message_id: str
    status: str  # accepted | delivered


class ConsoleGateway:
    """Prints each message; what the demo and development use."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, *, phone: str, sign_name: str, template_id: str, params: dict,
             text: str) -> SmsReceipt:
        stream = self.stream or sys.stdout
        print(f"[SMS to {phone}] {text}", file=stream, flush=True)
        return SmsReceipt(message_id=f"console-{uuid.uuid4().hex[:12]}", status="delivered")

    def status(self, message_id: str) -> str:
        return "delivered"


def signature(secret: str, *, method: str, path: str, timestamp: str, nonce: str,
              body: bytes) -> str:
    """The request's signature (see the module's docstring); the gateway computes the same."""
    digest = hashlib.sha256(body).hexdigest()
    message = "\n".join([method, path, timestamp, nonce, digest]).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HttpGateway:
    """A signed JSON-over-HTTP gateway (template id + parameters, per-message status)."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.key = unquote(parts.username or "")
        self.secret = unquote(parts.password or "")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.base = f"{parts.scheme}://{netloc}"
        self.path = parts.path or "/"

    def _request(self, method: str, path: str, body: bytes = b"") -> dict:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Sms-Key": self.key,
            "X-Sms-Timestamp": timestamp,
            "X-Sms-Nonce": nonce,
            "X-Sms-Signature": signature(self.secret, method=method, path=path,
                                         timestamp=timestamp, nonce=nonce, body=body),
        }
        request = urllib.request.Request(self.base + path, data=body or None, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise SmsError(str(exc)) from exc

    def send(self, *, phone: str, sign_name: str, template_id: str, params: dict,
             text: str) -> SmsReceipt:
        body = json.dumps({
            "phone": phone, "sign_name": sign_name, "template_id": template_id,
            "params": params, "timestamp": int(time.time()), "nonce": secrets.token_hex(8),
        }, ensure_ascii=False).encode()
        answer = self._request("POST", self.path, body)
        status = answer.get("status")
        if status not in ("accepted", "delivered") or not answer.get("message_id"):
            raise SmsError(f"refused: {answer.get('error') or status or 'no answer'}")
        return SmsReceipt(message_id=str(answer["message_id"]), status=status)

    def status(self, message_id: str) -> str:
        path = f"{self.path.rstrip('/')}/status?{urlencode({'message_id': message_id})}"
        return str(self._request("GET", path).get("status") or "")


def gateway():
    """The transport ``SMS_URL`` names."""
    url = settings.SMS_URL
    scheme = urlsplit(url).scheme
    if scheme == "console":
        return ConsoleGateway()
    if scheme in ("http", "https"):
        return HttpGateway(url)
    raise ValueError(f"SMS_URL: unknown scheme {scheme!r} (console://, http://, https://)")
