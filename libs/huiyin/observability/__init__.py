"""Operations: Prometheus metrics, OpenTelemetry traces and the log context of every service.

- `metrics`: the metrics of one service process (counters and histograms on the hot paths);
  `probing` and `platform_probes`: gauges measured when `/metrics` is scraped (outbox
  backlog, consumer lag from `kafka_lag`, DLQ sizes, background loops);
- `http_telemetry`: the pure-ASGI middleware that times requests by route template and,
  with tracing on, opens the server span; `endpoints`: GET /metrics and /asyncapi.json;
- `tracing` and `kafka_spans`: per-service tracer providers and the W3C trace context in
  outbox rows and Kafka headers;
- `logcontext`: trace id and complaint id in every structured log line;
- `multiprocess`: one /metrics over several uvicorn workers.
See docs/operations.md.
"""
