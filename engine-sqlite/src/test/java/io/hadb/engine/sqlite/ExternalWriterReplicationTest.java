package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.RestorePoint;
import io.hadb.engine.sqlite.internal.Connections;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication of a file another connection writes, with snapshots taken all the while: a
 * snapshot holds the shadow and the capture it meets is put off, so a {@code sync()} that came
 * then must look again rather than report the commit shipped.
 */
class ExternalWriterReplicationTest {
  @TempDir Path dir;

  @Test
  void everySyncShipsTheCommitBeforeItWhileSnapshotsRun() throws Exception {
    Path db = dir.resolve("app.db");
    int commits = 60;
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false")) {
      Connection writer = Connections.openWalWriter(db, 5_000);
      try (Statement s = writer.createStatement()) {
        s.execute("CREATE TABLE t (v BLOB)");
      }
      // a long poll: only sync() looks at the file, so what it reports is its own doing
      ExternalWriterReplication r = ExternalWriterReplication.start(db, dir.resolve("state"), storage, "app/",
          SqliteOptions.defaults(), Duration.ofSeconds(30));
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger snapshots = new AtomicInteger();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread snapshotter = new Thread(() -> {
        try {
          while (!done.get()) {
            r.snapshot();
            snapshots.incrementAndGet();
          }
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      try {
        long last = r.sync();
        snapshotter.start();
        for (int i = 0; i < commits; i++) {
          try (Statement s = writer.createStatement()) {
            s.execute("INSERT INTO t VALUES (randomblob(8000))");
          }
          long seq = r.sync();
          assertTrue(seq > last, "commit " + i + ": sync() returned seq " + seq + ", the seq before the commit"
              + " (" + snapshots.get() + " snapshots so far)");
          last = seq;
        }
      } finally {
        done.set(true);
        snapshotter.join();
        r.close();
        writer.close();
      }
      assertEquals(null, failed.get(), "the snapshot thread failed");
      assertTrue(snapshots.get() > 10, "snapshots ran beside the commits: " + snapshots.get());
      Path restored = dir.resolve("restored.db");
      SqliteRestore.restore(storage, "app/", restored, RestorePoint.latest(), SqliteOptions.defaults());
      assertEquals(commits, count(restored));
    }
  }

  private static long count(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
