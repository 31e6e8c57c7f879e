package io.hadb.coordinator;

import static io.hadb.coordinator.HaDatabaseClusterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStores;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.lease.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HaClient} against two HaDatabase nodes in this JVM (file: lease store and file: storage,
 * ttl 1 s, SYNC): writes land once on the leader, reads see them, a retried request id applies
 * nothing, and after the leader's close() the client follows the new leader through the lease.
 */
class HaClientTest {
  private static final String SECRET = "a-shared-secret-of-32-characters";
  private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private String uri(String name) {
    return "file://" + dir.resolve(name).toAbsolutePath() + "?fsync=false";
  }

  private HaDatabase node(String name) {
    HaDatabase db = HaDatabase.builder().database("orders").nodeId(name).secret(SECRET)
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(1))).durability(Durability.SYNC).environment(Map.of())
        .lease(uri("leases")).storage(uri("chain")).open(dir.resolve(name + ".db"), SCHEMA);
    open.add(db);
    return db;
  }

  private HaClient client() {
    HaClient c = HaClient.builder().lease(uri("leases")).database("orders").secret(SECRET)
        .environment(Map.of()).open();
    open.add(c);
    return c;
  }

  private static long rows(HaClient c) {
    return ((SqlValue.Int) c.query("SELECT count(*) FROM t").rows().get(0).get(0)).value();
  }

  @Test
  void writesLandOnceReadsSeeThemAndTheClientFollowsTheNextLeader() throws Exception {
    HaDatabase n1 = node("n1");
    await("n1 leads", () -> n1.role() == Role.LEADER);
    HaDatabase n2 = node("n2");
    HaClient c = client();

    assertEquals(1, c.execute("INSERT INTO t(v) VALUES (?)", "one").rowsAffected());
    c.executeBatch(List.of(SqlStatement.of("INSERT INTO t(v) VALUES (?)", "two"),
        SqlStatement.of("INSERT INTO t(v) VALUES (?)", "three")));
    assertEquals(3, rows(c));
    assertEquals(3, ((SqlValue.Int) n1.query(ReadConsistency.LOCAL, "SELECT count(*) FROM t").rows().get(0).get(0))
        .value(), "applied once on the leader");
    assertEquals(n1.address(), c.leaderAddress().orElseThrow());
    List<SqlStatement> once = List.of(SqlStatement.of("INSERT INTO t(v) VALUES (?)", "once"));
    c.executeBatch("client-req-1", once);
    c.executeBatch("client-req-1", once);
    assertEquals(4, rows(c), "a retried request id applies nothing");
    var refused = assertThrows(HadbException.class, () -> c.query("DELETE FROM t"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code(), "a LEADER read may not write");

    n1.close();
    await("n2 leads", () -> n2.role() == Role.LEADER);
    c.execute("INSERT INTO t(v) VALUES (?)", "after-failover");
    assertEquals(n2.address(), c.leaderAddress().orElseThrow(), "the client found the new leader");
    assertNotEquals(n1.address(), n2.address());
    c.executeBatch("client-req-1", once);
    assertEquals(List.of(List.of(SqlValue.of("one")), List.of(SqlValue.of("two")), List.of(SqlValue.of("three")),
        List.of(SqlValue.of("once")), List.of(SqlValue.of("after-failover"))),
        c.query("SELECT v FROM t ORDER BY id").rows(), "every write once, in order, on the new leader");
    assertEquals(6, c.metrics().snapshot().forwards(), "six forwarded writes answered (replays included)");
    assertTrue(c.prometheusText().contains("\nhadb_forwards_total{db=\"orders\"} 6\n"), c.prometheusText());
  }

  @Test
  void missingOptionsFailAtOpenNamingWhatToSet() {
    var noDb = assertThrows(HadbException.class,
        () -> HaClient.builder().lease(uri("leases")).secret(SECRET).environment(Map.of()).open());
    assertTrue(noDb.getMessage().contains("database(name)"), noDb.getMessage());
    var noLease = assertThrows(HadbException.class,
        () -> HaClient.builder().database("orders").secret(SECRET).environment(Map.of()).open());
    assertTrue(noLease.getMessage().contains(LeaseStores.ENV), noLease.getMessage());
    var noSecret = assertThrows(HadbException.class,
        () -> HaClient.builder().database("orders").lease(uri("leases")).environment(Map.of()).open());
    assertTrue(noSecret.getMessage().contains(HaDatabaseBuilder.SECRET_ENV), noSecret.getMessage());
  }
}
