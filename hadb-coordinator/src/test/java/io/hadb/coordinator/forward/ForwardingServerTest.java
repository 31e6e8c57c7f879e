package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's endpoint and the client against one real SQLite leader on lease-mem. */
class ForwardingServerTest {
  static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
  static final ForwardingOptions FAST = ForwardingOptions.defaults()
      .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).withMaxAttempts(4);

  @TempDir Path dir;
  final String db = "fwd-" + UUID.randomUUID();
  final List<AutoCloseable> closing = new ArrayList<>();
  final CoordinatorMetrics clientMetrics = new CoordinatorMetrics();

  ForwardNode leader(String id) {
    ForwardNode n = ForwardNode.sqlite(db, id, dir.resolve(id + ".db"));
    closing.add(n);
    n.executor.execute(SCHEMA, List.of());
    return n;
  }

  ForwardingClient client(ForwardNode any, ForwardingSecret secret, ForwardingOptions options) {
    return new ForwardingClient(db, LeaderLocator.fromLeaseStore(any.store, db), secret, options, clientMetrics);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  static SqlStatement insert(String v) {
    return SqlStatement.of("INSERT INTO t(v) VALUES (?)", v);
  }

  @Test
  void aRetryWithTheSameIdIsAnsweredFromTheTableAndAppliedOnce() {
    ForwardNode a = leader("a").claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST);
    String id = ForwardingClient.newRequestId();
    ForwardedWrite first = c.executeBatch(id, List.of(insert("x"), insert("y")));
    ForwardedWrite again = c.executeBatch(id, List.of(insert("x"), insert("y")));
    assertFalse(first.replayed());
    assertTrue(again.replayed(), "the second call with the same id must be answered from the table");
    assertEquals(first.results(), again.results());
    assertEquals(2, a.count("t"), "applied once");
    assertEquals(List.of(new ExecResult(1, 1), new ExecResult(1, 2)), first.results());
    assertEquals(2, a.metrics.snapshot().forwards(), "the leader counts both accepted forwards");
    assertEquals(2, clientMetrics.snapshot().forwards());
  }

  @Test
  void recordedResultsEqualWhatTheExecutorReportsLocallyForDmlAndDdl() {
    ForwardNode a = leader("a").claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST);
    List<SqlStatement> batch = List.of(
        SqlStatement.of("INSERT INTO t(v) VALUES ('a'), ('b'), ('c')"),
        SqlStatement.of("UPDATE t SET v = v || '!' WHERE id < 3"),
        SqlStatement.of("CREATE TABLE u(x)"),
        SqlStatement.of("DELETE FROM t WHERE id = 99"),
        SqlStatement.of("CREATE TRIGGER tr AFTER INSERT ON u BEGIN INSERT INTO t(v) VALUES ('trig'); END"),
        SqlStatement.of("INSERT INTO u VALUES (1)"),
        SqlStatement.of("UPDATE t SET v = 'z'"));
    String id = ForwardingClient.newRequestId();
    ForwardedWrite first = c.executeBatch(id, batch);
    ForwardedWrite replay = c.executeBatch(id, batch);

    List<ExecResult> local;
    try (Executor plain = ForwardNode.open(dir.resolve("plain.db"))) {
      plain.execute(SCHEMA, List.of());
      local = plain.executeBatch(batch);
    }
    assertEquals(first.results(), replay.results(), "a replay answers exactly what the first call did");
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).sql().startsWith("CREATE")) {
        // SQLite's changes() is not reset by DDL; the executor reports that stale count, the
        // request table records 0 (nothing changed), which is what the statement did.
        assertEquals(0, first.results().get(i).rowsAffected(), "statement " + i);
        assertEquals(local.get(i).lastInsertId(), first.results().get(i).lastInsertId(), "statement " + i);
      } else {
        assertEquals(local.get(i), first.results().get(i), "statement " + i + " as a local run reports it");
      }
    }
    assertTrue(replay.replayed());
  }

  @Test
  void sqlErrorsComeBackWithTheLocalCodeAndStatementIndexAndAreNeverRetried() {
    ForwardNode a = leader("a").claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST);
    List<SqlStatement> batch = List.of(insert("ok"), SqlStatement.of("INSERT INTO missing VALUES (1)"));
    String id = ForwardingClient.newRequestId();
    ForwardedSqlException e = assertThrows(ForwardedSqlException.class, () -> c.executeBatch(id, batch));
    assertTrue(new io.hadb.engine.sqlite.SqliteRequestTable().lookup(a.executor, id).isEmpty(),
        "the record is rolled back with the statements: it lives in their transaction");
    HadbException local = assertThrows(HadbException.class,
        () -> a.executor.execute("INSERT INTO missing VALUES (1)", List.of()));
    assertEquals(local.code(), e.code());
    assertEquals(ErrorCode.SQL_ERROR, e.code());
    assertEquals(1, e.statementIndex().orElseThrow());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
    assertEquals(1, a.server.requestsReceived(), "an SQL error is not retried");
    assertEquals(0, a.count("t"), "the batch is atomic: its first statement is undone too");

    // One statement: index 0. And a constraint error maps the same way.
    a.executor.execute("INSERT INTO t(id, v) VALUES (7, 'x')", List.of());
    ForwardedSqlException dup = assertThrows(ForwardedSqlException.class,
        () -> c.execute("INSERT INTO t(id, v) VALUES (7, 'y')", List.of()));
    assertEquals(ErrorCode.SQL_ERROR, dup.code());
    assertEquals(0, dup.statementIndex().orElseThrow());
    assertEquals(2, a.server.requestsReceived());
  }

  @Test
  void negativeControlTheRequestCounterSeesRetriesOfATransientError() {
    ForwardNode a = leader("a").claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST);
    a.executor.close(); // every call now fails with CLOSED: 503 UNAVAILABLE, refused before it ran, retryable
    HadbException e = assertThrows(HadbException.class, () -> c.execute("INSERT INTO t(v) VALUES ('x')", List.of()));
    assertEquals(FAST.maxAttempts(), a.server.requestsReceived(), "a transient error is retried up to the bound");
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), "every attempt was refused before it ran: " + e.getMessage());
  }

  @Test
  void aWrongOrMissingSecretGets401WithoutDetailAndIsNotRetried() throws Exception {
    ForwardNode a = leader("a").claim();
    ForwardingSecret wrong = ForwardingSecret.of("not-the-shared-secret-98765");
    ForwardingClient c = client(a, wrong, FAST);
    HadbException e = assertThrows(HadbException.class, () -> c.execute("INSERT INTO t(v) VALUES ('x')", List.of()));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-shared-secret"), "the secret never appears in an error");
    assertFalse(wrong.toString().contains("not-the-shared"), "nor in toString");
    assertEquals(1, a.server.requestsReceived());

    HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(a.server.address() + ForwardingServer.PATH))
        .POST(HttpRequest.BodyPublishers.ofString("anything"));
    HttpResponse<String> missing = raw.send(post.build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> garbage = raw.send(post.header(ForwardingSecret.HEADER, "00".repeat(32)).build(),
        HttpResponse.BodyHandlers.ofString());
    for (HttpResponse<String> r : List.of(missing, garbage)) {
      assertEquals(401, r.statusCode());
      assertEquals("unauthorized\n", r.body(), "no detail on why");
    }
    assertEquals(0, a.count("t"));
  }

  @Test
  void aMalformedBodyWithAValidSignatureIsABadRequestNamingTheProblem() throws Exception {
    ForwardNode a = leader("a").claim();
    byte[] body = "HF\u0001\u0001\u0000\u0005abc".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(a.server.address() + ForwardingServer.PATH))
            .header(ForwardingServer.DATABASE_HEADER, db)
            .header(ForwardingSecret.HEADER, ForwardNode.SECRET.sign(db, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("code=INVALID_ARGUMENT"), r.body());
    assertTrue(r.body().contains("request id"), r.body());
  }

  @Test
  void leaderReadsAreForwardedAndMutatingReadsRefused() {
    ForwardNode a = leader("a").claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST);
    c.execute("INSERT INTO t(v) VALUES (?)", List.of(SqlValue.of(new byte[] {1, 2})));
    var q = c.query("SELECT id, v, 1.5, NULL FROM t", List.of());
    assertEquals(List.of("id", "v", "1.5", "NULL"), q.columns());
    assertEquals(List.of(List.of(SqlValue.of(1), SqlValue.of(new byte[] {1, 2}), SqlValue.of(1.5), SqlValue.NULL)),
        q.rows());
    ForwardedSqlException e = assertThrows(ForwardedSqlException.class,
        () -> c.query("INSERT INTO t(v) VALUES ('x') RETURNING id", List.of()));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertEquals(1, a.count("t"));
  }

  @Test
  void pruningForgetsOnlyRecordsOlderThanTheCutoff() {
    ForwardNode a = leader("a").claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST);
    String old = ForwardingClient.newRequestId();
    c.executeBatch(old, List.of(insert("old")));
    long cutoff = System.currentTimeMillis() + 1;
    io.hadb.engine.sqlite.SqliteRequestTable table = new io.hadb.engine.sqlite.SqliteRequestTable();
    assertEquals(2, table.prune(a.executor, cutoff), "the header and the one result row");
    assertTrue(table.lookup(a.executor, old).isEmpty());
    assertFalse(c.executeBatch(old, List.of(insert("old"))).replayed(), "a pruned id is applied again");
    assertEquals(2, a.count("t"));
    assertEquals(0, table.prune(a.executor, 0));
    assertTrue(table.lookup(a.executor, old).isPresent());
  }

  @Test
  void aNodeTakingOverAnswers421NamingItselfAndAWriteWaitsThereUntilItAccepts() throws Exception {
    java.util.concurrent.atomic.AtomicLong accepting = new java.util.concurrent.atomic.AtomicLong();
    ForwardNode a = new ForwardNode(db, "a", ForwardNode.open(dir.resolve("a.db")), new io.hadb.engine.sqlite.SqliteRequestTable(),
        CommitSeqSource.none(), lease -> LeaderView.whenAccepting(lease, accepting::get));
    closing.add(a);
    a.executor.execute(SCHEMA, List.of());
    a.claim();
    long epoch = a.lease.term().orElseThrow().epoch();
    HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a.server.address()
        + ForwardingServer.PATH)).POST(HttpRequest.BodyPublishers.ofByteArray(signedWrite()))
            .header(ForwardingServer.DATABASE_HEADER, db)
            .header(ForwardingSecret.HEADER, ForwardNode.SECRET.sign(db, signedWrite())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(421, raw.statusCode(), raw.body());
    assertEquals(a.server.address(), raw.headers().firstValue(ForwardingServer.LEADER_HEADER).orElseThrow(),
        "lease won, promotion unfinished: it names itself, so clients wait for it");
    assertEquals(Long.toString(epoch), raw.headers().firstValue(ForwardingServer.EPOCH_HEADER).orElseThrow());
    assertTrue(raw.body().contains("taking over"), raw.body());

    ForwardingClient c = client(a, ForwardNode.SECRET, ForwardingOptions.defaults()
        .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20)));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var call = pool.submit(() -> c.execute("INSERT INTO t(v) VALUES ('x')", List.of()));
      while (a.server.requestsReceived() < 4) {
        Thread.sleep(5); // the client keeps asking a while the promotion runs
      }
      assertEquals(0, a.count("t"));
      accepting.set(epoch); // promotion reached ACCEPTING_WRITES
      assertEquals(1, call.get(30, java.util.concurrent.TimeUnit.SECONDS).results().get(0).rowsAffected());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, a.count("t"));
    assertTrue(a.metrics.snapshot().fencedWrites() >= 4, "every early attempt was refused before it ran");
  }

  private static byte[] signedWrite() {
    return io.hadb.coordinator.forward.internal.Wire.encodeRequest(new io.hadb.coordinator.forward.internal.ForwardRequest(
        io.hadb.coordinator.forward.internal.ForwardRequest.Kind.WRITE, "raw-1", List.of(insert("raw"))));
  }

  /**
   * The commit is in the leader's file, its durability unconfirmed (its publisher stopped): the
   * answer is UNKNOWN_OUTCOME, never 421 (which says "not applied"), and it is counted. The
   * same id later, once the leader can confirm, is answered from the table: applied once.
   */
  @Test
  void aWriteCommittedButNotConfirmedDurableIsAnsweredUnknownOutcomeNot421() {
    java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(false);
    CommitSeqSource seq = () -> {
      if (!publishing.get()) {
        throw HadbException.notLeader("this node stopped publishing with the commit not in the chain", null);
      }
      return 7;
    };
    ForwardNode a = new ForwardNode(db, "a", ForwardNode.open(dir.resolve("a.db")),
        new io.hadb.engine.sqlite.SqliteRequestTable(), seq);
    closing.add(a);
    a.executor.execute(SCHEMA, List.of());
    a.claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST.withMaxAttempts(2));
    String id = ForwardingClient.newRequestId();
    HadbException e = assertThrows(HadbException.class, () -> c.executeBatch(id, List.of(insert("maybe"))));
    assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(id), "names the id to retry with: " + e.getMessage());
    assertEquals(1, a.count("t"), "it did commit on the leader");
    assertEquals(2, a.metrics.snapshot().unconfirmedWrites(), "both attempts were answered UNKNOWN_OUTCOME");
    assertEquals(0, a.metrics.snapshot().fencedWrites(), "no 421");

    publishing.set(true);
    ForwardedWrite retry = c.executeBatch(id, List.of(insert("maybe")));
    assertTrue(retry.replayed());
    assertEquals(7, retry.seq());
    assertEquals(1, a.count("t"), "applied once");
  }

  /**
   * The port sets TCP_NODELAY on each connection itself; the JDK HTTP server it replaced could
   * only take it from a system property. A forwarding server leaves the host application's
   * properties as they were.
   */
  @Test
  void aForwardingServerLeavesTheJvmsSystemPropertiesAsItFoundThem() {
    java.util.Properties before = (java.util.Properties) System.getProperties().clone();
    leader("a").claim();
    assertEquals(null, System.getProperty("sun.net.httpserver.nodelay"));
    assertEquals(before, System.getProperties());
  }

  @Test
  void concurrentRetriesOfOneIdApplyItOnce() throws Exception {
    ForwardNode a = leader("a").claim();
    ForwardingClient c = client(a, ForwardNode.SECRET, FAST);
    String id = ForwardingClient.newRequestId();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<ForwardedWrite>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(() -> c.executeBatch(id, List.of(insert("once")))));
      }
      int fresh = 0;
      for (var f : calls) {
        fresh += f.get(30, java.util.concurrent.TimeUnit.SECONDS).replayed() ? 0 : 1;
      }
      assertEquals(1, fresh, "exactly one call applied it");
      assertEquals(1, a.count("t"));
    } finally {
      pool.shutdownNow();
    }
  }
}
