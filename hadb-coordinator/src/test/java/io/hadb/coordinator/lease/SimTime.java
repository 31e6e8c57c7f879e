package io.hadb.coordinator.lease;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Simulated true time for deterministic lease tests, and per-node clocks derived from it: each
 * node's monotonic clock has its own origin and rate (ppm), and its wall clock its own offset,
 * the way real machines differ. Only tests advance time; nothing sleeps.
 */
final class SimTime {
  private long trueNanos;

  long now() {
    return trueNanos;
  }

  void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + d);
    }
    trueNanos += d.toNanos();
  }

  void advanceMillis(long ms) {
    advance(Duration.ofMillis(ms));
  }

  NodeClock node(long monoOrigin, long ratePpm, Duration wallOffset) {
    return new NodeClock(monoOrigin, ratePpm, wallOffset);
  }

  NodeClock node() {
    return node(0, 0, Duration.ZERO);
  }

  /** One machine's clocks. */
  final class NodeClock implements MonotonicClock, InstantSource {
    private static final Instant WALL_EPOCH = Instant.parse("2026-11-26T08:00:00Z");
    private final long origin;
    private final long ratePpm;
    private final Duration wallOffset;

    NodeClock(long origin, long ratePpm, Duration wallOffset) {
      this.origin = origin;
      this.ratePpm = ratePpm;
      this.wallOffset = wallOffset;
    }

    @Override
    public long nanoTime() {
      // Overflow past Long.MAX_VALUE is deliberate when origin is near it: like System.nanoTime,
      // only differences count, and the lease must compute with differences.
      return origin + trueNanos + Math.multiplyExact(trueNanos, ratePpm) / 1_000_000;
    }

    /** The true time at which this clock reads {@code mono} (inverse of {@link #nanoTime()}). */
    long toTrue(long mono) {
      long elapsed = mono - origin;
      return (long) Math.ceil(elapsed / (1 + ratePpm / 1e6));
    }

    @Override
    public Instant instant() {
      return WALL_EPOCH.plus(wallOffset).plusNanos(trueNanos);
    }

    @Override
    public String toString() {
      return "clock[origin=" + origin + ", rate=" + ratePpm + "ppm, wall offset " + wallOffset + "]";
    }
  }
}
