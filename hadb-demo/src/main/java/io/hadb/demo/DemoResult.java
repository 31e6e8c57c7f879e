package io.hadb.demo;

/** The demo's verdict: the values of its last line. */
record DemoResult(int nodes, long failoverMs, long ackedWrites, long lostAckedWrites, boolean replicasConsistent) {

  /** Success: nothing acknowledged was lost and every surviving replica holds the same content. */
  boolean ok() {
    return lostAckedWrites == 0 && replicasConsistent;
  }

  String line() {
    return "demo: nodes=" + nodes + " failover_ms=" + failoverMs + " acked_writes=" + ackedWrites
        + " lost_acked_writes=" + lostAckedWrites + " replicas_consistent=" + replicasConsistent;
  }

  /** Reads a {@link #line()} back (the test checks what the demo printed, not what it returned). */
  static DemoResult parse(String line) {
    if (!line.startsWith("demo: nodes=")) {
      throw new IllegalArgumentException("not a demo result line: " + line);
    }
    java.util.Map<String, String> f = new java.util.HashMap<>();
    for (String kv : line.substring("demo: ".length()).split(" ")) {
      int eq = kv.indexOf('=');
      f.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return new DemoResult(Integer.parseInt(f.get("nodes")), Long.parseLong(f.get("failover_ms")),
        Long.parseLong(f.get("acked_writes")), Long.parseLong(f.get("lost_acked_writes")),
        Boolean.parseBoolean(f.get("replicas_consistent")));
  }
}
