"""HTTP hardening: security headers, Secure cookies over HTTPS, proxy awareness."""

from flask import Flask, request
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


def add_security_headers(response):
    """Set the headers on every response (a view may set a stricter one itself)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def secure_cookies_over_https(response):
    """Over HTTPS, mark every cookie Secure (session and remember-me alike).

    Flask's and Flask-Login's settings are per app; the same deployment may be
    reached over HTTP in development and HTTPS in production, so decide per request.
    """
    if not request.is_secure:
        return response
    cookies = response.headers.getlist("Set-Cookie")
    if cookies:
        response.headers.remove("Set-Cookie")
        for cookie in cookies:
            secure = cookie if "; secure" in cookie.lower() else f"{cookie}; Secure"
            response.headers.add("Set-Cookie", secure)
    return response


def register(app: Flask) -> None:
    """Install the response hooks, and ProxyFix when behind a proxy."""
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.after_request(secure_cookies_over_https)
    app.after_request(add_security_headers)
