"""A small Django API whose log lines are JSON, with the browser's trace id on each of them."""
import os

import structlog

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "only-for-the-recipe")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "shop.urls"
INSTALLED_APPS = []
# First: every line logged while a request is handled, Django's own included, gets its trace id.
MIDDLEWARE = ["shop.tracing.TraceContextMiddleware"]
USE_TZ = True

SERVICE = os.environ.get("SERVICE_NAME", "django-shop")


def add_service(logger, method_name, event_dict):
    event_dict.setdefault("service", SERVICE)
    return event_dict


# What every line gets, whether it comes from structlog or from a standard-library logger
# (django.request, your dependencies): the request's context, level, logger, time and service.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    add_service,
]

structlog.configure(
    processors=[*SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)

# One JSON line per record on stdout: {"timestamp", "level", "event", "trace_id", "service", ...}.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": SHARED_PROCESSORS,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        },
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
}
