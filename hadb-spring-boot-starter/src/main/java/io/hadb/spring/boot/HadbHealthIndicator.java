package io.hadb.spring.boot;

import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.metrics.MetricsSnapshot;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * UP while this node leads, or follows a leader the lease names within {@code maxLag} changesets
 * (at its last pull); DOWN otherwise. Details: role, epoch, applied seq, lag, leader address.
 */
public class HadbHealthIndicator extends AbstractHealthIndicator {
  private final HaDatabase db;
  private final long maxLag;

  public HadbHealthIndicator(HaDatabase db, long maxLag) {
    super("hadb health check failed");
    this.db = db;
    this.maxLag = maxLag;
  }

  @Override
  protected void doHealthCheck(Health.Builder b) {
    MetricsSnapshot s = db.metrics().snapshot();
    Role role = db.role();
    b.withDetail("role", role.name())
        .withDetail("epoch", db.epoch())
        .withDetail("appliedSeq", db.appliedSeq())
        .withDetail("lagChangesets", s.lagSeqs())
        .withDetail("leader", db.leaderAddress().orElse("none"));
    if (role == Role.LEADER) {
      b.up();
    } else if (db.leaderAddress().isEmpty()) {
      b.down().withDetail("reason", "no leader named by the lease");
    } else if (s.lagSeqs() > maxLag) {
      b.down().withDetail("reason", "following " + s.lagSeqs() + " changesets behind, more than " + maxLag);
    } else {
      b.up();
    }
  }
}
