"""What pymongo's command monitoring tells this process: slow commands in the log, and the count of
every command (`civic_db_commands_total`)."""
from __future__ import annotations

import logging

from pymongo import monitoring

from services import metrics


class SlowCommands(monitoring.CommandListener):
    """Logs every database command slower than a threshold with its collection and the field names
    of its filter (never the values: they may be personal), so a missing index shows in the log."""

    def __init__(self, threshold_ms: float):
        self.threshold_ms, self.shapes = threshold_ms, {}
        self.log = logging.getLogger("civic.db.slow")

    def started(self, event) -> None:
        if len(self.shapes) > 1000:  # commands whose end never came (a dropped connection)
            self.shapes.clear()
        command = event.command
        query = command.get("filter") or command.get("query") or {}
        if not query and command.get("updates"):
            query = command["updates"][0].get("q", {})
        if not query and command.get("pipeline"):
            query = command["pipeline"][0].get("$match", {})
        self.shapes[event.request_id] = (command.get(event.command_name), sorted(query),
                                         sorted(command.get("sort") or {}))

    def succeeded(self, event) -> None:
        self._done(event)

    def failed(self, event) -> None:
        self._done(event)

    def _done(self, event) -> None:
        collection, fields, sort = self.shapes.pop(event.request_id, (None, [], []))
        took_ms = event.duration_micros / 1000
        if took_ms >= self.threshold_ms:
            self.log.warning("slow database command: %s %s.%s filter on %s sort %s took %.0f ms",
                             event.command_name, event.database_name, collection, fields, sort, took_ms)


class CommandCount(monitoring.CommandListener):
    """Counts every database command this process sends (`civic_db_commands_total`): the round
    trips a request or an event costs, which `tests/perf` reads before and after a load."""

    def __init__(self, service: str, part: str):
        self.counters: dict[str, object] = {}
        self.service, self.part = service, part

    def started(self, event) -> None:
        counter = self.counters.get(event.command_name)
        if counter is None:
            counter = self.counters[event.command_name] = metrics.DB_COMMANDS.labels(
                self.service, self.part, event.command_name)
        counter.inc()

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass
