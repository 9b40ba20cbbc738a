"""A FastAPI app whose log lines carry the browser's trace id.

The browser sends `traceparent` (W3C Trace Context) and `x-trace-id` with its API calls. The HTTP
middleware below binds the trace id, and the caller's span id, into structlog's context, so that
every line logged while a request is handled carries them, and answers with `x-trace-id`.

Run: CORS_ORIGINS=http://localhost:5173 uvicorn app:app --port 8000 --no-access-log
"""
import os
import re
import secrets
import time

import structlog
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

SERVICE = os.environ.get("SERVICE_NAME", "fastapi-shop")


def add_service(logger, method_name, event_dict):
    event_dict.setdefault("service", SERVICE)
    return event_dict


# One JSON line per event on stdout: {"timestamp", "level", "event", "trace_id", "service", ...}.
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_service,
        structlog.processors.format_exc_info,
        structlog.processors.JSONRenderer(),
    ],
    logger_factory=structlog.PrintLoggerFactory(),
)
log = structlog.get_logger()

# version-traceid-parentid-flags in lowercase hex; versions after 00 may add fields after a dash.
# https://www.w3.org/TR/trace-context/#traceparent-header
TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
TRACE_ID = re.compile(r"[0-9a-f]{32}")


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


app = FastAPI()


@app.middleware("http")
async def trace_context(request: Request, call_next):
    trace_id, span_id = trace_from_headers(request.headers.get("traceparent"), request.headers.get("x-trace-id"))
    # Each request runs in a context of its own; the endpoint's task inherits what is bound here.
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(**({"trace_id": trace_id, "span_id": span_id} if span_id else {"trace_id": trace_id}))
    started = time.monotonic()
    try:
        response = await call_next(request)
    except Exception:
        # Logged here, inside the trace, and answered here, so that the CORS middleware around
        # this one still adds its headers and the page sees the 500 rather than a network error.
        log.exception("request_failed")
        response = JSONResponse({"error": "internal", "trace_id": trace_id}, status_code=500)
    status = response.status_code
    level = log.error if status >= 500 else log.warning if status >= 400 else log.info
    level(
        "request_finished",
        method=request.method,
        path=request.url.path,
        status_code=status,
        duration_ms=round((time.monotonic() - started) * 1000),
    )
    response.headers["x-trace-id"] = trace_id
    return response


# Added last, so it runs first. The trace headers are not CORS-safelisted: without allowing them
# the browser's preflight fails and the call is never sent. Exposing x-trace-id lets the page read it.
app.add_middleware(
    CORSMiddleware,
    allow_origins=os.environ.get("CORS_ORIGINS", "http://localhost:5173").split(","),
    allow_methods=["GET", "POST"],
    allow_headers=["content-type", "traceparent", "tracestate", "x-trace-id"],
    expose_headers=["x-trace-id"],
)


class PaymentDeclined(Exception):
    pass


@app.get("/api/hello")
async def hello():
    log.info("hello_requested")
    return {"hello": "from fastapi"}


@app.post("/api/checkout")
async def checkout(request: Request):
    cart = await request.json()
    log.info("checkout_received", cart_items=len(cart.get("items", [])))
    raise PaymentDeclined("card declined by the issuer")
