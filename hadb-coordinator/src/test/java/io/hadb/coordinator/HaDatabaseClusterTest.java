package io.hadb.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.lease.LeaseRecord;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.coordinator.metrics.MetricsSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three HaDatabase nodes in one JVM on the server-less file: lease store and file: storage, ttl
 * 1 s, SYNC: the first node leads, followers read its writes after a pull, a follower's write is
 * forwarded and applied once, a graceful close hands over to another node with every acknowledged
 * write present, and the schema ran once for the database.
 */
class HaDatabaseClusterTest {
  private static final String SCHEMA = """
      CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE meta(k TEXT); -- a non-idempotent statement: shows the script ran once
      INSERT INTO meta VALUES ('created; once');
      """;
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private final List<HaDatabase> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(HaDatabase::close);
  }

  private String uri(String name) {
    return "file://" + dir.resolve(name).toAbsolutePath() + "?fsync=false";
  }

  private HaDatabaseBuilder builder(String node) {
    return HaDatabase.builder()
        .database("orders")
        .nodeId(node)
        .secret("a-shared-secret-of-32-characters")
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(1)))
        .durability(Durability.SYNC)
        .environment(Map.of());
  }

  private HaDatabase node(String name) {
    HaDatabase db = builder(name).lease(uri("leases")).storage(uri("chain")).open(dir.resolve(name + ".db"), SCHEMA);
    open.add(db);
    return db;
  }

  private static long count(HaDatabase db, ReadConsistency c, String table) {
    return ((SqlValue.Int) db.query(c, "SELECT count(*) FROM " + table).rows().get(0).get(0)).value();
  }

  /** Polls {@code done} every 10 ms, failing after {@link #WAIT}; also used by {@link HaClientTest}. */
  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  private static long countOr(HaDatabase db, String table, long otherwise) {
    try {
      return count(db, ReadConsistency.LOCAL, table);
    } catch (RuntimeException e) {
      return otherwise; // the follower has not pulled the table yet
    }
  }

  @Test
  void electsForwardsReplicatesAndHandsOver() throws Exception {
    HaDatabase n1 = node("n1");
    await("n1 leads", () -> n1.role() == Role.LEADER);
    HaDatabase n2 = node("n2");
    HaDatabase n3 = node("n3");
    List<String> events = new CopyOnWriteArrayList<>();
    n2.addRoleListener((role, epoch) -> events.add("n2 " + role));
    n3.addRoleListener((role, epoch) -> events.add("n3 " + role));
    assertEquals(Role.FOLLOWER, n2.role());
    await("n2 read the lease record naming n1", () -> n2.leaderAddress().equals(java.util.Optional.of(n1.address())));

    n1.execute("INSERT INTO t(v) VALUES (?)", "from-leader");
    await("n2 pulled the leader's write", () -> countOr(n2, "t", -1) == 1);

    // A follower's write goes to the leader once; READ_YOUR_WRITES then sees it locally.
    assertEquals(1, n2.execute("INSERT INTO t(v) VALUES (?)", "from-follower").rowsAffected());
    assertEquals(2, count(n2, ReadConsistency.READ_YOUR_WRITES, "t"));
    assertEquals(2, count(n1, ReadConsistency.LOCAL, "t"), "applied once on the leader");
    assertEquals(2, count(n3, ReadConsistency.LEADER, "t"));
    n3.executeBatch(List.of(SqlStatement.of("INSERT INTO t(v) VALUES (?)", "batch-1"),
        SqlStatement.of("INSERT INTO t(v) VALUES (?)", "batch-2")));
    assertTrue(n3.metrics().snapshot().forwards() >= 1);
    assertEquals(4, count(n1, ReadConsistency.LOCAL, "t"));

    // A request id applies once whoever runs it, before and after the failover below.
    List<SqlStatement> once = List.of(SqlStatement.of("INSERT INTO t(v) VALUES (?)", "once"));
    assertEquals(1, n2.executeBatch("req-once", once).get(0).rowsAffected());
    assertEquals(1, n1.executeBatch("req-once", once).get(0).rowsAffected(), "the recorded result");
    assertEquals(5, count(n1, ReadConsistency.LOCAL, "t"));

    long epoch1 = n1.epoch();
    long closedAt = System.nanoTime();
    n1.close();
    await("n2 or n3 leads", () -> n2.role() == Role.LEADER || n3.role() == Role.LEADER);
    long takeoverMs = (System.nanoTime() - closedAt) / 1_000_000;
    System.out.println("graceful handoff: next leader accepting writes " + takeoverMs + " ms after close() began (ttl 1000 ms)");
    HaDatabase leader = n2.role() == Role.LEADER ? n2 : n3;
    HaDatabase follower = leader == n2 ? n3 : n2;
    assertTrue(leader.epoch() > epoch1, "a new term: " + leader.epoch() + " after " + epoch1);
    assertEquals(5, count(leader, ReadConsistency.LOCAL, "t"), "every acknowledged SYNC write survived");
    leader.executeBatch("req-once", once);
    follower.executeBatch("req-once", once);
    assertEquals(5, count(leader, ReadConsistency.LOCAL, "t"), "the retried request id applied nothing");
    assertEquals(1, count(leader, ReadConsistency.LOCAL, "meta"), "the schema ran once");
    assertTrue(events.contains((leader == n2 ? "n2" : "n3") + " LEADER"), events.toString());

    follower.execute("INSERT INTO t(v) VALUES (?)", "after-failover");
    leader.execute("INSERT INTO t(v) VALUES (?)", "on-new-leader");
    // READ_YOUR_WRITES promises this node's own write, not the leader's later one (that may still be in flight).
    assertEquals(List.of(List.of(SqlValue.of(1L))), follower.query(ReadConsistency.READ_YOUR_WRITES,
        "SELECT count(*) FROM t WHERE v = 'after-failover'").rows());
    await("the follower converged", () -> countOr(follower, "t", -1) == 7);
    assertEquals(List.of(List.of(SqlValue.of("from-leader")), List.of(SqlValue.of("from-follower")),
            List.of(SqlValue.of("batch-1")), List.of(SqlValue.of("batch-2")), List.of(SqlValue.of("once")),
            List.of(SqlValue.of("after-failover")), List.of(SqlValue.of("on-new-leader"))),
        follower.query(ReadConsistency.LOCAL, "SELECT v FROM t ORDER BY id").rows());
    assertTrue(leader.prometheusText().contains("node=\"" + (leader == n2 ? "n2" : "n3") + "\""));
    // Metrics fed by the facade: applied seq and lag on both sides, forwards on both sides.
    long head = leader.appliedSeq();
    await("the follower's metrics show the head", () -> follower.metrics().snapshot().appliedSeq() == head);
    MetricsSnapshot lm = leader.metrics().snapshot();
    assertEquals(head, lm.appliedSeq());
    assertEquals(0, lm.lagSeqs(), "a leader is the head");
    assertTrue(lm.forwards() >= 1, "the leader accepted the follower's forwarded write: " + lm);
    assertTrue(follower.metrics().snapshot().forwards() >= 1);
    assertTrue(leader.prometheusText().contains("\nhadb_applied_seq{db=\"orders\",node=\"" + (leader == n2 ? "n2" : "n3")
        + "\"} " + head + "\n"), leader.prometheusText());
    assertNotSame(leader, follower);
  }

  /**
   * A leader that loses its lease without closing (here another holder's record replaces it, as a
   * partition would) stops publishing, follows again, and the database keeps taking writes
   * through whichever node wins the next term; nothing acknowledged is lost.
   */
  @Test
  void aLeaderThatLosesItsLeaseFollowsAgainAndTheNextTermTakesWrites() throws Exception {
    HaDatabase n1 = node("n1");
    await("n1 leads", () -> n1.role() == Role.LEADER);
    HaDatabase n2 = node("n2");
    List<String> events = new CopyOnWriteArrayList<>();
    n1.addRoleListener((role, epoch) -> events.add(role + "@" + epoch));
    n1.execute("INSERT INTO t(v) VALUES (?)", "before");
    long epoch1 = n1.epoch();

    long stolenEpoch;
    try (var leases = LeaseStores.open(uri("leases"))) {
      var ghost = new LeaseRecord("ghost", "", Duration.ofSeconds(1), false, 0, 42, 1, System.currentTimeMillis());
      // The leader renews every ttl / 3: a renewal between the read and the write wins the race; read again.
      io.hadb.api.CasResult cas = null;
      for (int attempt = 0; attempt < 20 && (cas == null || !cas.isWon()); attempt++) {
        var current = leases.read("orders/lease").orElseThrow();
        cas = leases.compareAndSet("orders/lease", current.version(),
            io.hadb.coordinator.lease.LeaseRecordCodec.encode(ghost));
      }
      assertTrue(cas.isWon(), "the ghost's record replaced the leader's");
      stolenEpoch = cas.version();
    }
    await("n1 follows again", () -> events.contains(Role.FOLLOWER + "@" + epoch1));
    await("a node leads a term after the ghost's", () -> (n1.role() == Role.LEADER || n2.role() == Role.LEADER)
        && Math.max(n1.epoch(), n2.epoch()) > stolenEpoch);
    n1.execute("INSERT INTO t(v) VALUES (?)", "via-n1");
    n2.execute("INSERT INTO t(v) VALUES (?)", "via-n2");
    assertEquals(3, count(n1, ReadConsistency.LEADER, "t"));
    await("both copies converged", () -> countOr(n1, "t", -1) == 3 && countOr(n2, "t", -1) == 3);
    assertEquals(1, count(n2, ReadConsistency.LOCAL, "meta"), "the schema ran once across both terms");
  }

  /**
   * Another writer's seal takes the leader's next seq (as a new leader's would): the leader's
   * SYNC write is not acknowledged (UNKNOWN_OUTCOME: committed locally, never in the chain), it
   * steps down and releases, the other node leads, and the unacknowledged row is nowhere.
   */
  @Test
  void aLeaderFencedOutOfTheChainStepsDownAndTheOtherNodeTakesOver() throws Exception {
    HaDatabase n1 = node("n1");
    await("n1 leads", () -> n1.role() == Role.LEADER);
    HaDatabase n2 = node("n2");
    List<String> dropped = new CopyOnWriteArrayList<>();
    n1.addRoleListener(new RoleListener() {
      @Override
      public void roleChanged(Role role, long epoch) {}

      @Override
      public void commitsDropped(long epoch, long count) {
        dropped.add(epoch + ":" + count);
      }
    });
    n1.execute("INSERT INTO t(v) VALUES (?)", "acknowledged");
    assertEquals(0, n1.metrics().snapshot().droppedCommits());
    long fencedEpoch = n1.epoch();
    try (var chain = StorageBackends.open(uri("chain"));
        var outsider = io.hadb.api.engine.Engines.find("sqlite").open(dir.resolve("outsider.db"), chain, "orders/",
            io.hadb.api.engine.EngineOptions.defaults())) {
      assertTrue(outsider.replicator().seal(n1.epoch(), n1.appliedSeq() + 1));
    }
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.hadb.api.HadbException.class,
        () -> n1.execute("INSERT INTO t(v) VALUES (?)", "fenced"));
    assertEquals(io.hadb.api.ErrorCode.UNKNOWN_OUTCOME, e.code(), e.getMessage());
    await("n2 leads", () -> n2.role() == Role.LEADER);
    n1.execute("INSERT INTO t(v) VALUES (?)", "forwarded");
    List<List<SqlValue>> expected = List.of(List.of(SqlValue.of("acknowledged")), List.of(SqlValue.of("forwarded")));
    assertEquals(expected, n2.query(ReadConsistency.LOCAL, "SELECT v FROM t ORDER BY id").rows());
    await("n1 rebuilt its copy from the chain", () -> countOr(n1, "t", -1) == 2);
    assertEquals(expected, n1.query(ReadConsistency.LOCAL, "SELECT v FROM t ORDER BY id").rows());
    // The fenced commit was local only (its seq went to the seal): the demotion reports it dropped.
    assertEquals(1, n1.metrics().snapshot().droppedCommits(), "the one unpublished local commit");
    assertTrue(n1.prometheusText().contains("\nhadb_dropped_commits_total{db=\"orders\",node=\"n1\"} 1\n"),
        n1.prometheusText());
    await("the listener heard of it", () -> !dropped.isEmpty());
    assertEquals(List.of(fencedEpoch + ":1"), dropped);
    assertEquals(0, n2.metrics().snapshot().droppedCommits());
    assertEquals(1, n1.metrics().snapshot().fencedWrites(), "the write the chain refused");
    assertTrue(n1.prometheusText().contains("\nhadb_fenced_writes_total{db=\"orders\",node=\"n1\"} 1\n"));
  }

  @Test
  void theLeaderPrunesRequestIdsOlderThanTheRetention() throws Exception {
    HaDatabase n1 = builder("n1").lease(uri("leases")).storage(uri("chain"))
        .requestRetention(Duration.ofMillis(300)).open(dir.resolve("n1.db"), SCHEMA);
    open.add(n1);
    await("n1 leads", () -> n1.role() == Role.LEADER);
    n1.executeBatch("old-request", List.of(SqlStatement.of("INSERT INTO t(v) VALUES ('x')")));
    assertTrue(count(n1, ReadConsistency.LOCAL, "_hadb_requests") > 0, "the id was recorded");
    await("the record was pruned", () -> countOr(n1, "_hadb_requests", -1) == 0);
  }

  @Test
  void urisComeFromTheEnvironmentWhenTheBuilderHasNone() throws Exception {
    HaDatabase db = builder("env")
        .environment(Map.of(LeaseStores.ENV, uri("leases"), StorageBackends.ENV, uri("chain")))
        .open(dir.resolve("env.db"), SCHEMA);
    open.add(db);
    await("the only node leads", () -> db.role() == Role.LEADER);
    db.execute("INSERT INTO t(v) VALUES ('x')");
    assertEquals(1, count(db, ReadConsistency.LOCAL, "t"));
    assertEquals(1, count(db, ReadConsistency.LOCAL, "meta"));
  }
}
