"""gunicorn settings shared by every service API (override with GUNICORN_CMD_ARGS)."""
import os

from prometheus_client import multiprocess

worker_class = "gthread"
threads = int(os.environ.get("CIVIC_HTTP_THREADS", "8"))
workers = int(os.environ.get("CIVIC_HTTP_WORKERS", "1"))
timeout = 60
# Longer than any client's idle pool time: with gunicorn's 2 s default a client reusing an idle
# connection races the server closing it ("connection reset", "remote end closed connection").
keepalive = 75
graceful_timeout = 10
accesslog = os.environ.get("CIVIC_ACCESS_LOG") or None
# Several gunicorns run side by side locally; the shared default control socket would clash.
control_socket_disable = True


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the multiprocess metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
