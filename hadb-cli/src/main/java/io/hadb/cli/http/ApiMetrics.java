package io.hadb.cli.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests answered, by endpoint and status, as Prometheus text. */
final class ApiMetrics {
  private static final java.util.Set<String> KNOWN = java.util.Set.of("/", "/readyz", "/status", "/metrics",
      "/openapi.yaml", "/db/execute", "/db/query", "/db/request");

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void count(String path, int status) {
    // unknown paths share one label, so a scanner cannot grow the label set without bound
    String p = KNOWN.contains(path) ? path : "other";
    counts.computeIfAbsent("path=\"" + p + "\",status=\"" + status + "\"", k -> new LongAdder()).increment();
  }

  String prometheusText() {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP hadb_http_requests_total HTTP requests answered, by endpoint and status\n");
    sb.append("# TYPE hadb_http_requests_total counter\n");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
      sb.append("hadb_http_requests_total{").append(e.getKey()).append("} ").append(e.getValue().sum()).append('\n');
    }
    return sb.toString();
  }
}
