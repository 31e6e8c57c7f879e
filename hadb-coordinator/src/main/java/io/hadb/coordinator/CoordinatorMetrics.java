package io.hadb.coordinator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters and gauges of one node's coordinator. The lease updates role, epoch, claims,
 * renewals, failures and fences; the engine side feeds applied seq, lag, forwards and fenced
 * writes through the setters below. Thread-safe; {@link #snapshot()} is cheap.
 */
public final class CoordinatorMetrics {
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

  public MetricsSnapshot snapshot() {
    return new MetricsSnapshot(role, epoch.get(), claims.get(), renewals.get(), renewFailures.get(),
        fenced.get(), demotions.get(), appliedSeq.get(), lagSeqs.get(), forwards.get(), fencedWrites.get());
  }

  /** The snapshot in Prometheus text exposition format, with {@code labels} on every sample. */
  public String prometheusText(java.util.Map<String, String> labels) {
    return PrometheusText.render(snapshot(), labels);
  }

  // Fed by the lease.

  void promoted(long newEpoch) {
    role = Role.LEADER;
    epoch.set(newEpoch);
    claims.incrementAndGet();
  }

  void demoted(DemotionReason reason) {
    role = Role.FOLLOWER;
    demotions.incrementAndGet();
    if (reason == DemotionReason.FENCED) {
      fenced.incrementAndGet();
    }
  }

  void renewed() {
    renewals.incrementAndGet();
  }

  void renewFailed() {
    renewFailures.incrementAndGet();
  }

  /** A follower saw a (possibly) newer term in the record; epochs never go backwards here. */
  void sawEpoch(long seen) {
    epoch.accumulateAndGet(seen, Math::max);
  }

  // Fed by the engine side (promotion, replication, forwarding).

  public void setAppliedSeq(long seq) {
    appliedSeq.set(seq);
  }

  public void setLagSeqs(long lag) {
    lagSeqs.set(lag);
  }

  public void forwarded() {
    forwards.incrementAndGet();
  }

  public void fencedWrite() {
    fencedWrites.incrementAndGet();
  }
}
