package io.hadb.micrometer;

import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.metrics.MetricsSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * An {@link HaDatabase}'s metrics as Micrometer meters, tagged {@code database} (and any tags
 * given): the same figures as its Prometheus text, read from {@link HaDatabase#metrics()} when a
 * registry is scraped. Micrometer stays out of the core modules: this binder is the only place
 * that knows it.
 *
 * <pre>{@code
 * new HadbMetrics(db, "orders").bindTo(registry);
 * }</pre>
 *
 * Meters: gauges {@code hadb.leader} (1 leading, 0 following), {@code hadb.epoch},
 * {@code hadb.applied.seq}, {@code hadb.lag.changesets}; counters {@code hadb.lease.claims},
 * {@code hadb.lease.renewals}, {@code hadb.lease.renew.failures}, {@code hadb.lease.fenced},
 * {@code hadb.demotions}, {@code hadb.forwards}, {@code hadb.fenced.writes},
 * {@code hadb.dropped.commits}, {@code hadb.unconfirmed.writes}.
 */
public final class HadbMetrics implements MeterBinder {
  private final HaDatabase db;
  private final Iterable<Tag> tags;

  public HadbMetrics(HaDatabase db, String database, Tag... extra) {
    if (db == null || database == null) {
      throw new IllegalArgumentException("HadbMetrics needs the database and its name");
    }
    this.db = db;
    this.tags = Tags.of("database", database).and(extra);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    // Role and epoch from the database itself: its own answer is the one writes go by.
    Gauge.builder("hadb.leader", db, d -> d.role() == Role.LEADER ? 1 : 0)
        .description("1 while this node leads the database, else 0").tags(tags).register(registry);
    Gauge.builder("hadb.epoch", db, HaDatabase::epoch).description("the epoch this node leads or last saw")
        .tags(tags).register(registry);
    gauge(registry, "hadb.applied.seq", "the last changeset seq applied or published here", MetricsSnapshot::appliedSeq);
    gauge(registry, "hadb.lag.changesets", "changesets this follower was behind at its last pull", MetricsSnapshot::lagSeqs);
    counter(registry, "hadb.lease.claims", "lease claims won", MetricsSnapshot::claims);
    counter(registry, "hadb.lease.renewals", "lease renewals", MetricsSnapshot::renewals);
    counter(registry, "hadb.lease.renew.failures", "lease renewals that failed", MetricsSnapshot::renewFailures);
    counter(registry, "hadb.lease.fenced", "times the leader fenced itself", MetricsSnapshot::fenced);
    counter(registry, "hadb.demotions", "times this node stopped leading", MetricsSnapshot::demotions);
    counter(registry, "hadb.forwards", "writes forwarded (follower) or accepted from followers (leader)",
        MetricsSnapshot::forwards);
    counter(registry, "hadb.fenced.writes", "writes refused because this node did not lead", MetricsSnapshot::fencedWrites);
    counter(registry, "hadb.dropped.commits", "local commits dropped on demotion", MetricsSnapshot::droppedCommits);
    counter(registry, "hadb.unconfirmed.writes", "writes answered UNKNOWN_OUTCOME", MetricsSnapshot::unconfirmedWrites);
    Gauge.builder("hadb.lag", db, d -> {
      long stale = d.role() == Role.LEADER ? 0 : d.metrics().staleNanos();
      return stale == Long.MAX_VALUE ? Double.NaN : stale / 1e6;
    }).baseUnit("milliseconds").description("how long ago this follower last caught up with the chain (0 leading;"
        + " NaN before it ever did)").tags(tags).register(registry);
    timer(registry, "hadb.commit", "writes and transactions committed here as leader, until durable in SYNC",
        CoordinatorMetrics::commitTiming);
    timer(registry, "hadb.forward", "writes this follower forwarded to its leader, the round trip",
        CoordinatorMetrics::forwardTiming);
  }

  private void timer(MeterRegistry r, String name, String help,
      java.util.function.Function<CoordinatorMetrics, CoordinatorMetrics.Timing> f) {
    FunctionTimer.builder(name, db, d -> f.apply(d.metrics()).count(), d -> f.apply(d.metrics()).totalNanos(),
        TimeUnit.NANOSECONDS).description(help).tags(tags).register(r);
  }

  private void gauge(MeterRegistry r, String name, String help, ToDoubleFunction<MetricsSnapshot> f) {
    Gauge.builder(name, db, d -> f.applyAsDouble(d.metrics().snapshot())).description(help).tags(tags).register(r);
  }

  private void counter(MeterRegistry r, String name, String help, ToDoubleFunction<MetricsSnapshot> f) {
    FunctionCounter.builder(name, db, d -> f.applyAsDouble(d.metrics().snapshot())).description(help).tags(tags)
        .register(r);
  }
}
