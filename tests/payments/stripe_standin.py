"""A small local HTTP stand-in for the Stripe API: enough of /v1/payment_intents and /v1/refunds
for the real `stripe` library to talk to, recording every request it receives. `on_request`, when
set, is called (in the stand-in's own thread) with each request before it is answered: a test
looks from there at what the caller holds while it waits for Stripe."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class StripeStandIn:
    def __init__(self):
        self.requests: list[dict] = []
        self.by_idempotency_key: dict[str, dict] = {}
        self.on_request = None
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                key = self.headers.get("Idempotency-Key", "")
                request = {
                    "path": self.path,
                    "form": form,
                    "idempotency_key": key,
                    "authorization": self.headers.get("Authorization", ""),
                }
                stand_in.requests.append(request)
                if stand_in.on_request is not None:
                    stand_in.on_request(request)
                if key in stand_in.by_idempotency_key:  # Stripe replays the first answer
                    return self._answer(stand_in.by_idempotency_key[key])
                if self.path == "/v1/payment_intents":
                    intent_id = "pi_" + uuid.uuid4().hex[:16]
                    body = {
                        "id": intent_id,
                        "object": "payment_intent",
                        "amount": int(form["amount"]),
                        "currency": form["currency"],
                        "status": "requires_payment_method",
                        "client_secret": f"{intent_id}_secret_{uuid.uuid4().hex[:8]}",
                        "metadata": {
                            k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")
                        },
                    }
                elif self.path == "/v1/refunds":
                    body = {
                        "id": "re_" + uuid.uuid4().hex[:12],
                        "object": "refund",
                        "payment_intent": form["payment_intent"],
                        "status": "succeeded",
                    }
                else:
                    return self._answer({"error": {"message": "not here"}}, status=404)
                stand_in.by_idempotency_key[key] = body
                self._answer(body)

            def _answer(self, body: dict, status: int = 200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StripeStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
