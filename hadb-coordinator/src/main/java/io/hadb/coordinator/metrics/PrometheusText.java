package io.hadb.coordinator.metrics;

import io.hadb.api.HadbException;
import io.hadb.coordinator.Role;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link MetricsSnapshot} in the Prometheus text exposition format (version 0.0.4):
 * {@code # HELP} and {@code # TYPE} lines, counters named {@code *_total}, label values escaped.
 * No client library is needed to serve it: any HTTP endpoint can return this string with
 * {@code Content-Type: text/plain; version=0.0.4}.
 */
public final class PrometheusText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  public static String render(MetricsSnapshot s, Map<String, String> labels) {
    String base = labels(labels);
    StringBuilder out = new StringBuilder(1024);
    out.append("# HELP hadb_role Whether this node currently plays the role (1) or not (0).\n");
    out.append("# TYPE hadb_role gauge\n");
    for (Role r : Role.values()) {
      out.append("hadb_role").append(withLabel(base, "role", r.name().toLowerCase(java.util.Locale.ROOT)))
          .append(' ').append(s.role() == r ? 1 : 0).append('\n');
    }
    gauge(out, "hadb_epoch", "The epoch this node leads, or the last epoch it saw.", base, s.epoch());
    counter(out, "hadb_lease_claims_total", "Lease claims this node won.", base, s.claims());
    counter(out, "hadb_lease_renewals_total", "Successful lease renewals.", base, s.renewals());
    counter(out, "hadb_lease_renew_failures_total", "Lease renew attempts that failed.", base, s.renewFailures());
    counter(out, "hadb_lease_fenced_total", "Times the leader fenced itself at its deadline.", base, s.fenced());
    counter(out, "hadb_lease_demotions_total", "Times this node stopped leading.", base, s.demotions());
    gauge(out, "hadb_applied_seq", "Last changeset seq applied or published locally.", base, s.appliedSeq());
    gauge(out, "hadb_lag_seqs", "Leader 0; follower: changesets behind the chain head when its last pull began.",
        base, s.lagSeqs());
    counter(out, "hadb_forwards_total", "Writes forwarded to or accepted from followers.", base, s.forwards());
    counter(out, "hadb_fenced_writes_total",
        "Writes refused or fenced because this node was not (or no longer) the leader.", base, s.fencedWrites());
    counter(out, "hadb_dropped_commits_total", "Local commits discarded on demotion because the chain never got them.",
        base, s.droppedCommits());
    counter(out, "hadb_unconfirmed_writes_total",
        "Writes committed here whose durability could not be confirmed (answered UNKNOWN_OUTCOME).", base,
        s.unconfirmedWrites());
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, String labels, long value) {
    sample(out, name, "gauge", help, labels, value);
  }

  private static void counter(StringBuilder out, String name, String help, String labels, long value) {
    sample(out, name, "counter", help, labels, value);
  }

  private static void sample(StringBuilder out, String name, String type, String help, String labels, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ').append(value).append('\n');
  }

  private static String withLabel(String base, String name, String value) {
    return "{" + (base.isEmpty() ? "" : base + ",") + name + "=\"" + escape(value) + "\"}";
  }

  /** {@code a="x",b="y"} in name order, validated and escaped; empty when there are none. */
  private static String labels(Map<String, String> labels) {
    HadbException.requireArg(labels, "labels");
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      String name = e.getKey();
      if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*") || name.startsWith("__") || name.equals("role")) {
        throw HadbException.invalidArgument("'" + name + "' is not a usable Prometheus label name"
            + " (letters, digits and _, not starting with a digit or __, and not 'role')");
      }
      HadbException.requireArg(e.getValue(), "value of label '" + name + "'");
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(name).append("=\"").append(escape(e.getValue())).append('"');
    }
    return b.toString();
  }

  /** The exposition format's escapes for label values: backslash, double quote and newline. */
  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
