package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.lease.CoordinatorConfig;
import io.hadb.coordinator.lease.LeaderLease;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.coordinator.lease.MonotonicClock;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.engine.sqlite.SqliteExecutor;
import io.hadb.engine.sqlite.SqliteOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * One node of a forwarding test: a real SQLite executor on its own file, a real lease on the
 * shared lease-mem namespace (stepped by the test, ttl long enough that nothing expires on its
 * own), and a forwarding server on a free loopback port.
 */
final class ForwardNode implements AutoCloseable {
  static final String NAMESPACE = "forwarding-tests";
  static final ForwardingSecret SECRET = ForwardingSecret.of("shared-secret-for-tests-0123");
  static final LeaseTimings TIMINGS = LeaseTimings.ofTtl(Duration.ofSeconds(60));

  final String id;
  final Executor executor;
  final CoordinatorMetrics metrics = new CoordinatorMetrics();
  final LeaseStore store = LeaseStores.open("mem://" + NAMESPACE);
  final ForwardingServer server;
  final LeaderLease lease;

  ForwardNode(String db, String id, Executor executor, RequestTable requests, CommitSeqSource commitSeq) {
    this(db, id, executor, requests, commitSeq, LeaderView::of);
  }

  ForwardNode(String db, String id, Executor executor, RequestTable requests, CommitSeqSource commitSeq,
      java.util.function.Function<LeaderLease, LeaderView> view) {
    this.id = id;
    this.executor = executor;
    this.server = ForwardingServer.bind(new InetSocketAddress("127.0.0.1", 0), SECRET);
    CoordinatorConfig cfg = CoordinatorConfig.candidate(db, id, server.address()).withTimings(TIMINGS);
    this.lease = new LeaderLease(cfg, store, MonotonicClock.system(), InstantSource.system(), metrics, Runnable::run);
    server.start(new LeaderEndpoint(db, executor, requests, view.apply(lease), commitSeq, metrics,
        InstantSource.system()));
  }

  static ForwardNode sqlite(String db, String id, Path file) {
    return new ForwardNode(db, id, open(file), new io.hadb.engine.sqlite.SqliteRequestTable(), CommitSeqSource.none());
  }

  static SqliteExecutor open(Path file) {
    return SqliteExecutor.open(file, SqliteOptions.defaults());
  }

  ForwardNode claim() {
    lease.step();
    assertTrue(lease.isLeader(), id + " should lead after its step");
    return this;
  }

  void step() {
    lease.step();
  }

  static long count(Executor e, String table) {
    SqlValue v = e.query("SELECT count(*) FROM " + table, List.of()).rows().get(0).get(0);
    return ((SqlValue.Int) v).value();
  }

  long count(String table) {
    return count(executor, table);
  }

  @Override
  public void close() {
    server.close();
    lease.close();
    executor.close();
    store.close();
  }
}
