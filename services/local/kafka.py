"""Apache Kafka as a local part: the broker production runs, for `civic run` and the tests.

A pinned Kafka 4.x (`kafka/pom.xml`) is resolved from Maven Central once into a cache directory
(`mvn dependency:copy-dependencies`, Maven checks the checksums), its storage is formatted in KRaft
standalone mode (one node, broker and controller) under `var/kafka`, and it is started with `java`
with a bounded heap. The log under `var/kafka` survives a restart, so `civic run --keep-data` keeps
the event log as well as the database.

Which broker the local platform runs is `CIVIC_LOCAL_BROKER`: `kafka` (the default when a JDK 17+
and Maven are present) or `tansu`, the in-memory Kafka-protocol broker from PyPI that needs no Java
(`broker_choice`)."""
from __future__ import annotations

import base64
import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from functools import lru_cache
from pathlib import Path

VERSION = "4.1.1"
HERE = Path(__file__).resolve().parent / "kafka"
HEAP = os.environ.get("CIVIC_KAFKA_HEAP", "384m")  # the broker's -Xmx: enough for a local platform
MIN_JAVA = 17


def cache_dir() -> Path:
    base = os.environ.get("CIVIC_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "civic-platform")
    return Path(base) / f"kafka-{VERSION}"


@lru_cache(maxsize=1)
def java_binary() -> str | None:
    """A `java` of version 17 or newer ($JAVA_HOME first, then PATH), or None."""
    home = os.environ.get("JAVA_HOME")
    for candidate in ([str(Path(home) / "bin" / "java")] if home else []) + [shutil.which("java") or ""]:
        if candidate and Path(candidate).exists() and _java_version(candidate) >= MIN_JAVA:
            return candidate
    return None


def _java_version(java: str) -> int:
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return 0
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if not found:
        return 0
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def available() -> bool:
    """Can Apache Kafka run here (a JDK 17+, and Maven unless the jars are already in the cache)?"""
    return java_binary() is not None and (_resolved() or shutil.which("mvn") is not None)


def broker_choice() -> str:
    """`kafka` or `tansu`: CIVIC_LOCAL_BROKER if set, else Kafka where it can run."""
    chosen = os.environ.get("CIVIC_LOCAL_BROKER", "").strip().lower()
    if chosen in ("kafka", "tansu"):
        return chosen
    if chosen:
        raise ValueError(f"CIVIC_LOCAL_BROKER must be kafka or tansu, not {chosen!r}")
    return "kafka" if available() else "tansu"


def described(broker: str, var: Path) -> str:
    """What `civic run` says it starts."""
    if broker == "kafka":
        return f"Apache Kafka {VERSION}, KRaft, log in {var / 'kafka'}"
    return "Tansu, in memory: no JDK 17+ here, or CIVIC_LOCAL_BROKER=tansu"


def _resolved() -> bool:
    lib = cache_dir() / "lib"
    return (cache_dir() / "resolved").exists() and any(lib.glob(f"kafka_2.13-{VERSION}.jar"))


def resolve() -> Path:
    """The directory of Kafka's jars, resolving them from Maven Central the first time. Processes
    that start brokers at once (the test session's workers) resolve one at a time, under a lock:
    one resolves, the others find the result (two at once left a directory with jars missing)."""
    lib = cache_dir() / "lib"
    if _resolved():
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("Apache Kafka needs Maven once, to fetch it from Maven Central (apt-get install maven), "
                           "or set CIVIC_LOCAL_BROKER=tansu")
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / "resolving.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _resolved():
            return lib
        partial = Path(tempfile.mkdtemp(prefix="lib.partial.", dir=cache_dir()))
        done = subprocess.run([mvn, "-q", "-B", "-f", str(HERE / "pom.xml"), "dependency:copy-dependencies",
                               f"-DoutputDirectory={partial}", "-DincludeScope=runtime"],
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise RuntimeError(f"resolving Apache Kafka {VERSION} from Maven Central failed:\n"
                               f"{(done.stdout + done.stderr)[-3000:]}")
        shutil.rmtree(lib, ignore_errors=True)
        partial.rename(lib)
        (cache_dir() / "resolved").write_text(VERSION + "\n")
    return lib


def properties(data: Path, port: int, controller_port: int) -> str:
    """server.properties of a one-node KRaft cluster on 127.0.0.1 (broker and controller)."""
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        f"controller.quorum.bootstrap.servers=127.0.0.1:{controller_port}",
        f"log.dirs={data}",
        "num.partitions=3",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=6",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=6",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",  # a group of one is formed at once
        "auto.create.topics.enable=true",
        "log.retention.hours=-1",  # a local event log: kept, as the database is
        # The log cleaner (which compacts the consumer offsets) takes its whole dedupe buffer on the
        # heap at start: Kafka's 128 MiB default was 112 of the broker's 270 MiB RSS at rest. 16 MiB
        # holds some 600,000 keys per cleaning, many times a local platform's groups and partitions.
        "log.cleaner.dedupe.buffer.size=16777216",
        "message.max.bytes=8388608",  # above the platform's own limit (CIVIC_MAX_MESSAGE_BYTES): its consumers park what is larger
        "",
    ])


def prepare(var: Path, port: int, controller_port: int) -> Path:
    """Write var/kafka/server.properties for these ports; format the storage if it is new."""
    home, data = var / "kafka", var / "kafka" / "data"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "server.properties"
    config.write_text(properties(data, port, controller_port))
    if not (data / "meta.properties").exists():
        lib = resolve()
        done = subprocess.run([_java(), "-Xmx128m", "-cp", f"{lib}/*", *_logging(), "kafka.tools.StorageTool",
                               "format", "--standalone", "-t", cluster_id(), "-c", str(config)],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"formatting Kafka's storage in {data} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return config


def cluster_id() -> str:
    """A new cluster id, as Kafka writes them (a UUID in URL-safe base64, no padding). Like Kafka's
    own Uuid.randomUuid, never one that starts with '-': the storage tool would read it as an option
    (one format in 64 failed so)."""
    while True:
        found = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not found.startswith("-"):
            return found


def kept_ports(var: Path) -> tuple[int, int] | None:
    """The ports a kept log was formatted with (its controller's address is in the log itself)."""
    config = var / "kafka" / "server.properties"
    if not (var / "kafka" / "data" / "meta.properties").exists() or not config.exists():
        return None
    found = re.search(r"listeners=PLAINTEXT://127.0.0.1:(\d+),CONTROLLER://127.0.0.1:(\d+)", config.read_text())
    return (int(found.group(1)), int(found.group(2))) if found else None


def command(config: Path) -> list[str]:
    """The broker's command line: a bounded heap that gives back what it does not use (a small
    start, the serial collector shrinking it after a collection), quick start-up."""
    return [_java(), f"-Xmx{HEAP}", "-Xms32m", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=64m", "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", *_logging(),
            "-cp", f"{resolve()}/*", "kafka.Kafka", str(config)]


def _logging() -> list[str]:
    return [f"-Dlog4j2.configurationFile={HERE / 'log4j2.yaml'}"]


def _java() -> str:
    java = java_binary()
    if java is None:
        raise RuntimeError(f"Apache Kafka needs Java {MIN_JAVA} or newer (set JAVA_HOME), "
                           "or set CIVIC_LOCAL_BROKER=tansu")
    return java
