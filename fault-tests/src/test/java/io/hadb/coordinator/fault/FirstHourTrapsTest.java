package io.hadb.coordinator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.Versioned;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.lease.LeaseRecord;
import io.hadb.coordinator.lease.LeaseRecordCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traps a new user falls into in the first hour, each tried as that user would, with a real
 * {@code main} in a JVM of its own ({@link TrapNode}): a main that ends without closing the
 * database, a SIGTERM, a local file after a crash.
 */
class FirstHourTrapsTest {
  /** Liveness bound for a JVM to end by itself (a loaded machine), never a measurement. */
  static final Duration EXIT_BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<NodeProcess> started = new ArrayList<>();

  @AfterEach
  void killAll() {
    started.forEach(NodeProcess::close);
  }

  private String uri(String name) {
    return "file://" + dir.resolve(name).toAbsolutePath() + "?fsync=false";
  }

  private NodeProcess start(String id, String... args) throws Exception {
    NodeProcess n = NodeProcess.start(id, TrapNode.class, "-Xmx64m", List.of(), List.of(args));
    started.add(n);
    n.await("READY", EXIT_BOUND);
    return n;
  }

  private NodeProcess ha(String id, String end, boolean closeOnShutdown) throws Exception {
    return start(id, "ha", uri("leases"), uri("chain"), dir.resolve("app.db").toString(), end,
        Boolean.toString(closeOnShutdown));
  }

  private LeaseRecord leaseRecord() {
    String key = TrapNode.DATABASE + "/lease";
    try (LeaseStore s = LeaseStores.open(uri("leases"))) {
      Versioned v = s.read(key).orElseThrow();
      return LeaseRecordCodec.decode(key, v.version(), v.value());
    }
  }

  private static void assertExits(NodeProcess n, String why) throws InterruptedException {
    OptionalInt code = n.awaitExit(EXIT_BOUND);
    assertTrue(code.isPresent(), why + ": the JVM still runs " + EXIT_BOUND.toSeconds() + " s later\n" + n.describe());
  }

  @Test
  void aMainThatReturnsWithoutClosingEndsItsJvmAndHandsOverGracefully() throws Exception {
    NodeProcess n = ha("returns", "return", true);
    assertExits(n, "main returned with the database open (no library thread may keep the JVM alive)");
    assertTrue(leaseRecord().released(), "the shutdown close released the lease: a follower claims at once");
  }

  @Test
  void aMainThatThrowsWithoutClosingEndsItsJvmToo() throws Exception {
    NodeProcess n = ha("throws", "throw", true);
    assertExits(n, "main threw with the database open");
    assertEquals(1, n.awaitExit(EXIT_BOUND).getAsInt(), "the exit code of an uncaught exception");
    assertTrue(leaseRecord().released());
  }

  @Test
  void sigtermClosesGracefullyUnlessTheApplicationTurnedItOff() throws Exception {
    NodeProcess n = ha("term", "wait", true);
    n.terminate();
    assertExits(n, "SIGTERM");
    assertTrue(leaseRecord().released(), "SIGTERM ran the graceful hand-off");

    // Control: the same without the shutdown close leaves the lease held until its ttl runs out.
    NodeProcess m = ha("term-off", "wait", false);
    m.terminate();
    assertExits(m, "SIGTERM");
    assertFalse(leaseRecord().released(), "closeOnShutdown(false): no hand-off at shutdown");
  }

  @Test
  void aLocalFileReopensAfterAKillAndAfterASigterm() throws Exception {
    Path file = dir.resolve("dev.db");
    start("local-1", "local", file.toString(), "first").kill9();
    try (HaDatabase db = HaDatabase.local(file, TrapNode.SCHEMA)) {
      assertEquals(List.of(List.of(SqlValue.of("first"))), db.query("SELECT v FROM t ORDER BY id").rows(),
          "the row committed before the kill -9");
      db.execute("INSERT INTO t(v) VALUES (?)", "second");
    }
    NodeProcess n = start("local-2", "local", file.toString(), "third");
    n.terminate();
    assertExits(n, "SIGTERM");
    try (HaDatabase db = HaDatabase.local(file, TrapNode.SCHEMA)) {
      assertEquals(List.of(List.of(SqlValue.of("first")), List.of(SqlValue.of("second")), List.of(SqlValue.of("third"))),
          db.query("SELECT v FROM t ORDER BY id").rows());
    }
  }
}
