package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlStatement;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's retries across leader changes, lost answers, dead and hanging leaders, on real
 * SQLite files, a real lease (lease-mem) and real HTTP on loopback.
 */
class FailoverForwardingTest {
  static final String SCHEMA = ForwardingServerTest.SCHEMA;
  static final ForwardingOptions RETRYING = ForwardingOptions.defaults()
      .withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).withMaxAttempts(5);

  @TempDir Path dir;
  final String db = "failover-" + UUID.randomUUID();
  final List<AutoCloseable> closing = new ArrayList<>();
  final ExecutorService pool = Executors.newCachedThreadPool();
  final CoordinatorMetrics clientMetrics = new CoordinatorMetrics();

  @AfterEach
  void close() throws Exception {
    pool.shutdownNow();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  <T extends AutoCloseable> T closeLater(T c) {
    closing.add(c);
    return c;
  }

  ForwardNode node(String id, java.util.function.Function<Path, io.hadb.api.engine.Executor> open) {
    ForwardNode n = closeLater(new ForwardNode(db, id, open.apply(dir.resolve(id + ".db")),
        new io.hadb.engine.sqlite.SqliteRequestTable(), CommitSeqSource.none()));
    n.executor.execute(SCHEMA, List.of());
    return n;
  }

  ForwardNode node(String id) {
    return node(id, ForwardNode::open);
  }

  /** A locator on the real lease record that counts how often it was asked. */
  static final class CountingLocator implements LeaderLocator {
    final LeaderLocator inner;
    final AtomicInteger calls = new AtomicInteger();

    CountingLocator(LeaderLocator inner) {
      this.inner = inner;
    }

    @Override
    public Optional<LeaderAddress> leader() {
      calls.incrementAndGet();
      return inner.leader();
    }
  }

  ForwardingClient client(LeaderLocator locator, ForwardingOptions options) {
    return new ForwardingClient(db, locator, ForwardNode.SECRET, options, clientMetrics);
  }

  ForwardingClient client(ForwardNode any) {
    return client(LeaderLocator.fromLeaseStore(any.store, db), RETRYING);
  }

  record FailoverOutcome(ForwardedWrite answer, long rowsOnNewLeader, List<ExecResult> firstResultsOnOldLeader) {}

  /**
   * Leader A commits a write and dies before answering; B, holding a copy of A's database (what
   * the chain would have replicated), takes the lease; the client's retry with the same request id
   * reaches B through the lease record.
   */
  FailoverOutcome failoverAfterCommitBeforeAnswer(RequestTable tableOnB) throws Exception {
    GatedExecutor gated = new GatedExecutor(ForwardNode.open(dir.resolve("a.db")));
    ForwardNode a = closeLater(new ForwardNode(db, "a", gated, new io.hadb.engine.sqlite.SqliteRequestTable(), CommitSeqSource.none()));
    a.executor.execute(SCHEMA, List.of());
    a.claim();
    ForwardingClient c = client(a);
    String id = ForwardingClient.newRequestId();
    gated.arm();
    Future<ForwardedWrite> call = pool.submit(() -> c.executeBatch(id,
        List.of(SqlStatement.of("INSERT INTO t(v) VALUES ('once')"), SqlStatement.of("UPDATE t SET v = v || '!'"))));
    gated.awaitApplied();
    List<ExecResult> recordedOnA = new io.hadb.engine.sqlite.SqliteRequestTable().lookup(gated.delegate, id).orElseThrow();

    a.lease.release();
    gated.delegate.close(); // checkpoints the WAL into a.db
    Path b = dir.resolve("b.db");
    for (String suffix : List.of("", "-wal", "-shm")) {
      Path from = dir.resolve("a.db" + suffix);
      if (Files.exists(from)) {
        Files.copy(from, dir.resolve("b.db" + suffix), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    ForwardNode nb = closeLater(new ForwardNode(db, "b", ForwardNode.open(b), tableOnB, CommitSeqSource.none())).claim();
    a.server.close(); // A dies mid-request: the client's connection drops without an answer
    gated.release();
    ForwardedWrite w = call.get(30, TimeUnit.SECONDS);
    return new FailoverOutcome(w, nb.count("t"), recordedOnA);
  }

  @Test
  void aRetryAfterFailoverIsAnsweredByTheNewLeaderFromTheReplicatedTableAndAppliedOnce() throws Exception {
    FailoverOutcome o = failoverAfterCommitBeforeAnswer(new io.hadb.engine.sqlite.SqliteRequestTable());
    assertEquals(1, o.rowsOnNewLeader(), "applied exactly once across the failover");
    assertTrue(o.answer().replayed(), "the new leader answered from the replicated request table");
    assertEquals(o.firstResultsOnOldLeader(), o.answer().results(), "the answer is what the old leader recorded");
  }

  @Test
  void negativeControlADedupTableThatIsNotReplicatedAppliesTheRetryTwice() throws Exception {
    FailoverOutcome o = failoverAfterCommitBeforeAnswer(new LocalOnlyRequestTable());
    assertEquals(2, o.rowsOnNewLeader(), "the checker must see the double apply of a broken leader");
    assertFalse(o.answer().replayed());
  }

  @Test
  void aFormerLeaderAnswers421WithTheHintAndWithoutAHintTheClientAsksTheLeaseRecord() {
    ForwardNode a = node("a").claim();
    ForwardNode b = node("b");
    ForwardNode c3 = node("c");
    CountingLocator locator = new CountingLocator(LeaderLocator.fromLeaseStore(a.store, db));
    ForwardingClient c = client(locator, RETRYING);
    c.execute("INSERT INTO t(v) VALUES ('on a')", List.of());
    assertEquals(Optional.of(a.server.address()), c.knownLeader());
    assertEquals(1, locator.calls.get(), "the first call discovers the leader");

    a.lease.release();
    b.claim();
    a.step(); // A now follows and has read B's record: its 421 carries B's address
    c.execute("INSERT INTO t(v) VALUES ('on b')", List.of());
    assertEquals(2, a.server.requestsReceived(), "the write went to the cached leader first");
    assertEquals(1, b.server.requestsReceived(), "then straight to the hinted one");
    assertEquals(1, a.metrics.snapshot().fencedWrites(), "A counts the write it refused");
    assertEquals(1, a.count("t"));
    assertEquals(1, b.count("t"));
    assertEquals(1, locator.calls.get(), "a hint needs no lease read");

    b.lease.release();
    c3.claim(); // B never reads again: it has no hint, the client must re-discover
    c.execute("INSERT INTO t(v) VALUES ('on c')", List.of());
    assertEquals(2, b.server.requestsReceived(), "B refused the write");
    assertEquals(1, b.metrics.snapshot().fencedWrites());
    assertEquals(2, locator.calls.get(), "a 421 without a hint re-reads the lease record");
    assertEquals(1, c3.count("t"), "the write reached C through the lease record");
    assertEquals(Optional.of(c3.server.address()), c.knownLeader());
    assertEquals(3, clientMetrics.snapshot().forwards());
  }

  @Test
  void aLeaderKilledMidRequestIsRetriedAFixedNumberOfTimesThenReportedAsUnknownOutcome() throws Exception {
    GatedExecutor gated = new GatedExecutor(ForwardNode.open(dir.resolve("a.db")));
    ForwardNode a = closeLater(new ForwardNode(db, "a", gated, new io.hadb.engine.sqlite.SqliteRequestTable(), CommitSeqSource.none()));
    a.executor.execute(SCHEMA, List.of());
    a.claim();
    CountingLocator locator = new CountingLocator(LeaderLocator.fromLeaseStore(a.store, db));
    ForwardingClient c = client(locator, RETRYING);
    gated.arm();
    String id = ForwardingClient.newRequestId();
    Future<ForwardedWrite> call = pool.submit(() -> c.executeBatch(id, List.of(SqlStatement.of(
        "INSERT INTO t(v) VALUES ('maybe')"))));
    gated.awaitApplied();
    a.server.close(); // the lease record still names A: every retry finds a closed port
    gated.release();
    java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> call.get(30, TimeUnit.SECONDS));
    HadbException h = (HadbException) e.getCause();
    assertEquals(ErrorCode.UNKNOWN_OUTCOME, h.code(), h.getMessage());
    assertTrue(h.getMessage().contains(id), "the error names the request id to retry with: " + h.getMessage());
    assertTrue(h.getMessage().contains("after " + RETRYING.maxAttempts() + " attempt(s)"),
        "one attempt that waited on the held commit, then refused connections, bounded: " + h.getMessage());
    assertEquals(1, ForwardNode.count(gated.delegate, "t"), "it was in fact applied, once");
  }

  @Test
  void nothingListeningFailsAsUnavailableAfterTheBoundedAttempts() {
    ForwardNode a = node("a").claim();
    CountingLocator locator = new CountingLocator(LeaderLocator.fromLeaseStore(a.store, db));
    a.server.close();
    HadbException e = assertThrows(HadbException.class,
        () -> client(locator, RETRYING).execute("INSERT INTO t(v) VALUES ('x')", List.of()));
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), "nothing was ever sent, so nothing can have been applied");
    assertTrue(e.getMessage().contains("after " + RETRYING.maxAttempts() + " attempt(s)"), e.getMessage());
    // One reading before each attempt; a slow refusal (a loaded machine) adds the looks of a waiting attempt.
    assertTrue(locator.calls.get() >= RETRYING.maxAttempts(), "lease readings: " + locator.calls.get());
    assertEquals(0, a.count("t"));
  }

  @Test
  void aLeaderThatNeverAnswersIsAbandonedAtTheDeadline() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      pool.submit(() -> {
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept()); // accept and never answer
          } catch (IOException e) {
            return null;
          }
        }
        return null;
      });
      String address = "http://127.0.0.1:" + silent.getLocalPort();
      Duration deadline = Duration.ofMillis(800);
      ForwardingOptions opts = RETRYING.withMaxAttempts(100).withDeadline(deadline);
      ForwardingClient c = client(() -> Optional.of(new LeaderAddress(address, 1)), opts);
      long t0 = System.nanoTime();
      HadbException w = assertThrows(HadbException.class, () -> c.execute("INSERT INTO t(v) VALUES ('x')", List.of()));
      long writeMs = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      HadbException r = assertThrows(HadbException.class, () -> c.query("SELECT 1", List.of()));
      long readMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("forwarding deadline %d ms: write gave up after %d ms, read after %d ms%n",
          deadline.toMillis(), writeMs, readMs);
      assertEquals(ErrorCode.UNKNOWN_OUTCOME, w.code(), "a write sent without answer may have applied: " + w.getMessage());
      assertEquals(ErrorCode.TIMEOUT, r.code(), r.getMessage());
      assertTrue(w.getMessage().contains("deadline"), w.getMessage());
      // A hang bound, not a timing measurement: without the deadline the call would wait 100 × 5 s.
      assertTrue(writeMs < deadline.toMillis() + 5_000, "write returned after " + writeMs + " ms");
      assertTrue(readMs < deadline.toMillis() + 5_000, "read returned after " + readMs + " ms");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /** A locator whose answers the test scripts: the given ones in turn, then the real lease record. */
  static LeaderLocator scripted(LeaderLocator real, List<LeaderAddress> first) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return () -> {
      int i = n.getAndIncrement();
      return i < first.size() ? Optional.of(first.get(i)) : real.leader();
    };
  }

  /** A socket that accepts connections and never answers: a frozen process, as far as a client can tell. */
  static final class FrozenLeader implements AutoCloseable {
    final ServerSocket socket;
    final List<Socket> held = new CopyOnWriteArrayList<>();

    FrozenLeader(ExecutorService pool) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      pool.submit(() -> {
        while (!socket.isClosed()) {
          try {
            held.add(socket.accept());
          } catch (IOException e) {
            return null;
          }
        }
        return null;
      });
    }

    String address() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aHintOfAnOlderTermThanTheLeaseNamesIsNotFollowed() {
    ForwardNode a = node("a");
    ForwardNode b = node("b").claim();
    a.step(); // A follows B: its 421 names B at B's epoch
    long epochB = b.lease.term().orElseThrow().epoch();
    // The lease record first claims a later term for A (as after A's re-election); A's hint is older.
    CountingLocator locator = new CountingLocator(scripted(LeaderLocator.fromLeaseStore(a.store, db),
        List.of(new LeaderAddress(a.server.address(), epochB + 5))));
    client(locator, RETRYING).execute("INSERT INTO t(v) VALUES ('x')", List.of());
    assertEquals(1, a.server.requestsReceived());
    assertEquals(2, locator.calls.get(), "the stale hint was not taken: the lease record was read again");
    assertEquals(1, b.count("t"), "and named the leader");
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void aFrozenLeaderIsLeftOnceTheLeaseNamesANewOneAndTheWriteAppliesThereOnce() throws Exception {
    ForwardNode b = node("b").claim();
    try (FrozenLeader frozen = new FrozenLeader(pool)) {
      java.util.concurrent.atomic.AtomicReference<LeaderAddress> lease =
          new java.util.concurrent.atomic.AtomicReference<>(new LeaderAddress(frozen.address(), 1));
      // Without the lease check the attempt would wait for its 60 s request timeout: past the test's 20 s.
      ForwardingOptions patient = ForwardingOptions.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
          .withRequestTimeout(Duration.ofSeconds(60)).withDeadline(Duration.ofSeconds(60));
      ForwardingClient c = client(() -> Optional.of(lease.get()), patient);
      Future<ForwardedWrite> call = pool.submit(() -> c.executeBatch("frozen-1",
          List.of(SqlStatement.of("INSERT INTO t(v) VALUES ('once')"))));
      while (frozen.held.isEmpty()) {
        Thread.sleep(5);
      }
      Thread.sleep(50); // the request is in flight to the frozen leader
      lease.set(new LeaderAddress(b.server.address(), 2)); // its lease moved on
      ForwardedWrite w = call.get(15, TimeUnit.SECONDS);
      assertFalse(w.replayed());
      assertEquals(1, b.count("t"));
      assertEquals(Optional.of(b.server.address()), c.knownLeader());
    }
  }

  @Test
  void aDeadLeaderIsWaitedOutUntilTheLeaseNamesItsSuccessor() {
    ForwardNode a = node("a").claim();
    String dead = a.server.address();
    a.server.close();
    ForwardNode b = node("b");
    a.lease.release();
    b.claim();
    CountingLocator locator = new CountingLocator(scripted(LeaderLocator.fromLeaseStore(a.store, db),
        java.util.Collections.nCopies(5, new LeaderAddress(dead, 1))));
    ForwardingClient c = client(locator, ForwardingOptions.defaults().withBackoff(Duration.ofMillis(1),
        Duration.ofMillis(5)));
    assertEquals(1, c.execute("INSERT INTO t(v) VALUES ('x')", List.of()).results().get(0).rowsAffected());
    assertTrue(locator.calls.get() >= 6, "five readings named the dead leader, a later one its successor: "
        + locator.calls.get());
    assertEquals(1, b.count("t"));
  }

  @Test
  void aRefusalAfterAnAttemptThatMayHaveAppliedIsStillUnknownOutcome() throws Exception {
    ForwardNode b = node("b").claim();
    List<SqlStatement> bad = List.of(SqlStatement.of("INSERT INTO missing(v) VALUES ('x')"));
    ForwardedSqlException direct = assertThrows(ForwardedSqlException.class,
        () -> client(b).executeBatch("direct", bad));
    assertEquals(ErrorCode.SQL_ERROR, direct.code(), "control: refused outright, nothing applied");

    try (FrozenLeader frozen = new FrozenLeader(pool)) {
      LeaderLocator locator = scripted(LeaderLocator.fromLeaseStore(b.store, db),
          List.of(new LeaderAddress(frozen.address(), 1)));
      ForwardingClient c = client(locator, RETRYING.withRequestTimeout(Duration.ofMillis(200)));
      HadbException e = assertThrows(HadbException.class, () -> c.executeBatch("after-a-timeout", bad));
      assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code(),
          "the unanswered first attempt may have applied, whatever the second says: " + e.getMessage());
      assertEquals(ErrorCode.SQL_ERROR, ((HadbException) e.getCause()).code());
    }
  }
}
