package io.hadb.testservers;

import io.hadb.api.LeaseStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The measuring loop shared by the plug-ins' CAS latency benchmarks: sequential compare-and-sets
 * of one lease-sized record through the plug-in, interleaved with the same write made with the
 * server's plain client (so both see the same machine load), plus plug-in reads. Absolute numbers
 * depend on the machine; the hadb/raw ratio is the plug-in's overhead.
 */
public final class CasLatencyBenchmark {
  /** A typical lease record: holder, forwarding address, ttl. */
  public static final byte[] VALUE =
      "holder=node-1;addr=10.0.0.1:8080;ttl=10000".getBytes(StandardCharsets.UTF_8);

  /** One compare-and-set made with the server's own client, on a key of its own. */
  @FunctionalInterface
  public interface RawCas {
    void run() throws Exception;
  }

  private CasLatencyBenchmark() {}

  /** The operation count from {@code args[0]}, default 2000. */
  public static int ops(String[] args) {
    return args.length > 0 ? Integer.parseInt(args[0]) : 2000;
  }

  /**
   * Runs {@code ops / 5} (at least 200) warm-up rounds, then {@code ops} measured rounds, and
   * prints the median, p99 and max of each operation to {@code out}.
   */
  public static void run(String server, String plugIn, LeaseStore store, String rawName,
      RawCas rawCas, int ops, PrintStream out) {
    int warmup = Math.max(200, ops / 5);
    String key = "bench/lease";
    long[] version = {store.create(key, VALUE).version()};
    Latencies cas = new Latencies("hadb CAS (" + plugIn + ")", ops);
    Latencies raw = new Latencies(rawName + " (raw)", ops);
    Latencies read = new Latencies("hadb read (" + plugIn + ")", ops);
    Runnable c = () -> version[0] = store.compareAndSet(key, version[0], VALUE).version();
    Runnable r = () -> {
      try {
        rawCas.run();
      } catch (Exception e) {
        throw new IllegalStateException("raw CAS failed", e);
      }
    };
    Runnable rd = () -> store.read(key).orElseThrow();
    for (int i = 0; i < warmup; i++) {
      c.run();
      r.run();
      rd.run();
    }
    for (int i = 0; i < ops; i++) {
      cas.time(c);
      raw.time(r);
      read.time(rd);
    }
    out.println(server + " loopback, " + ops + " sequential operations each after " + warmup
        + " warm-up:");
    out.println("  " + cas);
    out.println("  " + raw);
    out.println("  " + read);
    out.printf(Locale.ROOT, "  median CAS ratio hadb/raw: %.2f%n",
        cas.medianMicros() / raw.medianMicros());
  }
}
