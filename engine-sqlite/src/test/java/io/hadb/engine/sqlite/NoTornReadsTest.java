package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import static io.hadb.engine.sqlite.ChainCheck.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §6.5 end to end: a leader makes random transfers between accounts and ships them; a
 * follower pulls and applies continuously while its readers check that the total never changes.
 *
 * <p>The leader runs in SYNC mode so every transfer is its own changeset. CI applies
 * {@value #CI_CHANGESETS}; {@code -Dhadb.noTornReads.changesets=10000} runs the long version
 * (DESIGN §6.5: 0 torn reads over 10,000 applies), e.g. {@code mvn -pl engine-sqlite test -Dtest=NoTornReadsTest
 * -Dhadb.noTornReads.changesets=10000}; add {@code -Dhadb.noTornReads.applyBatch=1} to make every
 * changeset its own apply.
 */
class NoTornReadsTest {
  static final int CI_CHANGESETS = 2_000;
  static final int ACCOUNTS = 50;
  static final long TOTAL = ACCOUNTS * 1000L;

  @TempDir Path dir;

  @Test
  void follower_readers_never_see_a_partial_transfer() throws Exception {
    int changesets = Integer.getInteger("hadb.noTornReads.changesets", CI_CHANGESETS);
    // 1 makes every changeset its own exclusive apply (the strictest run); CI batches as shipped.
    int applyBatch = Integer.getInteger("hadb.noTornReads.applyBatch", 256);
    SqliteOptions o = SqliteOptions.defaults().withCheckpointPages(200).withApplyBatchMax(applyBatch);
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
        SqliteEngine leader = SqliteEngine.open(dir.resolve("leader.db"), storage, "bank/",
            o.withDurability(Durability.SYNC));
        SqliteEngine follower = SqliteEngine.open(dir.resolve("follower.db"), storage, "bank/", o)) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL, pad BLOB)", List.of());
      // Padding puts accounts on different pages, so a transfer changes two pages.
      leader.executor().execute("INSERT INTO accounts SELECT x, 1000, randomblob(1200) FROM (WITH RECURSIVE g(x) AS"
          + " (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + ACCOUNTS + ") SELECT x FROM g)", List.of());
      follower.replicator().bootstrap();
      follower.replicator().pullTo(leader.replicator().sync());

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      List<String> problems = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      threads.add(new Thread(() -> {
        try {
          while (!stop.get()) {
            follower.replicator().pull();
          }
        } catch (RuntimeException e) {
          problems.add("puller: " + e);
        }
      }));
      for (int t = 0; t < 3; t++) {
        threads.add(new Thread(() -> {
          try {
            while (!stop.get()) {
              List<SqlValue> row = follower.executor()
                  .query("SELECT sum(balance), count(*) FROM accounts", List.of()).rows().get(0);
              if (!row.equals(List.of(SqlValue.of(TOTAL), SqlValue.of((long) ACCOUNTS)))) {
                problems.add("torn read: " + row);
              }
              reads.incrementAndGet();
            }
          } catch (RuntimeException e) {
            problems.add("reader: " + e);
          }
        }));
      }
      threads.forEach(Thread::start);
      Random rnd = new Random(7);
      long firstSeq = follower.replicator().appliedSeq();
      long firstApplies = follower.replicator().applyCount();
      long t0 = System.nanoTime();
      try {
        while (leader.replicator().appliedSeq() < firstSeq + changesets) {
          int from = 1 + rnd.nextInt(ACCOUNTS);
          int to = 1 + (from + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
          long amount = 1 + rnd.nextInt(100);
          leader.executor().executeBatch(List.of(
              SqlStatement.of("UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, from),
              SqlStatement.of("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to)));
        }
        long last = leader.replicator().sync();
        await(60, () -> follower.replicator().appliedSeq() >= last || !problems.isEmpty());
      } finally {
        stop.set(true);
        for (Thread t : threads) {
          t.join();
        }
      }
      assertEquals(List.of(), problems);
      assertTrue(reads.get() > 100, "reads " + reads.get());
      long applies = follower.replicator().applyCount() - firstApplies;
      assertTrue(applies > 10, "applies " + applies);
      long applied = follower.replicator().appliedSeq() - firstSeq;
      assertTrue(applied >= changesets, "applied " + applied);
      assertEquals(leader.replicator().appliedSeq(), follower.replicator().appliedSeq());
      String q = "SELECT id, balance, hex(pad) FROM accounts ORDER BY id";
      assertTrue(leader.executor().query(q, List.of()).equals(follower.executor().query(q, List.of())));
      System.out.printf(java.util.Locale.ROOT, "no_torn_reads changesets_applied=%d apply_batches=%d"
          + " concurrent_reads=%d torn_reads=0 seconds=%.1f%n", applied, applies, reads.get(),
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
