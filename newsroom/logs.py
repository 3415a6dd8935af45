"""Request logging as structured records (rendered as one JSON object a line in production)."""

import logging
import time

from newsroom.middleware import client_ip, loggable

logger = logging.getLogger("newsroom.request")


class RequestLogMiddleware:
    """One record per request: method, path, status, duration, and the user for signed-in staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            path = loggable(request.path)
            logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "remote": client_ip(request),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                    "cache": response.get("X-Cache"),
                },
            )
        return response


class DropUnserialisable(logging.Filter):
    """Django attaches the request object to error records; keep only what a log line can hold."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = f"{request.method} {loggable(request.get_full_path())}"
        if isinstance(record.msg, str):
            record.msg = loggable(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(loggable(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
