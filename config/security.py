"""Security middleware: the headers every response carries, and a cap on request size.

Django's SecurityMiddleware already sends nosniff, the referrer policy, the
cross-origin opener policy and (over HTTPS, with HTTPS=true) HSTS; this module adds
what Django 5.2 does not have:

- a Content Security Policy without inline scripts or styles on every response. Our
  templates keep to it (page JS lives in static/js/, chart data goes through
  `json_script`; tests/security/test_headers.py greps the rendered pages). The API
  docs pages are third-party UIs: Swagger UI is served as the "split" view (its
  start-up script is a separate request, so `script-src 'self'` holds there too), but
  Swagger UI and ReDoc write inline styles, so those two pages alone get
  `style-src 'self' 'unsafe-inline'` (and ReDoc a `blob:` worker). Scripts stay 'self'.
- a Permissions-Policy that turns off the browser features we never use;
- a 413 for a request body larger than MAX_REQUEST_BYTES, before anything reads it
  (the CSV importers' own limits, 10 MB and 5 MB, give the clear per-file message).
"""

from django.conf import settings
from django.http import HttpResponse

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI and ReDoc (drf-spectacular's sidecar, served locally) style by inline styles.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
DOCS_VIEWS = {"api-docs", "api-redoc"}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def max_request_bytes() -> int:
    return getattr(settings, "MAX_REQUEST_BYTES", 16 * 1024 * 1024)


class SecurityHeadersMiddleware:
    """Adds the Content Security Policy and Permissions-Policy; refuses huge bodies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        too_big = self._too_big(request)
        response = too_big or self.get_response(request)
        if "Content-Security-Policy" not in response:
            match = getattr(request, "resolver_match", None)
            docs = match is not None and match.view_name in DOCS_VIEWS
            response["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    @staticmethod
    def _too_big(request) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        limit = max_request_bytes()
        if length > limit:
            return HttpResponse(
                f"The request is larger than {limit // (1024 * 1024)} MB; "
                "split the file and upload the parts.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return None


def client_ip(request) -> str:
    """The client's address for login throttling.

    With HTTPS=true the app sits behind one TLS-terminating proxy, which appends the
    address it saw to X-Forwarded-For: that last entry is the one to trust (earlier ones
    are whatever the client chose to send). Without the proxy, REMOTE_ADDR.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.HTTPS and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
