"""gunicorn configuration for the production server (`make serve`, the systemd unit).

Every value can be changed from the environment; the defaults suit one machine behind a reverse
proxy on the same host. Threaded workers keep connections alive and overlap database waits;
the worker count follows the CPU count.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
wsgi_app = "lms.wsgi:application"

workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)

# The application is imported once, before the workers fork: a recycled worker starts in
# milliseconds instead of re-importing Django and Wagtail (code changes need a restart, not HUP).
preload_app = True

# Recycle workers now and then (memory growth in long-lived processes), not all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)

# A request may take this long (the heaviest is a cohort's PDF acta) before its worker is
# replaced; shutdown waits as long for requests in flight.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# The proxy in front sets X-Forwarded-Proto; only trust it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# TLS straight from gunicorn (tests and benchmarks; production terminates TLS at the proxy).
certfile = os.environ.get("GUNICORN_CERTFILE") or None
keyfile = os.environ.get("GUNICORN_KEYFILE") or None

# The access log carries the path without its query string; "" turns it off (the
# application's own request log line has the route, status, duration and user id).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "formacion-cem"
