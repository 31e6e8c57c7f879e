package io.hadb.coordinator.metrics;

import io.hadb.coordinator.Role;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters and gauges of one node's coordinator. The lease updates role, epoch, claims,
 * renewals, failures and fences; the facade (HaDatabase, its role driver, forwarding, HaClient)
 * feeds applied seq, lag, forwards, fenced writes and dropped commits through the public methods
 * below, and times two things: a leader's commit (from its leadership check until it returns,
 * in SYNC including the wait for storage) and a follower's forwarded write (the round trip to the
 * leader). Thread-safe; {@link #snapshot()} is cheap.
 */
public final class CoordinatorMetrics {
  /** How many timed events and their total duration, both since the start (for a function timer). */
  public record Timing(long count, long totalNanos) {}

  private final Object timingLock = new Object();
  private long commits; // guarded by timingLock, with the three below
  private long commitNanos;
  private long forwardedWrites;
  private long forwardNanos;
  private volatile Role role = Role.FOLLOWER;
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicLong claims = new AtomicLong();
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong renewFailures = new AtomicLong();
  private final AtomicLong fenced = new AtomicLong();
  private final AtomicLong demotions = new AtomicLong();
  private final AtomicLong appliedSeq = new AtomicLong();
  private final AtomicLong lagSeqs = new AtomicLong();
  private final AtomicLong forwards = new AtomicLong();
  private final AtomicLong fencedWrites = new AtomicLong();
  private final AtomicLong droppedCommits = new AtomicLong();
  private final AtomicLong unconfirmedWrites = new AtomicLong();
  private volatile long caughtUpNanos;
  private volatile boolean caughtUpEver;

  public MetricsSnapshot snapshot() {
    return new MetricsSnapshot(role, epoch.get(), claims.get(), renewals.get(), renewFailures.get(),
        fenced.get(), demotions.get(), appliedSeq.get(), lagSeqs.get(), forwards.get(), fencedWrites.get(),
        droppedCommits.get(), unconfirmedWrites.get());
  }

  /** The snapshot in Prometheus text exposition format, with {@code labels} on every sample. */
  public String prometheusText(java.util.Map<String, String> labels) {
    return PrometheusText.render(snapshot(), labels);
  }

  // Fed by the lease.

  public void promoted(long newEpoch) {
    role = Role.LEADER;
    epoch.set(newEpoch);
    claims.incrementAndGet();
  }

  /** Stopped leading; {@code selfFenced} when the leader's own deadline passed without a renew. */
  public void demoted(boolean selfFenced) {
    role = Role.FOLLOWER;
    demotions.incrementAndGet();
    if (selfFenced) {
      fenced.incrementAndGet();
    }
  }

  public void renewed() {
    renewals.incrementAndGet();
  }

  public void renewFailed() {
    renewFailures.incrementAndGet();
  }

  /** A follower saw a (possibly) newer term in the record; epochs never go backwards here. */
  public void sawEpoch(long seen) {
    epoch.accumulateAndGet(seen, Math::max);
  }

  // Fed by the engine side (promotion, replication, forwarding).

  public void setAppliedSeq(long seq) {
    appliedSeq.set(seq);
  }

  public void setLagSeqs(long lag) {
    lagSeqs.set(lag);
  }

  /**
   * A follower's pull took its copy from seq {@code before} to {@code after}: the applied seq is
   * {@code after}, and the lag is how many changesets the copy was behind the chain head when the
   * pull began ({@code after - before}; the pull applies up to the head it finds).
   */
  public void pulled(long before, long after) {
    appliedSeq.set(after);
    lagSeqs.set(Math.max(0, after - before));
  }

  /**
   * A follower's copy held everything the chain held at {@code nanoTime} ({@link System#nanoTime()}):
   * a pull that began then reached the chain's head. What a bounded-freshness read compares with.
   */
  public void caughtUp(long nanoTime) {
    caughtUpNanos = nanoTime;
    caughtUpEver = true;
  }

  /**
   * How long ago, in ns, this follower's copy was last known to hold the whole chain (see
   * {@link #caughtUp}); {@link Long#MAX_VALUE} when never. A leader is the chain's head: 0.
   */
  public long staleNanos() {
    if (role == Role.LEADER) {
      return 0;
    }
    return caughtUpEver ? Math.max(0, System.nanoTime() - caughtUpNanos) : Long.MAX_VALUE;
  }

  /** A leader publishes the chain head itself: applied seq {@code seq}, lag 0. */
  public void leading(long seq) {
    appliedSeq.set(seq);
    lagSeqs.set(0);
  }

  public void forwarded() {
    forwards.incrementAndGet();
  }

  public void fencedWrite() {
    fencedWrites.incrementAndGet();
  }

  /**
   * A write committed on this node and its durability could not be confirmed: its writer was
   * told UNKNOWN_OUTCOME.
   */
  public void unconfirmedWrite() {
    unconfirmedWrites.incrementAndGet();
  }

  /** A write or transaction committed on this node as leader, in {@code nanos} (SYNC: until durable). */
  public void committed(long nanos) {
    synchronized (timingLock) {
      commits++;
      commitNanos += Math.max(0, nanos);
    }
  }

  /** A write this follower forwarded to its leader and got answered, in {@code nanos}. */
  public void forwardedWrite(long nanos) {
    synchronized (timingLock) {
      forwardedWrites++;
      forwardNanos += Math.max(0, nanos);
    }
  }

  public Timing commitTiming() {
    synchronized (timingLock) {
      return new Timing(commits, commitNanos);
    }
  }

  public Timing forwardTiming() {
    synchronized (timingLock) {
      return new Timing(forwardedWrites, forwardNanos);
    }
  }

  /** A demotion discarded {@code count} local commits the chain never got. */
  public void droppedCommits(long count) {
    if (count < 0) {
      throw io.hadb.api.HadbException.invalidArgument("dropped commit count must not be negative, was " + count);
    }
    droppedCommits.addAndGet(count);
  }
}
