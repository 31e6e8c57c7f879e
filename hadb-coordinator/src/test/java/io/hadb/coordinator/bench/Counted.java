package io.hadb.coordinator.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The operations this JVM's counting stores ({@code counting+<scheme>:} URIs) passed on to the
 * real ones, by store kind and operation: what an idle window cost, counted rather than derived
 * from settings.
 */
public final class Counted {
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  private Counted() {}

  static void add(String kind, String op) {
    COUNTS.computeIfAbsent(kind + "." + op, k -> new LongAdder()).increment();
  }

  /** Every count so far, by {@code kind.op}. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    COUNTS.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** The sum of the counts of {@code kind} in {@code m}. */
  public static long total(Map<String, Long> m, String kind) {
    return m.entrySet().stream().filter(e -> e.getKey().startsWith(kind + ".")).mapToLong(Map.Entry::getValue).sum();
  }

  /** {@code after - before}, per key. */
  public static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> m = new TreeMap<>();
    after.forEach((k, v) -> m.put(k, v - before.getOrDefault(k, 0L)));
    return m;
  }
}
