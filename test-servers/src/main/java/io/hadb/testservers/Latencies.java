package io.hadb.testservers;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples of one benchmarked operation, for the small benchmark mains of the plug-ins. */
public final class Latencies {
  private final String name;
  private final long[] nanos;
  private int count;

  public Latencies(String name, int capacity) {
    this.name = name;
    this.nanos = new long[capacity];
  }

  /** Times {@code op} once and records it. */
  public void time(Runnable op) {
    long start = System.nanoTime();
    op.run();
    nanos[count++] = System.nanoTime() - start;
  }

  public int count() {
    return count;
  }

  /** The {@code q} quantile (0..1), nearest-rank, in microseconds. */
  public double quantileMicros(double q) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, rank))] / 1000.0;
  }

  public double medianMicros() {
    return quantileMicros(0.5);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%-34s n=%d  median %8.1f us  p99 %8.1f us  max %8.1f us",
        name, count, medianMicros(), quantileMicros(0.99), quantileMicros(1.0));
  }
}
