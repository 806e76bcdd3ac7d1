"""A minimal HTTP client for the load driver: one keep-alive connection, a cookie jar.

Standard library only (``http.client``), so that the client's own cost stays small
and predictable. Redirects are not followed: a 302 after a form counts as success.
"""

import http.client
import re
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One member's browser: a connection to the server and its cookies."""

    def __init__(self, host: str, port: int, timeout: float = 60.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.csrf = ""

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port,
                                                         timeout=self.timeout)
        return self.connection

    def close(self) -> None:
        """Drop the connection (the next request opens a new one)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple:
        """Status, body, client-side ms, and the server's own ms and CPU ms (or None)."""
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):  # a keep-alive connection the server closed: open another once
            started = time.perf_counter()
            try:
                connection = self._connect()
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            self._keep_cookies(response)
            server = response.getheader("X-Bench-Server-Ms")
            cpu = response.getheader("X-Bench-Server-CPU-Ms")
            return (response.status, data, elapsed, float(server) if server else None,
                    float(cpu) if cpu else None)
        raise AssertionError("unreachable")

    def _keep_cookies(self, response) -> None:
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if (morsel["expires"] and "1970" in morsel["expires"]) or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]):
        """An urlencoded form with this session's CSRF token."""
        body = urlencode({**fields, "csrf_token": self.csrf}).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def post_multipart(self, path: str, fields: dict[str, str], file: tuple[str, bytes, str]):
        """A multipart form with one file and this session's CSRF token."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrf_token": self.csrf}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n".encode())
        filename, data, file_type = file
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{filename}"\r\nContent-Type: {file_type}\r\n\r\n'.encode()
                     + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            f"multipart/form-data; boundary={boundary}")

    def fetch_csrf(self, path: str) -> str:
        """Read the CSRF token from a form page, as a browser would have it."""
        status, body, *_ = self.get(path)
        found = CSRF.search(body)
        if status != 200 or not found:
            raise RuntimeError(f"no form with a CSRF token at {path} (HTTP {status})")
        self.csrf = found.group(1).decode()
        return self.csrf

    def login(self, email: str, password: str) -> None:
        """Sign in through the login form; then keep a CSRF token for later forms."""
        self.fetch_csrf("/auth/login")
        status, *_ = self.post_form("/auth/login", {"email": email, "password": password})
        if status != 302:
            raise RuntimeError(f"login of {email} failed (HTTP {status})")
        self.fetch_csrf("/library/upload")
