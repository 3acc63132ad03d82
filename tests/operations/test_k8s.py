"""deploy/k8s: every overlay renders with `kubectl kustomize` and every object is valid Kubernetes.

Validation uses kubernetes-validate's bundled schemas (offline, strict: unknown fields fail).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

K8S = Path(__file__).resolve().parent.parent.parent / "deploy" / "k8s"
OVERLAYS = ["dev", "prod"]
KUBECTL = shutil.which("kubectl") or ("/usr/bin/kubectl" if Path("/usr/bin/kubectl").exists() else None)
# the Kubernetes minor version the manifests are checked against
KUBERNETES_VERSION = "1.32.0"

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed (Debian package kubectl)")


def render(folder: Path) -> list[dict]:
    done = subprocess.run([KUBECTL, "kustomize", str(folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request) -> tuple[str, list[dict]]:
    return request.param, render(K8S / "overlays" / request.param)


def by_kind(objects, kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def containers(obj: dict) -> list[dict]:
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod = spec["template"]["spec"]
    return pod.get("initContainers", []) + pod["containers"]


def test_every_object_is_valid_against_the_kubernetes_schemas(rendered):
    import kubernetes_validate

    name, objects = rendered
    assert len(objects) >= 15
    problems = []
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {exc.message} at {list(exc.path)}")
    assert problems == [], f"{name}: {problems}"


def test_the_base_renders_alone():
    kinds = {o["kind"] for o in render(K8S / "base")}
    assert {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Job",
            "CronJob", "NetworkPolicy", "ConfigMap", "PersistentVolumeClaim"} <= kinds


def test_web_has_probes_resources_hpa_and_pdb(rendered):
    name, objects = rendered
    deployments = by_kind(objects, "Deployment")
    web = deployments["tercul-web"]
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert "gunicorn -c python:tercul.observability.gunicorn_conf" in container["command"][-1]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"]
    pod_labels = web["spec"]["template"]["metadata"]["labels"]
    hpa = by_kind(objects, "HorizontalPodAutoscaler")["tercul-web"]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "tercul-web"}
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    pdb = by_kind(objects, "PodDisruptionBudget")["tercul-web"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    service = by_kind(objects, "Service")["tercul-web"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    ingress = by_kind(objects, "Ingress")["tercul"]
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "tercul-web"
    if name == "prod":
        assert web["spec"]["replicas"] == 3 and hpa["spec"]["minReplicas"] == 3 and pdb["spec"]["minAvailable"] == 2


def test_worker_is_a_deployment_of_its_own(rendered):
    name, objects = rendered
    worker = by_kind(objects, "Deployment")["tercul-worker"]
    assert "exec tercul worker" in worker["spec"]["template"]["spec"]["containers"][0]["command"][-1]
    assert worker["spec"]["replicas"] == (2 if name == "prod" else 1)
    assert "tercul-worker" not in {h["spec"]["scaleTargetRef"]["name"]
                                   for h in by_kind(objects, "HorizontalPodAutoscaler").values()}


def test_migrations_run_in_a_job_and_pods_wait_for_them(rendered):
    _, objects = rendered
    job = by_kind(objects, "Job")["tercul-migrate"]
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["tercul", "db", "upgrade"]
    web = by_kind(objects, "Deployment")["tercul-web"]
    wait = web["spec"]["template"]["spec"]["initContainers"][0]
    assert "tercul db current" in wait["command"][-1] and "tercul db heads" in wait["command"][-1]


def test_the_wait_for_migrations_check_matches_when_the_database_is_at_head(tmp_path):
    """The init container's test: `tercul db current` prints what `tercul db heads` prints once migrated."""
    import os
    import sys

    tercul = str(Path(sys.executable).parent / "tercul")
    env = {**os.environ, "TERCUL_ENV": "development", "TERCUL_INSTANCE": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'k8s.sqlite'}"}

    def out(*args):
        return subprocess.run([tercul, "db", *args], env=env, capture_output=True, text=True, timeout=120).stdout

    assert out("current") != out("heads")
    subprocess.run([tercul, "db", "upgrade"], env=env, capture_output=True, check=True, timeout=120)
    assert out("current") == out("heads") and "(head)" in out("heads")


def test_backups_run_nightly_with_tercul_backup(rendered):
    name, objects = rendered
    cron = by_kind(objects, "CronJob")["tercul-backup"]
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert "tercul backup /backups/" in containers(cron)[0]["command"][-1].replace('"', "")
    assert cron["spec"].get("suspend", False) is (name == "dev")


def test_config_and_secrets_are_references_never_values(rendered):
    _, objects = rendered
    assert by_kind(objects, "Secret") == {}  # created by the operator, never committed
    config = next(iter(by_kind(objects, "ConfigMap").values()))
    assert config["data"]["TERCUL_ENV"] == "production"
    assert not {"SECRET_KEY", "DATABASE_URL", "SMTP_PASSWORD", "METRICS_TOKEN"} & set(config["data"])
    for obj in objects:
        if obj["kind"] in ("Deployment", "Job", "CronJob"):
            for container in containers(obj):
                refs = {next(iter(r.values()))["name"] for r in container["envFrom"]}
                assert refs == {config["metadata"]["name"], "tercul-secrets"}, obj["metadata"]["name"]
                assert "resources" in container, (obj["metadata"]["name"], container["name"])


def test_databases_are_external_services_and_traffic_is_fenced(rendered):
    _, objects = rendered
    services = by_kind(objects, "Service")
    for name in ("postgresql", "redis", "weaviate"):
        assert services[name]["spec"]["type"] == "ExternalName"
    policies = by_kind(objects, "NetworkPolicy")
    deny = policies["tercul-default-deny"]
    assert deny["spec"]["policyTypes"] == ["Ingress", "Egress"] and "ingress" not in deny["spec"]
    egress_ports = {p["port"] for rule in deny["spec"]["egress"] for p in rule["ports"]}
    assert {53, 5432, 6379, 8080} <= egress_ports
    namespaces = {o["metadata"].get("namespace") for o in objects if o["kind"] != "Namespace"}
    assert len(namespaces) == 1 and None not in namespaces
