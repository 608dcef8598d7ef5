"""The deployment files agree with the code.

docker-compose.yml, deploy/prometheus.yml and deploy/k8s/ repeat names and
ports that the code defines (services.settings.SERVICES, the Settings fields
read from CIVIC_* variables, each API's --bind). A typo there does not fail
until something is deployed, so these tests compare them with the code.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import shlex
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from services.settings import SERVICES, Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
PROMETHEUS = ROOT / "deploy" / "prometheus.yml"
K8S = ROOT / "deploy" / "k8s"
DOCKERFILE = ROOT / "Dockerfile"
INNER = [s for s in SERVICES if s != "gateway"]
SECRETS = ("CIVIC_SERVICE_SECRET", "CIVIC_USER_SECRET", "CIVIC_INSTITUTION_SECRET")
CIVIC_NAME = re.compile(r"\bCIVIC_[A-Z0-9_]+")


# --- helpers --------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def load_yaml(path: Path) -> list:
    """Every document of a YAML file (anchors and `<<` merges resolved)."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def compose_services() -> dict:
    return load_yaml(COMPOSE)[0]["services"]


def argv(command) -> list[str]:
    if command is None:
        return []
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def bind_port(args: list[str]) -> int:
    """The port of gunicorn's --bind/-b HOST:PORT."""
    for i, arg in enumerate(args):
        if arg in ("--bind", "-b") and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--bind="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return int(value.rpartition(":")[2])
    raise AssertionError(f"no --bind in {args}")


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


def compose_api_port(service: str) -> int:
    return bind_port(argv(compose_services()[f"{service}-api"].get("command")))


def compose_worker_metrics_port(service: str) -> int:
    """The port a compose worker serves its metrics on (CIVIC_WORKER_METRICS_PORT)."""
    env = environment(compose_services()[f"{service}-worker"])
    assert "CIVIC_WORKER_METRICS_PORT" in env, f"{service}-worker lacks CIVIC_WORKER_METRICS_PORT"
    port = int(env["CIVIC_WORKER_METRICS_PORT"])
    assert 0 < port < 65536, f"{service}-worker: CIVIC_WORKER_METRICS_PORT={port} serves nothing"
    return port


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port or {"http": 80, "https": 443}[parts.scheme]


def settings_env_names() -> set[str]:
    """CIVIC_FOO_BAR for every Settings field foo_bar."""
    return {f"CIVIC_{field.name.upper()}" for field in dataclasses.fields(Settings)}


def gunicorn_env_names() -> set[str]:
    source = (ROOT / "services" / "gunicorn_conf.py").read_text()
    return set(re.findall(r"""environ(?:\.get\(|\[)\s*["'](CIVIC_[A-Z0-9_]+)["']""", source))


def known_env_names() -> set[str]:
    return settings_env_names() | gunicorn_env_names()


def civic_names_in(path: Path) -> list[str]:
    return sorted(set(CIVIC_NAME.findall(path.read_text()))) if path.exists() else []


def kustomize_resources() -> list[str]:
    return list(load_yaml(K8S / "kustomization.yaml")[0].get("resources", []))


def k8s_docs() -> list[tuple[str, dict]]:
    """(file, document) for every manifest the kustomization applies."""
    docs = []
    for resource in kustomize_resources():
        path = K8S / resource
        if path.is_file():
            docs += [(resource, doc) for doc in load_yaml(path)]
    return docs


def k8s_object(kind: str, name: str) -> dict:
    found = [doc for _, doc in k8s_docs() if doc.get("kind") == kind and doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name} in the kustomization, found {len(found)}"
    return found[0]


