package io.hadb.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.Engines;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.coordinator.testengine.HeldPullEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader pushed out of the chain (another writer's seal takes its next seq, as a new leader's
 * would) with a commit the chain never gets: its reads never show that commit, and a write with a
 * request id it could not confirm is carried to the next leader instead of failing.
 */
class DemotedLeaderTest {
  private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);";

  @TempDir Path dir;
  private final List<HaDatabase> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    HeldPullEngine.release();
    open.forEach(HaDatabase::close);
  }

  private String uri(String name) {
    return "file://" + dir.resolve(name).toAbsolutePath() + "?fsync=false";
  }

  private HaDatabase node(String name, String engine) {
    HaDatabase db = HaDatabase.builder().database("orders").nodeId(name).engine(engine)
        .secret("a-shared-secret-of-32-characters").timings(LeaseTimings.ofTtl(Duration.ofSeconds(1)))
        .durability(Durability.SYNC).environment(Map.of()).lease(uri("leases")).storage(uri("chain"))
        .open(dir.resolve(name + ".db"), SCHEMA);
    open.add(db);
    return db;
  }

  /** Another writer seals the chain at the leader's next seq: its next commit cannot reach the chain. */
  private void sealAhead(HaDatabase leader) {
    try (var chain = StorageBackends.open(uri("chain"));
        var outsider = Engines.find("sqlite").open(dir.resolve("outsider.db"), chain, "orders/",
            EngineOptions.defaults())) {
      assertTrue(outsider.replicator().seal(leader.epoch(), leader.appliedSeq() + 1));
    }
  }

  private static List<List<SqlValue>> rows(HaDatabase db, ReadConsistency c) {
    return db.query(c, "SELECT v FROM t ORDER BY id").rows();
  }

  @Test
  void whileItsRebuildRunsADemotedLeaderShowsNoReadTheCommitTheChainNeverGot() throws Exception {
    HaDatabase n1 = node("n1", HeldPullEngine.NAME);
    HaDatabaseClusterTest.await("n1 leads", () -> n1.role() == Role.LEADER);
    HaDatabase n2 = node("n2", "sqlite");
    n1.execute("INSERT INTO t(v) VALUES (?)", "acknowledged");
    HeldPullEngine.hold();
    sealAhead(n1);
    HadbException e = assertThrows(HadbException.class, () -> n1.execute("INSERT INTO t(v) VALUES (?)", "doomed"));
    assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code(), e.getMessage());
    HeldPullEngine.awaitHeldPull(); // n1 stopped publishing; the pull that rebuilds its file waits
    HaDatabaseClusterTest.await("n2 leads", () -> n2.role() == Role.LEADER);

    List<List<SqlValue>> chain = List.of(List.of(SqlValue.of("acknowledged")));
    for (ReadConsistency c : ReadConsistency.values()) {
      assertEquals(chain, rows(n1, c), c + " read on the demoted leader while its file still holds the doomed commit");
    }
    assertEquals(Role.FOLLOWER, n1.role());

    HeldPullEngine.release();
    HaDatabaseClusterTest.await("n1 rebuilt its file", () -> n1.metrics().snapshot().droppedCommits() == 1);
    assertEquals(chain, rows(n1, ReadConsistency.LOCAL), "after the rebuild the file itself is the chain's");
    assertEquals(chain, rows(n2, ReadConsistency.LOCAL));
  }

  @Test
  void aWriteWithAnIdItsLeaderCouldNotConfirmIsCarriedToTheNextLeaderAndAppliesOnce() throws Exception {
    HaDatabase n1 = node("n1", "sqlite");
    HaDatabaseClusterTest.await("n1 leads", () -> n1.role() == Role.LEADER);
    HaDatabase n2 = node("n2", "sqlite");
    n1.execute("INSERT INTO t(v) VALUES (?)", "acknowledged");
    sealAhead(n1);
    List<SqlStatement> write = List.of(SqlStatement.of("INSERT INTO t(v) VALUES (?)", "carried"));
    assertEquals(1, n1.executeBatch("req-carried", write).get(0).rowsAffected(),
        "committed on n1, unconfirmed there, then applied by the next leader under the same id");
    assertEquals(Role.LEADER, n2.role(), "n2 took over and answered");
    assertEquals(1, n1.metrics().snapshot().unconfirmedWrites(), "n1 could not confirm its commit");
    List<List<SqlValue>> expected = List.of(List.of(SqlValue.of("acknowledged")), List.of(SqlValue.of("carried")));
    assertEquals(expected, rows(n2, ReadConsistency.LOCAL), "in the chain once");
    assertEquals(1, n2.executeBatch("req-carried", write).get(0).rowsAffected(), "the id is known: replayed");
    assertEquals(expected, rows(n2, ReadConsistency.LOCAL));
    HaDatabaseClusterTest.await("n1 rebuilt from the chain", () -> rows(n1, ReadConsistency.LOCAL).equals(expected));
  }
}
