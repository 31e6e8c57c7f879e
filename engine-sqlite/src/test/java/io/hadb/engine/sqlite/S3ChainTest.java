package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import static io.hadb.engine.sqlite.ChainCheck.digest;
import static io.hadb.engine.sqlite.ChainCheck.restored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SqlValue;
import io.hadb.testservers.PrivateS3Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with its chain on storage-s3, on a real S3Proxy (test-servers fixture, filesystem
 * provider): leaders in ASYNC and SYNC, a follower on another file, a snapshot in between,
 * restores; then S3Proxy killed with -9 while a leader ships, and restarted on the same port
 * and data: the publisher retries, the chain has no gap, a follower ends identical.
 */
class S3ChainTest {
  static final String PREFIX = "db/";
  /** A private server (a start costs seconds), shared by the tests; restarted if a test left it killed. */
  @RegisterExtension static final PrivateS3Proxy s3proxy = new PrivateS3Proxy();

  @TempDir Path dir;

  /** A bucket path of its own; short timeouts so a dead server fails calls fast (then retried). */
  static StorageBackend s3(String name) {
    return StorageBackends.open(s3proxy.uri("engine", name, "filesystemCompat=true",
        "apiCallTimeout=2s", "attemptTimeout=1s"));
  }

  static void insert(SqliteEngine e, int id) {
    e.executor().execute("INSERT INTO t (id, v) VALUES (?, ?)", List.of(SqlValue.of(id), SqlValue.of("v" + id + "-" + "s".repeat(200))));
  }

  static SqliteEngine leader(Path file, StorageBackend storage, Durability d) {
    SqliteEngine e = SqliteEngine.open(file, storage, PREFIX, SqliteOptions.defaults().withDurability(d));
    e.replicator().startPublishing(1, 1);
    e.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
    return e;
  }

  void leaderFollowerSnapshotAndRestores(Durability d) {
    try (StorageBackend storage = s3("chain-" + d.name().toLowerCase());
        SqliteEngine leader = leader(dir.resolve(d + "-leader.db"), storage, d);
        SqliteEngine follower = SqliteEngine.open(dir.resolve(d + "-follower.db"), storage, PREFIX,
            SqliteOptions.defaults())) {
      for (int i = 0; i < 60; i++) {
        insert(leader, i);
      }
      long snap = leader.replicator().snapshot();
      List<List<SqlValue>> atSnap = digest(leader);
      assertEquals(snap, follower.replicator().bootstrap(), d + ": follower at the snapshot's seq");
      assertEquals(atSnap, digest(follower));
      for (int i = 60; i < 120; i++) {
        insert(leader, i);
      }
      long end = leader.replicator().sync();
      assertEquals(end, follower.replicator().pull());
      assertEquals(digest(leader), digest(follower));
      ChainCheck.integrityOk(follower);
      VerifyReport v = ChainCheck.verified(storage, PREFIX);
      assertEquals(end, v.lastSeq(), v.toString());
      assertEquals(1, v.snapshots(), v.toString());
      assertEquals(atSnap, restored(storage, PREFIX, dir.resolve(d + "-at-snap.db"), RestorePoint.seq(snap)));
      assertEquals(digest(leader), restored(storage, PREFIX, dir.resolve(d + "-latest.db"), RestorePoint.latest()));
      // A fresh follower: the snapshot, then the changesets after it.
      try (SqliteEngine late = SqliteEngine.open(dir.resolve(d + "-late.db"), storage, PREFIX, SqliteOptions.defaults())) {
        assertEquals(end, late.replicator().bootstrap());
        assertEquals(digest(leader), digest(late));
      }
    }
  }

  @Test
  void async_leader_on_s3_with_a_follower_a_snapshot_and_restores() {
    leaderFollowerSnapshotAndRestores(Durability.ASYNC);
  }

  @Test
  void sync_leader_on_s3_with_a_follower_a_snapshot_and_restores() {
    leaderFollowerSnapshotAndRestores(Durability.SYNC);
  }

  @Test
  void s3proxy_killed_mid_stream_the_publisher_retries_and_the_chain_has_no_gap() throws Exception {
    try (StorageBackend storage = s3("kill");
        SqliteEngine leader = leader(dir.resolve("kill-leader.db"), storage, Durability.ASYNC)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger written = new AtomicInteger();
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          insert(leader, written.getAndIncrement());
          sleepQuietly(2);
        }
      });
      writer.start();
      try {
        awaitWritten(written, 100);
        long beforeKill = leader.replicator().sync();
        s3proxy.server().kill();
        int atKill = written.get();
        awaitWritten(written, atKill + 200); // commits go on locally while nothing can ship
        long unshipped = leader.replicator().unshippedCommits();
        s3proxy.server().restart();
        awaitWritten(written, written.get() + 100);
        stop.set(true);
        writer.join();
        long end = leader.replicator().sync();
        assertEquals(Optional.empty(), leader.replicator().failure(), "the publisher kept going");
        assertTrue(unshipped > 0 && end > beforeKill, "unshipped during the outage " + unshipped
            + ", seq before the kill " + beforeKill + ", after " + end);
        VerifyReport v = ChainCheck.verified(storage, PREFIX);
        assertEquals(1, v.firstSeq(), v.toString());
        assertEquals(end, v.lastSeq(), "no gap: " + v);
        assertEquals(end, v.changesets(), v.toString());
        try (SqliteEngine follower = SqliteEngine.open(dir.resolve("kill-follower.db"), storage, PREFIX,
            SqliteOptions.defaults())) {
          assertEquals(end, follower.replicator().bootstrap());
          assertEquals(written.get(), ChainCheck.count(follower));
          assertEquals(digest(leader), digest(follower));
          ChainCheck.integrityOk(follower);
        }
        System.out.println("s3_kill rows=" + written.get() + " seq_before_kill=" + beforeKill
            + " unshipped_during_outage=" + unshipped + " seq_end=" + end);
      } finally {
        stop.set(true);
        writer.join();
      }
    }
  }

  static void awaitWritten(AtomicInteger written, int n) throws InterruptedException {
    assertTrue(ChainCheck.await(30, () -> written.get() >= n), "the writer reached " + written.get() + " of " + n);
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
