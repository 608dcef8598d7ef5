"""The monitoring that ships uses only metrics the services export.

deploy/prometheus-alerts.yml and the Grafana dashboard in deploy/grafana/ name metrics in PromQL;
a typo, or a metric renamed in services/metrics.py, would leave an alert that never fires and a
panel that stays empty. Every metric name in their expressions must be one services/metrics.py
defines (counters as <name>_total, histograms as <name>_bucket/_count/_sum), and the issue's
signals must each have an alert and a panel.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import Counter, Gauge, Histogram

from services import metrics

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "deploy" / "prometheus-alerts.yml"
DASHBOARDS = sorted((ROOT / "deploy" / "grafana").glob("*.json"))
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "inf", "nan"}
GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
IDENTIFIER = re.compile(r"(?<![\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?")
# The signals, and a metric each must reach through (in both files).
SIGNALS = {"consumer lag": "civic_consumer_lag", "outbox age": "civic_outbox_oldest_age_seconds",
           "dead letters": "civic_dead_letters_total", "5xx rate": "civic_http_request_seconds_count",
           "p99 latency": "civic_http_request_seconds_bucket", "tally mismatches": "civic_tally_mismatch_total",
           "overdue replies": "civic_replies_overdue", "open breakers": "civic_breakers_open",
           "parked outbox events": "civic_outbox_parked_total",
           "oversize messages": "civic_oversize_messages_total"}


def exported() -> set[str]:
    """Every sample name services/metrics.py exports."""
    names = set()
    for value in vars(metrics).values():
        if isinstance(value, Counter):
            names.add(f"{value._name}_total")
        elif isinstance(value, Histogram):
            names.update(f"{value._name}{suffix}" for suffix in ("_bucket", "_count", "_sum"))
        elif isinstance(value, Gauge):
            names.add(value._name)
    return names


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads: identifiers that are neither functions,
    keywords, label names (in {...}, by (...)) nor durations ([5m])."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)   # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)                # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)               # ranges and subqueries
    expr = GROUPING.sub(" ", expr)                       # grouping labels
    return {name for name, call in IDENTIFIER.findall(expr)
            if not call and name.lower() not in KEYWORDS and not re.fullmatch(r"\d\w*", name)}


def alert_expressions() -> list[tuple[str, str]]:
    document = yaml.safe_load(ALERTS.read_text())
    return [(rule["alert"], str(rule["expr"])) for group in document["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[tuple[str, str]]:
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("expr"), str):
                found.append((where, node["expr"]))
            for key, value in node.items():
                walk(value, node.get("title", where) if key == "targets" else where)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for path in DASHBOARDS:
        walk(json.loads(path.read_text()), path.name)
    return found


def test_the_parser_finds_metrics_and_only_metrics():
    expr = ('histogram_quantile(0.99, sum by (service, le) (rate(civic_http_request_seconds_bucket'
            '{status=~"5.."}[5m]))) / on (service) group_left up > bool 2 and time() - foo_seconds offset 5m')
    assert metric_names(expr) == {"civic_http_request_seconds_bucket", "up", "foo_seconds"}


def test_the_files_exist_and_prometheus_loads_the_alerts():
    assert DASHBOARDS, "no Grafana dashboard in deploy/grafana/"
    config = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    assert ALERTS.name in config.get("rule_files", []), "deploy/prometheus.yml does not load the alert rules"
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        assert dashboard.get("title") and dashboard.get("panels"), path.name


@pytest.mark.parametrize("source", ["alerts", "dashboard"])
def test_every_metric_used_is_exported(source):
    expressions = alert_expressions() if source == "alerts" else dashboard_expressions()
    assert expressions
    known = exported()
    unknown = [(where, name) for where, expr in expressions for name in sorted(metric_names(expr))
               if name not in known]
    assert not unknown, f"{source} use metrics services/metrics.py does not export: {unknown}"


@pytest.mark.parametrize("signal", sorted(SIGNALS))
def test_every_signal_has_an_alert_and_a_panel(signal):
    metric = SIGNALS[signal]
    assert any(metric in metric_names(expr) for _, expr in alert_expressions()), f"no alert on {signal}"
    assert any(metric in metric_names(expr) for _, expr in dashboard_expressions()), f"no panel for {signal}"


def test_every_alert_rule_has_the_fields_prometheus_and_operators_need():
    document = yaml.safe_load(ALERTS.read_text())
    names = []
    for group in document["groups"]:
        assert group["name"] and group["rules"], group
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"}, rule
            assert re.fullmatch(r"(\d+[smhd])+", rule.get("for", "0s")), rule
            assert rule["labels"]["severity"] in ("info", "warning", "critical"), rule
            assert rule["annotations"]["summary"], rule
            assert str(rule["expr"]).count("(") == str(rule["expr"]).count(")"), rule
            names.append(rule["alert"])
    assert len(names) == len(set(names)), "alert names repeat"


def test_every_dashboard_panel_is_addressable():
    for path in DASHBOARDS:
        panels = json.loads(path.read_text())["panels"]
        assert len({panel["id"] for panel in panels}) == len(panels), path.name
        for panel in panels:
            assert panel["title"] and panel["targets"], panel
            assert len({target["refId"] for target in panel["targets"]}) == len(panel["targets"]), panel["title"]
