package io.hadb.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.ForwardingSecret;
import io.hadb.coordinator.forward.ForwardingServer;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.coordinator.threads.SharedThreads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes in one JVM, each hosting the same databases (DESIGN §9), on the server-less file:
 * lease store and file: storage: one port per node for all of them, the node's threads bounded
 * whatever the number of databases, a follower's write forwarded to the leading node by database
 * name, a database closed and reopened without disturbing the others.
 */
class HaNodeTest {
  private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
  private static final String SECRET = "a-shared-secret-of-32-characters";
  private static final int DATABASES = Integer.getInteger("hadb.node.databases", 24);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<HaNode> nodes = new ArrayList<>();

  @AfterEach
  void closeAll() {
    nodes.forEach(HaNode::close);
  }

  private HaNode node(String id) {
    String leases = "file://" + dir.resolve("leases").toAbsolutePath() + "?fsync=false";
    String chain = "file://" + dir.resolve("chain").toAbsolutePath() + "?fsync=false";
    HaNode n = HaDatabase.builder()
        .nodeId(id)
        .secret(SECRET)
        .lease(leases)
        .storage(chain)
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(2)))
        .durability(Durability.SYNC)
        .closeOnShutdown(false)
        .environment(Map.of())
        .openNode();
    nodes.add(n);
    return n;
  }

  private Path file(String node, int i) {
    return dir.resolve(node + "-db" + i + ".db");
  }

  /** Threads the node and its databases' engines run, by name. */
  private static Set<String> hadbThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("hadb-"))
        .collect(Collectors.toSet());
  }

  @Test
  void manyDatabasesShareOnePortAndABoundedSetOfThreads() {
    HaNode a = node("a");
    List<HaDatabase> led = new ArrayList<>();
    for (int i = 0; i < DATABASES; i++) {
      led.add(a.open("db" + i, file("a", i), SCHEMA));
    }
    for (HaDatabase db : led) {
      db.awaitReady(WAIT);
      assertEquals(Role.LEADER, db.role(), db + " has no other node to share with");
      assertEquals(a.address(), db.address(), "every database of a node is served on the node's one port");
    }
    HaNode b = node("b");
    List<HaDatabase> following = new ArrayList<>();
    for (int i = 0; i < DATABASES; i++) {
      following.add(b.open("db" + i, file("b", i), SCHEMA));
    }
    for (int i = 0; i < DATABASES; i++) {
      HaDatabase f = following.get(i);
      f.awaitReady(WAIT);
      assertEquals(Role.FOLLOWER, f.role());
      assertEquals(a.address(), f.leaderAddress().orElseThrow());
      f.execute("INSERT INTO t(v) VALUES (?)", "from b to db" + i); // forwarded to a, routed by name
      assertEquals(1L, count(led.get(i), ReadConsistency.LOCAL), "db" + i + " got only its own write");
      assertEquals(1L, count(f, ReadConsistency.READ_YOUR_WRITES));
    }
    Set<String> threads = hadbThreads();
    // Per node: the timer, the workers, two callback threads, the port's selector and its handlers,
    // the engines' shared shipping and snapshot pools.
    int perNode = 1 + HaDatabaseBuilder.WORKER_THREADS + 2 + 1 + HaDatabaseBuilder.HANDLER_THREADS
        + SharedThreads.SHIPPING_THREADS + SharedThreads.SNAPSHOT_THREADS;
    assertTrue(threads.size() <= 2 * perNode, "two nodes of " + DATABASES + " databases each run "
        + threads.size() + " threads (at most " + 2 * perNode + " whatever the count): " + threads);
    assertTrue(threads.stream().noneMatch(n -> n.startsWith("hadb-ship-") || n.startsWith("hadb-snapshot-")),
        "no leader ships or snapshots on a thread of its own: " + threads);
  }

  @Test
  void aDatabaseClosesAndReopensWithoutDisturbingTheOthers() {
    HaNode a = node("a");
    HaDatabase one = a.open("one", file("a", 1), SCHEMA);
    HaDatabase two = a.open("two", file("a", 2), SCHEMA);
    one.awaitReady(WAIT);
    two.awaitReady(WAIT);
    HadbException twice = assertThrows(HadbException.class, () -> a.open("one", file("a", 3), SCHEMA));
    assertEquals(ErrorCode.INVALID_ARGUMENT, twice.code());
    assertTrue(twice.getMessage().contains("'one' is open on this node already"), twice.getMessage());
    one.execute("INSERT INTO t(v) VALUES ('before')");
    one.close();
    assertEquals(Set.of("two"), a.databases());
    two.execute("INSERT INTO t(v) VALUES ('still served')");
    HaDatabase again = a.open("one", file("a", 1), SCHEMA);
    again.awaitReady(WAIT);
    assertEquals(1L, count(again, ReadConsistency.LOCAL), "the reopened copy holds what was written before");
    assertEquals(new HashSet<>(List.of("one", "two")), a.databases());
    a.close();
    assertThrows(HadbException.class, () -> two.execute("INSERT INTO t(v) VALUES ('after')"),
        "closing the node closes its databases");
    HadbException closed = assertThrows(HadbException.class, () -> a.open("three", file("a", 4), SCHEMA));
    assertEquals(ErrorCode.CLOSED, closed.code());
  }

  @Test
  void theNodePortRefusesADatabaseItDoesNotHost() throws Exception {
    HaNode a = node("a");
    a.open("hosted", file("a", 1), SCHEMA).awaitReady(WAIT);
    byte[] body = "anything".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(a.address() + ForwardingServer.PATH))
        .header(ForwardingServer.DATABASE_HEADER, "elsewhere")
        .header(ForwardingSecret.HEADER, ForwardingSecret.of(SECRET).sign("elsewhere", body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(421, r.statusCode(), r.body());
    assertTrue(r.body().contains("code=NOT_LEADER") && r.body().contains("does not host database elsewhere"),
        r.body());
    assertFalse(r.headers().firstValue(ForwardingServer.LEADER_HEADER).isPresent(), "no leader to name");
  }

  private static long count(HaDatabase db, ReadConsistency c) {
    return ((SqlValue.Int) db.query(c, "SELECT count(*) FROM t").rows().get(0).get(0)).value();
  }
}
