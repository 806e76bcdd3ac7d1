"""The writers of the load and crash runs: members posting over plain HTTP to the real site.

A ``Browser`` keeps cookies and the CSRF token; a ``Writer`` cycles through topics,
replies, uploads and edits; the ``Ledger`` records every answer and every acknowledged
write with what it should hold, for ``conftest.lost_writes`` to check afterwards.
"""

import hashlib
import http.client
import random
import re
import threading
import uuid
from collections import Counter
from urllib.parse import urlencode

from tests.conftest import PASSWORD, csrf_token_from

# --- A browser without a browser ----------------------------------------------------------

class Response:
    """Status, Location and body of one answer."""

    def __init__(self, status: int, location: str, body: str):
        self.status, self.location, self.body = status, location, body


class Browser:
    """Cookies, forms and multipart uploads over plain HTTP; redirects are not followed."""

    def __init__(self, port: int):
        self.port, self.cookies, self.token = port, {}, None

    def request(self, method: str, path: str, body: bytes = b"",
                content_type: str = "") -> Response:
        """One request with the cookies held; keeps the cookies set."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body or None, headers=headers)
            answer = conn.getresponse()
            text_ = answer.read().decode("utf-8", errors="replace")
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Response(answer.status, answer.headers.get("Location", ""), text_)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict, upload: tuple[str, bytes] | None = None) -> Response:
        """A form POST with the CSRF token; ``upload`` is (file name, bytes) for ``file``."""
        fields = {"csrf_token": self.token, **fields}
        if upload is None:
            return self.request("POST", path, urlencode(fields).encode(),
                                "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 .encode() for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{upload[0]}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                     + upload[1] + f"\r\n--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            f"multipart/form-data; boundary={boundary}")

    def login(self, email: str, form_path: str) -> None:
        """Sign in, then keep a CSRF token of the new session (from ``form_path``)."""
        self.token = csrf_token_from(self.get("/auth/login").body)
        answer = self.post("/auth/login", {"email": email, "password": PASSWORD})
        assert answer.status == 302, f"login of {email} answered {answer.status}"
        self.token = csrf_token_from(self.get(form_path).body)


def id_from(location: str, pattern: str) -> int | None:
    """The id in a redirect's Location, if it is the expected kind of page."""
    found = re.search(pattern, location)
    return int(found.group(1)) if found else None


# --- Writers and what they were told -------------------------------------------------------

class Ledger:
    """Every answer's status and every acknowledged write with what it should hold."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests, self.acks = 0, 0
        self.statuses: Counter = Counter()
        self.server_errors: list[str] = []
        self.unexpected: list[str] = []
        self.topics: dict[int, tuple[str, str]] = {}  # id: (title, opening post body)
        self.posts: dict[int, set[str]] = {}  # id: the bodies it may hold (an unacked edit)
        self.documents: dict[int, tuple[str, str]] = {}  # id: (title, sha256 of the file)

    def answered(self, what: str, answer: Response | None) -> None:
        """Count one answer (None: the connection failed, as while the site is down)."""
        with self.lock:
            self.requests += 1
            self.statuses[answer.status if answer else f"no answer ({what})"] += 1
            if answer is not None and answer.status >= 500:
                self.server_errors.append(f"{what}: {answer.status}")
            elif answer is not None and answer.status != 302:
                self.unexpected.append(f"{what}: {answer.status} {answer.body[:300]!r}")

    def acknowledged(self, table: dict, key: int, value) -> int:
        """Note an acknowledged write; the number of acknowledged writes so far."""
        with self.lock:
            table[key] = value
            self.acks += 1
            return self.acks


class Writer:
    """One member posting topics, replying, uploading and editing, in a fixed cycle."""

    CYCLE = ("topic", "reply", "upload", "reply", "edit")

    def __init__(self, port: int, email: str, slug: str, ledger: Ledger, seed: int,
                 upload_bytes: int = 4096):
        self.browser, self.email, self.slug, self.ledger = Browser(port), email, slug, ledger
        self.rng, self.upload_bytes, self.steps = random.Random(seed), upload_bytes, 0
        self.mine: list[int] = []

    def step(self) -> int | None:
        """Do the next write; the count of acknowledged writes if it was acknowledged."""
        self.steps += 1
        action = self.CYCLE[self.steps % len(self.CYCLE)]
        if action == "edit" and self.mine:
            return self.edit()
        if action in ("reply", "edit") and self.ledger.topics:
            return self.reply()
        return self.upload() if action == "upload" else self.topic()

    def _send(self, what: str, path: str, fields: dict, upload=None) -> Response | None:
        try:
            answer = self.browser.post(path, fields, upload)
        except (OSError, http.client.HTTPException):  # the site was killed mid-request
            answer = None
        self.ledger.answered(what, answer)
        return answer

    def _word(self) -> str:
        return f"{self.email.split('@')[0]}w{self.steps}x{self.rng.randrange(10**9)}"

    def topic(self) -> int | None:
        title, body = f"Inventory {self._word()}", f"Opening post {self._word()}"
        answer = self._send("topic", f"/forums/c/{self.slug}/new",
                            {"title": title, "body": body, "submit": "Start topic"})
        found = answer and id_from(answer.location, r"/forums/t/(\d+)")
        return found and self.ledger.acknowledged(self.ledger.topics, found, (title, body))

    def reply(self) -> int | None:
        topic_id = self.rng.choice(sorted(self.ledger.topics))
        body = f"Reply {self._word()}"
        answer = self._send("reply", f"/forums/t/{topic_id}/reply",
                            {"body": body, "submit": "Post reply"})
        found = answer and id_from(answer.location, r"/forums/p/(\d+)")
        if found:
            self.mine.append(found)
        return found and self.ledger.acknowledged(self.ledger.posts, found, {body})

    def edit(self) -> int | None:
        post_id = self.rng.choice(self.mine)
        body = f"Edited {self._word()}"
        with self.ledger.lock:  # until acknowledged, the post may hold either body
            self.ledger.posts[post_id] = self.ledger.posts[post_id] | {body}
        answer = self._send("edit", f"/forums/p/{post_id}/edit",
                            {"body": body, "submit": "Save changes"})
        if answer and id_from(answer.location, rf"/forums/p/({post_id})\b"):
            return self.ledger.acknowledged(self.ledger.posts, post_id, {body})
        return None

    def upload(self) -> int | None:
        word = self._word()
        data = (f"PCB inventory {word}\n".encode() * (self.upload_bytes // 40 + 1))
        data = data[:self.upload_bytes]
        fields = {"title": f"Report {word}", "doc_type": "inventory", "language": "en",
                  "access": "network", "country": "", "group_id": "", "year": "",
                  "authors": "", "description": "", "submit": "Upload"}  # as a browser sends
        answer = self._send("upload", "/library/upload", fields, (f"{word}.txt", data))
        found = answer and id_from(answer.location, r"/library/(\d+)$")
        return found and self.ledger.acknowledged(
            self.ledger.documents, found, (fields["title"], hashlib.sha256(data).hexdigest()))