def k8s_deployment_ids() -> list[str]:
    try:
        return [f"{file}:{doc['metadata']['name']}" for file, doc in k8s_docs()
                if doc.get("kind") == "Deployment"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return ["unreadable-kustomization"]  # the test below then fails, it is not skipped


def single_container(deployment: dict) -> dict:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{deployment['metadata']['name']}: expected one container"
    return containers[0]


def named_port(container: dict, port) -> int:
    if isinstance(port, int):
        return port
    matches = [p["containerPort"] for p in container.get("ports", []) if p.get("name") == port]
    assert matches, f"container {container['name']} has no port named {port!r}"
    return matches[0]


# --- the settings themselves -------------------------------------------------------


def test_settings_read_civic_prefixed_field_names():
    """The CIVIC_FOO_BAR -> foo_bar mapping the checks below rely on holds."""
    source = (ROOT / "services" / "settings.py").read_text()
    assert set(re.findall(r'_env\(\s*"(CIVIC_[A-Z0-9_]+)"', source)) == settings_env_names()


def test_gunicorn_conf_reads_its_variables():
    assert {"CIVIC_HTTP_WORKERS", "CIVIC_HTTP_THREADS", "CIVIC_ACCESS_LOG"} <= gunicorn_env_names()


# --- docker-compose.yml ----------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_compose_runs_api_with_gunicorn(service):
    api = compose_services().get(f"{service}-api")
    assert api is not None, f"docker-compose.yml has no {service}-api"
    args = argv(api.get("command"))
    assert args[:3] == ["python", "-m", "gunicorn"], args
    assert "python:services.gunicorn_conf" in args
    assert args[-1] == f"{service}.app:create_app()"
    assert bind_port(args)
    assert environment(api).get("PROMETHEUS_MULTIPROC_DIR"), "gunicorn metrics need a multiprocess dir"


@pytest.mark.parametrize("service", SERVICES)
def test_compose_runs_worker(service):
    worker = compose_services().get(f"{service}-worker")
    assert worker is not None, f"docker-compose.yml has no {service}-worker"
    args = argv(worker.get("command"))
    assert args[-2:] == ["worker", service], args
    assert args[0] == "civic" or args[:3] == ["python", "-m", "services.cli"], args


@pytest.mark.parametrize("service", SERVICES)
def test_compose_api_healthcheck_probes_readyz_on_its_port(service):
    api = compose_services()[f"{service}-api"]
    probe = " ".join(argv(api.get("healthcheck", {}).get("test")))
    assert re.search(rf":{compose_api_port(service)}/readyz\b", probe), probe


@pytest.mark.parametrize("service", SERVICES)
def test_compose_worker_serves_metrics_and_probes_them(service):
    """CIVIC_WORKER_METRICS_PORT is set and the healthcheck fetches /metrics on it."""
    port = compose_worker_metrics_port(service)
    worker = compose_services()[f"{service}-worker"]
    probe = " ".join(argv(worker.get("healthcheck", {}).get("test")))
    assert re.search(rf"//127\.0\.0\.1:{port}/metrics\b", probe), probe


def test_compose_seed_runs_once():
    seed = compose_services().get("seed")
    assert seed is not None, "docker-compose.yml has no seed service"
    assert argv(seed.get("command"))[-1] == "seed"
    assert seed.get("restart") in ("no", None)


def test_compose_uses_one_image_for_every_service():
    apps = {name: spec for name, spec in compose_services().items()
            if name == "seed" or name.endswith(("-api", "-worker"))}
    images = {name: spec.get("image") for name, spec in apps.items()}
    assert len(set(images.values())) == 1, images


@pytest.mark.parametrize("name", civic_names_in(COMPOSE))
def test_compose_civic_variable_is_a_setting(name):
    assert name in known_env_names(), (
        f"{name} in docker-compose.yml is neither a field of services.settings.Settings "
        f"nor read by services/gunicorn_conf.py")


@pytest.mark.parametrize("process", [f"{s}-{kind}" for s in SERVICES for kind in ("api", "worker")])
def test_compose_process_has_connection_settings(process):
    env = environment(compose_services()[process])
    for name in ("CIVIC_KAFKA_BOOTSTRAP", "CIVIC_MONGO_URI", "CIVIC_SERVICE_SECRET"):
        assert name in env, f"{process} lacks {name}"
    needed = {"gateway": ["CIVIC_USER_SECRET"],
              "notifications": ["CIVIC_SMTP_HOST", "CIVIC_SMTP_PORT", "CIVIC_MAIL_FROM"],
              "forwarding": ["CIVIC_INSTITUTION_URL", "CIVIC_INSTITUTION_SECRET"]}
    for name in needed.get(process.rsplit("-", 1)[0], []):
        assert name in env, f"{process} lacks {name}"


def test_compose_secrets_must_be_supplied():
    """Secrets come from the operator's environment (`${NAME:?...}`), never from the file."""
    for name, spec in compose_services().items():
        for key, value in environment(spec).items():
            if key in SECRETS:
                assert re.fullmatch(rf"\$\{{{key}:\?[^}}]*\}}", value), f"{name}: {key}={value!r}"


def test_compose_infrastructure_matches_the_settings():
    services = compose_services()
    env = environment(services["proposals-api"])
    host, port = host_port("kafka://" + env["CIVIC_KAFKA_BOOTSTRAP"].split(",")[0])
    advertised = environment(services[host])["KAFKA_ADVERTISED_LISTENERS"]
    assert f"//{host}:{port}" in advertised
    mongo = urlsplit(env["CIVIC_MONGO_URI"])
    replica_set = parse_qs(mongo.query)["replicaSet"][0]
    mongod = argv(services[mongo.hostname]["command"])
    assert mongod[mongod.index("--replSet") + 1] == replica_set
    assert f"_id: '{replica_set}'" in " ".join(argv(services["mongo-init"]["command"]))


@pytest.mark.parametrize("service", INNER)
def test_compose_service_urls_match_api_ports(service):
    """What the gateway (or anyone) is told to call is where the API listens."""
    key = f"CIVIC_{service.upper()}_URL"
    services = compose_services()
    assert key in environment(services["gateway-api"]), f"gateway-api lacks {key}"
    for name, spec in services.items():
        if key in environment(spec):
            assert host_port(environment(spec)[key]) == (f"{service}-api", compose_api_port(service)), name


def test_compose_publishes_only_the_gateway_api():
    published = {name for name, spec in compose_services().items()
                 if name.endswith(("-api", "-worker")) and spec.get("ports")}
    assert published == {"gateway-api"}


# --- deploy/prometheus.yml --------------------------------------------------------


def scrape_targets() -> dict[str, tuple[str, str]]:
    """'host:port' -> (job, metrics path) for every static or DNS-discovered target."""
    targets = {}
    for job in load_yaml(PROMETHEUS)[0]["scrape_configs"]:
        where = (job["job_name"], job.get("metrics_path", "/metrics"))
        for static in job.get("static_configs", []):
            targets.update({target: where for target in static.get("targets", [])})
        for dns in job.get("dns_sd_configs", []):
            targets.update({f"{name}:{dns.get('port')}": where for name in dns.get("names", [])})
    return targets


@pytest.mark.parametrize("service", SERVICES)
def test_prometheus_scrapes_api(service):
    target = f"{service}-api:{compose_api_port(service)}"
    targets = scrape_targets()
    assert target in targets, f"deploy/prometheus.yml does not scrape {target}"
    assert targets[target][1] == "/metrics"


@pytest.mark.parametrize("service", SERVICES)
def test_prometheus_scrapes_worker(service):
    target = f"{service}-worker:{compose_worker_metrics_port(service)}"
    targets = scrape_targets()
    assert target in targets, f"deploy/prometheus.yml does not scrape {target}"
    assert targets[target] == (f"{service}-worker", "/metrics")


def test_compose_mounts_prometheus_config():
    volumes = [str(v) for v in compose_services()["prometheus"].get("volumes", [])]
    assert any(v.startswith("./deploy/prometheus.yml:") for v in volumes), volumes


# --- deploy/k8s ---------------------------------------------------------------------


@pytest.mark.parametrize("resource", kustomize_resources() if (K8S / "kustomization.yaml").exists()
                         else ["kustomization.yaml-missing"])
def test_kustomization_resource_exists(resource):
    assert (K8S / resource).is_file(), f"deploy/k8s/kustomization.yaml lists missing {resource}"


def test_secret_template_is_not_applied_by_kustomize():
    """`kubectl apply -k` must never overwrite the real Secret with placeholders."""
    assert (K8S / "secret.example.yaml").is_file()
    assert "secret.example.yaml" not in kustomize_resources()


@pytest.mark.parametrize("service", SERVICES)
def test_k8s_service_manifest(service):
    assert f"{service}.yaml" in kustomize_resources()
    api = k8s_object("Deployment", f"{service}-api")
    assert api["spec"]["replicas"] == 2
    container = single_container(api)
    port = bind_port(argv(container.get("command", []) + container.get("args", [])))
    assert port == compose_api_port(service), "same port in compose and Kubernetes"
    assert argv(container["args"])[-1] == f"{service}.app:create_app()"
    readiness = container["readinessProbe"]["httpGet"]
    liveness = container["livenessProbe"]["httpGet"]
    assert readiness["path"] == "/readyz" and named_port(container, readiness["port"]) == port
    assert liveness["path"] == "/healthz" and named_port(container, liveness["port"]) == port

    svc = k8s_object("Service", f"{service}-api")
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert svc["spec"]["selector"].items() <= labels.items(), "Service selects the API pods"
    (svc_port,) = svc["spec"]["ports"]
    assert svc_port["port"] == port
    assert named_port(container, svc_port.get("targetPort", svc_port["port"])) == port

    worker = single_container(k8s_object("Deployment", f"{service}-worker"))
    assert argv(worker.get("command", []) + worker.get("args", []))[-2:] == ["worker", service]


def k8s_env_value(container: dict, name: str) -> str | None:
    """A variable's literal value in a container: its own env first, then civic-config."""
    for env in container.get("env", []):
        if env["name"] == name:
            return env.get("value")
    for source in container.get("envFrom", []):
        ref = source.get("configMapRef")
        if ref:
            data = k8s_object("ConfigMap", ref["name"]).get("data", {})
            if name in data:
                return data[name]
    return None


@pytest.mark.parametrize("service", SERVICES)
def test_k8s_worker_serves_metrics(service):
    """Each worker sets CIVIC_WORKER_METRICS_PORT, exposes it and is probed and scraped there."""
    worker = k8s_object("Deployment", f"{service}-worker")
    container = single_container(worker)
    value = k8s_env_value(container, "CIVIC_WORKER_METRICS_PORT")
    assert value is not None, f"{service}-worker lacks CIVIC_WORKER_METRICS_PORT"
    port = int(value)
    assert port == compose_worker_metrics_port(service), "same port in compose and Kubernetes"
    assert named_port(container, "metrics") == port
    liveness = container["livenessProbe"]["httpGet"]
    assert liveness["path"] == "/metrics" and named_port(container, liveness["port"]) == port
    readiness = container["readinessProbe"].get("httpGet")
    if readiness:
        assert named_port(container, readiness["port"]) == port

    # Scraped like the API pods: same annotation scheme, pointing at the metrics port.
    api_annotations = k8s_object("Deployment", f"{service}-api")["spec"]["template"]["metadata"].get(
        "annotations", {})
    annotations = worker["spec"]["template"]["metadata"].get("annotations", {})
    if "prometheus.io/scrape" in api_annotations:
        assert annotations.get("prometheus.io/scrape") == "true"
        assert annotations.get("prometheus.io/port") == str(port)
        assert annotations.get("prometheus.io/path", "/metrics") == "/metrics"


@pytest.mark.parametrize("deployment", k8s_deployment_ids())
def test_k8s_deployment_has_readiness_probe(deployment):
    file, _, name = deployment.partition(":")
    (doc,) = [d for f, d in k8s_docs()
              if f == file and d.get("kind") == "Deployment" and d["metadata"]["name"] == name]
    for container in doc["spec"]["template"]["spec"]["containers"]:
        assert container.get("readinessProbe"), f"{name}/{container['name']} has no readinessProbe"


@pytest.mark.parametrize("name", sorted({name for path in sorted(K8S.glob("*.yaml"))
                                          for name in civic_names_in(path)}))
def test_k8s_civic_variable_is_a_setting(name):
    assert name in known_env_names(), f"{name} in deploy/k8s is not a setting"


def test_k8s_secret_refs_are_in_the_template():
    template = load_yaml(K8S / "secret.example.yaml")[0]
    keys = set(template.get("stringData", {})) | set(template.get("data", {}))
    for file, doc in k8s_docs():
        for container in doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == template["metadata"]["name"], file
                    assert ref["key"] in keys, f"{file}: {ref['key']} not in secret.example.yaml"


@pytest.mark.parametrize("service", INNER)
def test_k8s_service_urls_match_services(service):
    data = k8s_object("ConfigMap", "civic-config")["data"]
    host, port = host_port(data[f"CIVIC_{service.upper()}_URL"])
    assert host == f"{service}-api"
    assert port == k8s_object("Service", host)["spec"]["ports"][0]["port"]


# --- Dockerfile ---------------------------------------------------------------------


def test_dockerfile_runs_as_non_root():
    text = DOCKERFILE.read_text()
    assert "python:3.11-slim" in text
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"^CMD\s", text, re.MULTILINE)
