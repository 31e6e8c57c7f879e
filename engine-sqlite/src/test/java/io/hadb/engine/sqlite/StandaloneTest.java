package io.hadb.engine.sqlite;

import io.hadb.api.engine.RestorePoint;
import static io.hadb.engine.sqlite.ChainCheck.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SqlValue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone replication: one file replicated to a storage URI, a read-only replica elsewhere. */
class StandaloneTest {
  @TempDir Path dir;

  static long count(SqliteExecutor e) {
    return ((SqlValue.Int) e.query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0)).value();
  }

  @Test
  void an_existing_file_is_replicated_and_a_replica_follows_it() throws Exception {
    Path app = dir.resolve("app/app.db");
    java.nio.file.Files.createDirectories(app.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + app); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      s.execute("INSERT INTO t (v) VALUES ('made before replication')");
    }
    String uri = "file://" + dir.resolve("bucket") + "?fsync=false";
    try (StorageBackend storage = StorageBackends.open(uri)) {
      try (SqliteReplication.Primary primary = SqliteReplication.primary(app, storage, "apps/app", SqliteOptions.defaults());
          SqliteReplication.Replica replica = SqliteReplication.replica(dir.resolve("elsewhere/copy.db"), storage,
              "apps/app", SqliteOptions.defaults(), Duration.ofMillis(10))) {
        for (int i = 0; i < 20; i++) {
          primary.executor().execute("INSERT INTO t (v) VALUES (?)", List.of(SqlValue.of("row " + i)));
        }
        long seq = primary.replicator().sync();
        await(20, () -> replica.appliedSeq() >= seq);
        assertEquals(21, count(replica.executor()));
        HadbException e = assertThrows(HadbException.class,
            () -> replica.executor().execute("INSERT INTO t (v) VALUES ('no')", List.of()));
        assertEquals(ErrorCode.NOT_LEADER, e.code());
        assertTrue(replica.error().isEmpty());
      }
      // A restarted primary continues the same chain at a higher epoch.
      try (SqliteReplication.Primary again = SqliteReplication.primary(app, storage, "apps/app", SqliteOptions.defaults())) {
        again.executor().execute("INSERT INTO t (v) VALUES ('after restart')", List.of());
        again.replicator().sync();
        assertEquals(22, count(again.executor()));
      }
      assertTrue(SqliteRestore.verify(storage, "apps/app", io.hadb.changeset.DecodeOptions.defaults()).ok());
      SqliteRestore.restore(storage, "apps/app", dir.resolve("restored.db"), RestorePoint.latest(), SqliteOptions.defaults());
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("restored.db"));
          Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next();
        assertEquals(22, rs.getLong(1));
      }
    }
  }
}
