package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.NodeMains.emit;

import io.hadb.api.Durability;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.lease.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * An application's {@code main} as a new user writes it, in a JVM of its own, for the first-hour
 * traps: it opens a database, waits until it is ready, writes a row, says {@code @READY}, and then
 * ends one of three ways: {@code return} (main returns without closing), {@code throw} (main throws
 * without closing) or {@code wait} (runs until a signal ends it). It never reads stdin.
 *
 * <p>Usage: {@code TrapNode ha <leaseUri> <storageUri> <dbFile> <return|throw|wait> <closeOnShutdown>} or
 * {@code TrapNode local <dbFile> <row>}.
 */
public final class TrapNode {
  static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
  static final String DATABASE = "trap";

  private TrapNode() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("local")) {
      HaDatabase db = HaDatabase.local(Path.of(args[1]), SCHEMA);
      db.execute("INSERT INTO t(v) VALUES (?)", args[2]);
      emit("READY", "pid=" + ProcessHandle.current().pid());
      Thread.sleep(Long.MAX_VALUE);
    }
    HaDatabase db = HaDatabase.builder()
        .lease(args[1])
        .storage(args[2])
        .database(DATABASE)
        .nodeId("t1")
        .secret("a-shared-secret-of-32-characters")
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(1)))
        .durability(Durability.SYNC)
        .closeOnShutdown(Boolean.parseBoolean(args[5]))
        .environment(Map.of())
        .open(Path.of(args[3]), SCHEMA);
    db.awaitReady(Duration.ofSeconds(30));
    db.execute("INSERT INTO t(v) VALUES (?)", "before-the-end");
    emit("READY", "pid=" + ProcessHandle.current().pid() + " role=" + db.role());
    switch (args[4]) {
      case "return" -> { } // main ends; the database is still open
      case "throw" -> throw new IllegalStateException("the application failed (as mains do)");
      default -> Thread.sleep(Long.MAX_VALUE);
    }
  }
}
