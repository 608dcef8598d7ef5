"""gunicorn settings shared by every service API (override with GUNICORN_CMD_ARGS)."""
import os
import resource
import sys

from gunicorn.glogging import Logger

worker_class = "gthread"
threads = int(os.environ.get("CIVIC_HTTP_THREADS", "8"))
workers = int(os.environ.get("CIVIC_HTTP_WORKERS", "1"))
timeout = 60
# A URL within the documented query limits (GET /proposals: q, theme, process_id, tag at their
# maxLength, percent-encoded UTF-8) is up to ~4.5 kB: more than gunicorn's 4094-byte default request
# line, whose 414 is an HTML page. Allow gunicorn's maximum, so such a request is served.
limit_request_line = 8190
# Longer than any client's idle pool time: with gunicorn's 2 s default a client reusing an idle
# connection races the server closing it ("connection reset", "remote end closed connection").
keepalive = 75
# Idle kept-alive connections hold a worker's connection slots for those 75 s: with gunicorn's default
# of 1,000, the thousand residents who had just signed in left no slot for their own ballots in a
# closing-minute rush (new connections waited in the backlog until idle ones timed out, past 30 s).
# An idle connection costs a socket and a few hundred bytes in gthread's poller.
worker_connections = int(os.environ.get("CIVIC_HTTP_CONNECTIONS", "10000"))


def raise_open_files(wanted: int) -> bool:
    """Raise this process's limit of open files to `wanted` where the hard limit allows (never lower
    it); whether it now allows `wanted`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return True
    target = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target >= wanted


raise_open_files(worker_connections + 1024)  # one descriptor per connection, and some
graceful_timeout = 10
accesslog = os.environ.get("CIVIC_ACCESS_LOG") or None
# Several gunicorns run side by side locally; the shared default control socket would clash.
control_socket_disable = True


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the multiprocess metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # here: the arbiter needs it only now (3 MiB less)

        multiprocess.mark_process_dead(worker.pid)


def _service() -> str:
    """The service this gunicorn serves, from its app argument ('proposals.app:create_app()')."""
    apps = [arg for arg in sys.argv[1:] if ".app:" in arg]
    return apps[-1].split(".", 1)[0] if apps else "civic"


class JsonLogger(Logger):
    """gunicorn's logger, and the app's (the root logger), writing JSON lines (services.logs)."""

    def setup(self, cfg):
        super().setup(cfg)
        from services import logs

        logs.configure(_service(), os.environ.get("CIVIC_LOG_LEVEL", "INFO"))
        logs.use_json(("gunicorn.error", "gunicorn.access"), _service())


logger_class = JsonLogger
