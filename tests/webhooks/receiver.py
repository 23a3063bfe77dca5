"""A webhook receiver on loopback (127.0.0.1, a random port) in a thread, and the Standard
Webhooks check written here from the specification, independent of webhooks/signing.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60


class SignatureRejected(Exception):
    pass


def spec_verify(secret: str, body: bytes, headers: dict[str, str], *, now: float | None = None):
    """What the specification asks of a receiver: the key is the base64 after `whsec_`; the
    signed content is `{webhook-id}.{webhook-timestamp}.{body}`; any `v1,` signature of the
    space-separated list must match (constant-time); a timestamp more than five minutes away
    is refused (replays)."""
    headers = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp, signatures = (
        headers.get("webhook-id"),
        headers.get("webhook-timestamp"),
        headers.get("webhook-signature"),
    )
    if not (msg_id and stamp and signatures):
        raise SignatureRejected("missing headers")
    if abs((now if now is not None else time.time()) - int(stamp)) > TOLERANCE_SECONDS:
        raise SignatureRejected("timestamp outside the tolerance")
    assert secret.startswith("whsec_")
    key = base64.b64decode(secret[len("whsec_") :])
    expected = hmac.new(key, msg_id.encode() + b"." + stamp.encode() + b"." + body, hashlib.sha256)
    for versioned in signatures.split(" "):
        version, _, sig = versioned.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(sig), expected.digest()):
            return
    raise SignatureRejected("no matching signature")


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    statuses: list[int] = field(default_factory=list)  # answered in turn; then `status`
    status: int = 200
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if self.statuses else self.status

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.requests]


@contextmanager
def loopback_receiver(path: str = "/hook") -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with receiver.lock:
                receiver.requests.append(
                    Received({k.lower(): v for k, v in self.headers.items()}, body)
                )
            code = receiver.answer()
            self.send_response(code)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
