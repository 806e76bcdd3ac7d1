"""HTTP hardening: security headers, Secure cookies over HTTPS, proxy awareness."""

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: every asset is a file served by this site.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def refuse_nul_bytes():
    """``before_request``: 400 for a NUL byte in the path, query or form. No text column
    can hold one (PostgreSQL refuses it: the write would fail with a 500) and nobody types
    one; it only comes from tools probing the site."""
    values = [request.path, *request.args.listvalues(), *request.form.listvalues()]
    if any("\x00" in (v if isinstance(v, str) else "".join(v)) for v in values):
        abort(400)


def add_security_headers(response):
    """Set the headers on every response (a view may set a stricter one itself)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


class SecureCookiesOverHTTPS:
    """WSGI middleware: over HTTPS, mark every cookie Secure (session and remember-me alike).

    One deployment may be reached over HTTP in development and HTTPS in production,
    so this is decided per request; as middleware it sees the session cookie too,
    which Flask writes after every ``after_request`` hook has run.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start_secure(status, headers, exc_info=None):
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value)
                       for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_secure)


def _secure(cookie: str) -> str:
    return cookie if "; secure" in cookie.lower() else f"{cookie}; Secure"


def register(app: Flask) -> None:
    """Install the headers hook, the cookie middleware, and ProxyFix behind a proxy."""
    app.wsgi_app = SecureCookiesOverHTTPS(app.wsgi_app)
    if app.config["PROXY_FIX"]:  # outermost, so the scheme it restores is what we see
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
