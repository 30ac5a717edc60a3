"""Optional Prometheus metrics, served on a local address (127.0.0.1 by default).

A registry of our own, not prometheus-client's process-global default: two services in
one process (tests) must not share counters.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.inputs = Counter(
            "monitor_inputs", "Inputs processed, by outcome", ["outcome"], registry=self.registry
        )
        self.seconds = Histogram(
            "monitor_process_seconds", "Time to process one input", registry=self.registry
        )
        self.backlog = Gauge(
            "monitor_inbox_backlog", "Files waiting to be read", registry=self.registry
        )
        self.deliveries = Gauge(
            "monitor_deliveries", "Alert deliveries, by status", ["status"], registry=self.registry
        )
        self.feed_errors = Gauge(
            "monitor_feeds_failing", "Feeds whose last poll failed", registry=self.registry
        )

    def serve(self, host: str, port: int) -> None:
        start_http_server(port, addr=host, registry=self.registry)
