package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LOCAL, READ_YOUR_WRITES and LEADER reads of a follower whose copy lags: a real leader, a real
 * follower file that the test "applies" to by hand, and a fake applied-seq source.
 */
class ReadConsistencyTest {
  static final String COUNT = "SELECT count(*) FROM t";

  @TempDir Path dir;
  final String db = "reads-" + UUID.randomUUID();
  final AtomicLong leaderSeq = new AtomicLong(41);
  final FakeAppliedSeq applied = new FakeAppliedSeq();
  final ExecutorService pool = Executors.newCachedThreadPool();
  ForwardNode leader;
  Executor follower;
  ForwardingClient client;

  @BeforeEach
  void start() {
    leader = new ForwardNode(db, "leader", ForwardNode.open(dir.resolve("leader.db")), new io.hadb.engine.sqlite.SqliteRequestTable(),
        () -> leaderSeq.incrementAndGet()).claim();
    leader.executor.execute(ForwardingServerTest.SCHEMA, List.of());
    follower = ForwardNode.open(dir.resolve("follower.db"));
    follower.execute(ForwardingServerTest.SCHEMA, List.of());
    applied.seq.set(41);
    client = new ForwardingClient(db, LeaderLocator.fromLeaseStore(leader.store, db), ForwardNode.SECRET,
        ForwardingOptions.defaults(), new CoordinatorMetrics());
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    follower.close();
    leader.close();
  }

  static long count(QueryResult q) {
    return ((io.hadb.api.engine.SqlValue.Int) q.rows().get(0).get(0)).value();
  }

  /** What applying the changeset at {@code seq} does to the follower. */
  void apply(long seq) {
    follower.execute("INSERT INTO t(v) VALUES ('replicated')", List.of());
    applied.seq.set(seq);
  }

  @Test
  void readYourWritesWaitsUntilTheLocalCopyHasAppliedTheWritesSeq() throws Exception {
    FollowerSession s = new FollowerSession(follower, client, applied, Duration.ofSeconds(20));
    ForwardedWrite w = s.execute("INSERT INTO t(v) VALUES ('mine')", List.of());
    assertEquals(42, w.seq());
    assertEquals(42, s.lastWriteSeq());

    assertEquals(0, count(s.query(COUNT, List.of(), ReadConsistency.LOCAL)),
        "negative control: a LOCAL read on the lagging copy misses the write");
    assertEquals(1, count(s.query(COUNT, List.of(), ReadConsistency.LEADER)), "the leader has it");

    Future<QueryResult> ryw = pool.submit(() -> s.query(COUNT, List.of(), ReadConsistency.READ_YOUR_WRITES));
    Thread.sleep(100);
    assertFalse(ryw.isDone(), "the copy has not applied seq 42 yet");
    apply(42);
    assertEquals(1, count(ryw.get(20, TimeUnit.SECONDS)), "answered from the copy once it applied the write");
  }

  @Test
  void readYourWritesFailsWithTimeoutRatherThanAnswerFromACopyWithoutTheWrite() {
    FollowerSession s = new FollowerSession(follower, client, applied, Duration.ofMillis(150));
    s.execute("INSERT INTO t(v) VALUES ('mine')", List.of());
    HadbException e = assertThrows(HadbException.class, () -> s.query(COUNT, List.of(), ReadConsistency.READ_YOUR_WRITES));
    assertEquals(ErrorCode.TIMEOUT, e.code());
  }

  @Test
  void withoutASeqFromTheLeaderReadYourWritesReadsOnTheLeader() {
    ForwardNode noSeq = new ForwardNode(db + "-b", "b", ForwardNode.open(dir.resolve("b.db")),
        new io.hadb.engine.sqlite.SqliteRequestTable(), CommitSeqSource.none()).claim();
    try {
      noSeq.executor.execute(ForwardingServerTest.SCHEMA, List.of());
      ForwardingClient c = new ForwardingClient(db + "-b", LeaderLocator.fromLeaseStore(noSeq.store, db + "-b"),
          ForwardNode.SECRET, ForwardingOptions.defaults(), new CoordinatorMetrics());
      FollowerSession s = new FollowerSession(follower, c, applied, Duration.ofSeconds(5));
      assertEquals(0, s.execute("INSERT INTO t(v) VALUES ('mine')", List.of()).seq());
      assertEquals(1, count(s.query(COUNT, List.of(), ReadConsistency.READ_YOUR_WRITES)));
      assertEquals(2, noSeq.server.requestsReceived(), "the read went to the leader");
    } finally {
      noSeq.close();
    }
  }

  @Test
  void aSessionWithoutWritesReadsLocallyAtOnce() {
    FollowerSession s = new FollowerSession(follower, client, applied, Duration.ofMillis(1));
    assertEquals(0, count(s.query(COUNT, List.of(), ReadConsistency.READ_YOUR_WRITES)));
    assertEquals(0, leader.server.requestsReceived());
  }
}
