package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.PhysicalReader;
import io.hadb.engine.sqlite.internal.ChainKeys;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Standalone replication of one SQLite file, without leases (the Litestream / walrust case):
 * a {@link Primary} writes through the library and ships every commit to a storage URI; any
 * number of {@link Replica}s elsewhere keep a read-only copy up to date.
 *
 * <p>Without a lease nothing stops two primaries from running at once; the chain still does:
 * each changeset is written with putIfAbsent, so the second primary to write a seq is fenced
 * (its writes fail with {@code FENCED}) and the stored history stays one line.
 *
 * <pre>{@code
 * try (var primary = SqliteReplication.primary(Path.of("app.db"), storage, "apps/app/", options)) {
 *   primary.executor().execute("INSERT INTO t VALUES (?)", List.of(SqlValue.of(1)));
 * }
 * try (var replica = SqliteReplication.replica(Path.of("copy.db"), storage, "apps/app/", options,
 *     Duration.ofMillis(200))) {
 *   replica.executor().query("SELECT count(*) FROM t", List.of());
 * }
 * }</pre>
 */
public final class SqliteReplication {
  private static final System.Logger LOG = System.getLogger(SqliteReplication.class.getName());

  private SqliteReplication() {}

  /**
   * Opens {@code file} (created if absent) as the primary of the chain under {@code prefix}: it
   * catches up with what the chain already holds (a restarted primary rebuilds from the chain
   * if it crashed with commits the chain never got), then publishes at the next epoch. An
   * existing file with data and an empty chain is shipped whole as seq 1.
   */
  public static Primary primary(Path file, StorageBackend storage, String prefix, SqliteOptions options) {
    SqliteEngine engine = SqliteEngine.open(file, storage, prefix, options);
    try {
      ChainKeys keys = new ChainKeys(SqliteRestore.normalized(prefix));
      ChainEnd end = chainEnd(storage, keys, options);
      engine.replicator().startPublishing(end.epoch() + 1, end.seq() + 1);
      return new Primary(engine);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /**
   * Opens {@code file} as a read-only replica of the chain under {@code prefix}: it bootstraps
   * (from the latest snapshot when it is empty) and then pulls every {@code pollInterval} on a
   * background thread. A bad changeset stops the pulling at that seq; {@link Replica#error()}
   * then names the key, and the local file stays at the last good seq.
   */
  public static Replica replica(Path file, StorageBackend storage, String prefix, SqliteOptions options,
      Duration pollInterval) {
    HadbException.requireArg(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw HadbException.invalidArgument("pollInterval must be positive, was " + pollInterval);
    }
    SqliteEngine engine = SqliteEngine.open(file, storage, prefix, options);
    try {
      engine.replicator().bootstrap();
      return new Replica(engine, pollInterval);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  record ChainEnd(long seq, long epoch) {}

  /** The last stored seq (changeset or snapshot) and its epoch. */
  static ChainEnd chainEnd(StorageBackend storage, ChainKeys keys, SqliteOptions options) {
    List<String> changes = storage.listAll(keys.changesPrefix());
    long seq = 0;
    String key = null;
    for (int i = changes.size() - 1; i >= 0 && key == null; i--) {
      OptionalLong s = keys.changeSeq(changes.get(i));
      if (s.isPresent()) {
        seq = s.getAsLong();
        key = changes.get(i);
      }
    }
    Optional<Long> snap = Snapshots.latest(storage, keys);
    if (snap.isPresent() && snap.get() > seq) {
      seq = snap.get();
      key = keys.snapshot(seq);
    }
    if (key == null) {
      return new ChainEnd(0, 0);
    }
    String k = key;
    try (InputStream in = storage.getStream(k).orElseThrow(() -> HadbException.notFound(k + " is gone"));
        PhysicalReader r = PhysicalReader.open(k, in, -1, options.decode())) {
      return new ChainEnd(seq, r.header().epoch());
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + k + " failed: " + e.getMessage(), e);
    }
  }

  /** The writing side: an executor whose commits are replicated. */
  public static final class Primary implements AutoCloseable {
    private final SqliteEngine engine;

    Primary(SqliteEngine engine) {
      this.engine = engine;
    }

    public SqliteExecutor executor() {
      return engine.executor();
    }

    public SqliteReplicator replicator() {
      return engine.replicator();
    }

    /** Ships everything committed so far and closes the file. */
    @Override
    public void close() {
      engine.close();
    }
  }

  /** The reading side: a read-only copy kept current by a background pull loop. */
  public static final class Replica implements AutoCloseable {
    private final SqliteEngine engine;
    private final Thread puller;
    private final Object wake = new Object();
    private volatile boolean stop;
    private volatile HadbException error;

    Replica(SqliteEngine engine, Duration pollInterval) {
      this.engine = engine;
      this.puller = new Thread(() -> loop(pollInterval), "hadb-sqlite-replica-" + engine.file().getFileName());
      this.puller.setDaemon(true);
      this.puller.start();
    }

    private void loop(Duration interval) {
      while (!stop) {
        try {
          engine.replicator().pull();
          error = null;
        } catch (ChainException e) {
          error = e; // bad input: stay at the last good seq until someone looks
          LOG.log(Level.ERROR, "replica " + engine.file() + " stopped: " + e.getMessage());
          return;
        } catch (HadbException e) {
          if (!e.retryable() && e.code() != io.hadb.api.ErrorCode.CORRUPT) {
            error = e;
            LOG.log(Level.ERROR, "replica " + engine.file() + " stopped: " + e.getMessage());
            return;
          }
          error = e; // storage down, or the file was changed outside the library: retried
          LOG.log(Level.WARNING, "replica " + engine.file() + ": " + e.getMessage());
        }
        synchronized (wake) {
          if (stop) {
            return;
          }
          try {
            wake.wait(Math.max(1, interval.toMillis()));
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    /** Local reads; writes fail with {@code NOT_LEADER}. */
    public SqliteExecutor executor() {
      return engine.executor();
    }

    public long appliedSeq() {
      return engine.replicator().appliedSeq();
    }

    /** Why pulling stopped (or the last retried failure), if anything went wrong. */
    public Optional<HadbException> error() {
      return Optional.ofNullable(error);
    }

    /** Whether the pull loop is still running. */
    public boolean isRunning() {
      return puller.isAlive();
    }

    /**
     * Stops the pull loop, then closes the file. No interrupt: an interrupted file channel closes
     * itself, and closing any descriptor on the database drops SQLite's locks (DESIGN §6.5).
     */
    @Override
    public void close() {
      stop = true;
      synchronized (wake) {
        wake.notifyAll();
      }
      try {
        puller.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      engine.close();
    }
  }
}
