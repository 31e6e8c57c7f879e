package io.hadb.jdbc;

import io.hadb.api.Durability;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.lease.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Nodes of one replicated database in this JVM, on the server-less {@code file:} lease store and
 * {@code file:} storage, ttl 1 s, SYNC: the first node opened leads.
 */
final class Cluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  private final Path dir;
  private final String schema;
  private final List<HaDatabase> open = new ArrayList<>();

  Cluster(Path dir, String schema) {
    this.dir = dir;
    this.schema = schema;
  }

  private String uri(String name) {
    return "file://" + dir.resolve(name).toAbsolutePath() + "?fsync=false";
  }

  HaDatabase node(String name) {
    HaDatabase db = HaDatabase.builder()
        .database("app")
        .nodeId(name)
        .secret("a-shared-secret-of-32-characters")
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(1)))
        .durability(Durability.SYNC)
        .environment(Map.of())
        .closeOnShutdown(false)
        .lease(uri("leases"))
        .storage(uri("chain"))
        .open(dir.resolve(name + ".db"), schema);
    open.add(db);
    return db;
  }

  /** A leader and a follower that knows it, both ready. */
  HaDatabase[] leaderAndFollower() throws InterruptedException {
    HaDatabase leader = node("n1");
    await("n1 leads", () -> leader.role() == Role.LEADER);
    leader.awaitReady(WAIT);
    HaDatabase follower = node("n2");
    follower.awaitReady(WAIT);
    return new HaDatabase[] {leader, follower};
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    for (HaDatabase db : open) {
      db.close();
    }
  }
}
