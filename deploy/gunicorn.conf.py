"""gunicorn for Case Timeline: `.venv/bin/gunicorn -c deploy/gunicorn.conf.py` (no application argument needed).

What a deployment tunes comes from the environment (deploy/env.example): BIND or PORT, WEB_CONCURRENCY,
GUNICORN_THREADS, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS, LOG_FORMAT.
"""

import logging
import os
import sys
from pathlib import Path

from gunicorn import glogging

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evidence import observability  # noqa: E402  (needs ROOT on the path)

chdir = str(ROOT)
wsgi_app = "casetimeline.wsgi:application"
proc_name = "casetimeline"

# BIND: one or more addresses, comma-separated ("127.0.0.1:8000", "unix:/run/casetimeline/web.sock"). PORT alone
# listens on every interface, as platforms that set PORT expect. Neither: loopback, behind the proxy on this host.
if os.environ.get("BIND"):
    bind = [address.strip() for address in os.environ["BIND"].split(",") if address.strip()]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]

# Threads rather than processes for concurrency: a request mostly waits on the database, the disk or the client,
# and each process may take ~700 MB while it renders a large PDF in the request (TASKS_BACKEND=immediate).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker whose main loop is silent this long is killed. With threads the loop keeps beating while a request runs,
# so this bounds a hung worker rather than a long upload or export; graceful_timeout lets one finish on a restart.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = timeout
keepalive = 5
# Fresh processes now and then: PDF rendering and spreadsheet reading leave memory fragmented.
max_requests = 1000
max_requests_jitter = 100

# The heartbeat file is touched constantly: keep it in memory, not on a disk that may be slow or full.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Which peers may set X-Forwarded-Proto (and so make a request count as HTTPS): the proxy's addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The control socket (gunicornc) would live in $HOME, which the service user does not have.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")


class Logger(glogging.Logger):
    """gunicorn's own lines in the application's format; the access line with the request id and the user's id
    (left in the WSGI environ by evidence.observability.RequestIdMiddleware), never the query string."""

    def setup(self, cfg):
        super().setup(cfg)
        formatter = observability.formatter(LOG_FORMAT)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)
                handler.addFilter(observability.RequestIdFilter())
        self.access_log.setLevel(logging.INFO)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = getattr(resp, "status_code", None)
        status = status if isinstance(status, int) else 0
        level, message, fields = observability.access_record(
            environ, status=status, duration_ms=request_time.total_seconds() * 1000
        )
        self.access_log.log(level, message, extra=fields)


logger_class = Logger


def post_worker_init(worker):
    """Each worker starts its readers' fork server (evidence.importing.isolation) as it starts, so that the first
    upload it serves does not wait the second or so the server takes to load Django and the readers."""
    from evidence.importing.isolation import start_server

    start_server()
