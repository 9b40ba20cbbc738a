"""Joins each request to the browser's trace.

The browser sends `traceparent` (W3C Trace Context) and `x-trace-id` with its API calls. This
middleware binds the trace id, and the caller's span id, into structlog's context, so that every
line logged while the request is handled carries them: your own, and Django's (django.request
logs a view's exception inside the middleware). The answer gets `x-trace-id` for support to quote.
"""
import re
import secrets
import time

import structlog

# version-traceid-parentid-flags in lowercase hex; versions after 00 may add fields after a dash.
# https://www.w3.org/TR/trace-context/#traceparent-header
TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
TRACE_ID = re.compile(r"[0-9a-f]{32}")

log = structlog.get_logger("shop.requests")


def trace_from_headers(traceparent, x_trace_id):
    """(trace_id, span_id) from a valid `traceparent`, else (the 32-hex `x-trace-id`, None), else a new trace."""
    match = TRACEPARENT.fullmatch((traceparent or "").strip(" \t"))
    if match:
        version, trace_id, parent_id, _flags, extra = match.groups()
        # ff is no version; 00 has nothing after the flags; all-zero ids are invalid.
        if version != "ff" and not (version == "00" and extra) and trace_id.strip("0") and parent_id.strip("0"):
            return trace_id, parent_id
    fallback = (x_trace_id or "").strip().lower()
    if TRACE_ID.fullmatch(fallback) and fallback.strip("0"):
        return fallback, None
    return secrets.token_hex(16), None


class TraceContextMiddleware:
    """First in MIDDLEWARE, so that everything after it logs inside the request's trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        trace_id, span_id = trace_from_headers(request.headers.get("traceparent"), request.headers.get("x-trace-id"))
        context = {"trace_id": trace_id, "span_id": span_id} if span_id else {"trace_id": trace_id}
        started = time.monotonic()
        # Cleared first: a worker thread keeps its context from the request it served before. Not
        # reset after: Django logs a 4xx ("Not Found: ...") once the middleware has returned.
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(**context)
        response = self.get_response(request)
        status = response.status_code
        level = log.error if status >= 500 else log.warning if status >= 400 else log.info
        level(
            "request_finished",
            method=request.method,
            path=request.path,
            status_code=status,
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        response["x-trace-id"] = trace_id
        return response
