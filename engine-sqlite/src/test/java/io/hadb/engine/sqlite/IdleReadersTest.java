package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.engine.EngineThreads;
import io.hadb.api.engine.SqlValue;
import io.hadb.chain.ChainOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a host's shared threads, read connections nobody used for {@code readIdleMs} are closed and
 * the next read opens one again without the reader seeing anything; without shared threads they
 * stay open as before.
 */
class IdleReadersTest {
  /** How long the idle look may take on a loaded machine: only a missing close reaches it. */
  private static final long DEADLINE_NANOS = 30_000_000_000L;

  @TempDir Path dir;
  ScheduledExecutorService timer;
  ExecutorService shipping;
  ExecutorService snapshots;
  SqliteExecutor ex;

  @BeforeEach
  void threads() {
    timer = Executors.newSingleThreadScheduledExecutor();
    shipping = Executors.newSingleThreadExecutor();
    snapshots = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void close() {
    if (ex != null) {
      ex.close();
    }
    timer.shutdownNow();
    shipping.shutdownNow();
    snapshots.shutdownNow();
  }

  SqliteExecutor open(SqliteOptions o) {
    ex = SqliteExecutor.open(dir.resolve("db.sqlite"), o);
    ex.execute("CREATE TABLE t(v TEXT)", List.of());
    ex.execute("INSERT INTO t(v) VALUES (?)", List.of(SqlValue.of("kept")));
    return ex;
  }

  String read() {
    return ex.query("SELECT v FROM t", List.of()).rows().get(0).get(0).toString();
  }

  @Test
  void idleReadersCloseAndTheNextReadReopensOne() throws InterruptedException {
    EngineThreads shared = new EngineThreads(timer, shipping, snapshots);
    open(SqliteOptions.defaults().withReadIdleMs(50).withChain(ChainOptions.defaults().withThreads(Optional.of(shared))));
    assertTrue(read().contains("kept"));
    assertEquals(1, ex.readers().openConnections(), "the read opened one connection");
    long start = System.nanoTime();
    while (ex.readers().openConnections() > 0 && System.nanoTime() - start < DEADLINE_NANOS) {
      Thread.sleep(5); // polls the count: the close has no event to wait on
    }
    assertEquals(0, ex.readers().openConnections(), "the idle connection was closed");
    for (int i = 0; i < 3; i++) {
      assertTrue(read().contains("kept"), "a read after the close opens a connection again, unseen");
    }
    assertEquals(1, ex.readers().openConnections());
  }

  @Test
  void withoutSharedThreadsReadersStayOpen() {
    open(SqliteOptions.defaults().withReadIdleMs(50));
    read();
    assertEquals(1, ex.readers().openConnections());
    assertEquals(60_000, SqliteOptions.defaults().readIdleMs());
    assertEquals(7, SqliteOptions.from(io.hadb.api.engine.EngineOptions.defaults().withSetting("readIdleMs", "7"))
        .readIdleMs(), "readIdleMs is an engine setting");
  }
}
