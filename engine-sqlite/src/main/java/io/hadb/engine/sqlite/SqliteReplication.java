package io.hadb.engine.sqlite;

import io.hadb.api.StorageBackend;
import io.hadb.chain.ChainReplicator;
import io.hadb.chain.Standalone;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Standalone replication of one SQLite file, without leases ({@link Standalone} with SQLite): a
 * {@link Primary} writes through the library and ships every commit to a storage URI; any number
 * of {@link Replica}s elsewhere keep a read-only copy up to date. Two primaries at once are kept
 * apart by the chain: the second writer of a seq is fenced.
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
  private SqliteReplication() {}

  /**
   * Opens {@code file} (created if absent) as the primary of the chain under {@code prefix} (see
   * {@link Standalone#startPrimary}).
   */
  public static Primary primary(Path file, StorageBackend storage, String prefix, SqliteOptions options) {
    SqliteEngine engine = SqliteEngine.open(file, storage, prefix, options);
    Standalone.startPrimary(engine, storage, prefix, options.decode());
    return new Primary(engine);
  }

  /**
   * Opens {@code file} as a read-only replica of the chain under {@code prefix}, pulling every
   * {@code pollInterval} on a background thread (see {@link Standalone.Replica}).
   */
  public static Replica replica(Path file, StorageBackend storage, String prefix, SqliteOptions options,
      Duration pollInterval) {
    Standalone.checkPollInterval(pollInterval);
    SqliteEngine engine = SqliteEngine.open(file, storage, prefix, options);
    Standalone.startReplica(engine);
    return new Replica(engine, pollInterval);
  }

  /** The writing side: an executor whose commits are replicated. */
  public static final class Primary extends Standalone.Primary<SqliteEngine> {
    Primary(SqliteEngine engine) {
      super(engine);
    }

    public SqliteExecutor executor() {
      return engine().executor();
    }

    public ChainReplicator replicator() {
      return engine().replicator();
    }
  }

  /** The reading side: a read-only copy kept current by a background pull loop. */
  public static final class Replica extends Standalone.Replica<SqliteEngine> {
    Replica(SqliteEngine engine, Duration pollInterval) {
      super(engine, engine.file().getFileName().toString(), pollInterval);
    }

    /** Local reads; writes fail with {@code NOT_LEADER}. */
    public SqliteExecutor executor() {
      return engine().executor();
    }
  }
}
