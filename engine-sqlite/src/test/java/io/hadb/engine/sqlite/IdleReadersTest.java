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

  /**
   * A follower whose reads and applies went idle holds its database file once (the engine's one
   * channel): the reader and the page applier's connection are closed, and both open again on
   * the next apply and read. Counted in /proc/self/fd.
   */
  @Test
  void anIdleFollowerHoldsOneFileAndAppliesAndReadsAgain() throws Exception {
    EngineThreads shared = new EngineThreads(timer, shipping, snapshots);
    SqliteOptions o = SqliteOptions.defaults().withReadIdleMs(50)
        .withChain(ChainOptions.defaults().withDurability(io.hadb.api.Durability.SYNC).withThreads(Optional.of(shared)));
    Path copy = dir.resolve("follower/copy.db");
    try (io.hadb.api.StorageBackend storage = io.hadb.api.StorageBackends.open("file://" + dir.resolve("bucket")
            + "?fsync=false");
        SqliteReplication.Primary primary = SqliteReplication.primary(dir.resolve("leader/app.db"), storage, "app", o);
        SqliteReplication.Replica replica = SqliteReplication.replica(copy, storage, "app", o, java.time.Duration.ofMillis(10))) {
      primary.executor().execute("CREATE TABLE t(v TEXT)", List.of());
      primary.executor().execute("INSERT INTO t(v) VALUES ('first')", List.of());
      long seq = primary.replicator().sync();
      awaitTrue(() -> replica.appliedSeq() >= seq, "the replica applied seq " + seq);
      assertEquals(1, StandaloneTest.count(replica.executor()));
      awaitTrue(() -> openFiles(copy) == 1, "the idle follower holds its database file once");
      primary.executor().execute("INSERT INTO t(v) VALUES ('second')", List.of());
      long seq2 = primary.replicator().sync();
      awaitTrue(() -> replica.appliedSeq() >= seq2, "the replica applied seq " + seq2 + " after its applier closed");
      assertEquals(2, StandaloneTest.count(replica.executor()), "and reads it after its reader closed");
    }
  }

  /** Descriptors this process holds on {@code file} (Linux). */
  static long openFiles(Path file) {
    try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return java.nio.file.Files.readSymbolicLink(fd).equals(file.toAbsolutePath());
        } catch (java.io.IOException e) {
          return false; // closed meanwhile
        }
      }).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long start = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - start > DEADLINE_NANOS) {
        throw new AssertionError("not within " + DEADLINE_NANOS / 1_000_000_000L + " s: " + what);
      }
      Thread.sleep(5); // polls: the close has no event to wait on
    }
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
