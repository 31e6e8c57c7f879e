package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineProvider;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainReplicator;
import io.hadb.chain.EngineFile;
import io.hadb.engine.duckdb.internal.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * One DuckDB database under replication: its {@link DuckdbExecutor} and the chain's
 * {@link ChainReplicator} share the file and the write lock; the replicator reaches DuckDB
 * through {@link DuckdbFile}.
 */
public final class DuckdbEngine implements EngineProvider.Engine {
  private final Path file;
  private final DuckdbExecutor executor;
  private final ChainReplicator replicator;
  private final DuckdbDialect dialect = new DuckdbDialect();
  private boolean closed;

  private DuckdbEngine(Path file, DuckdbExecutor executor, ChainReplicator replicator) {
    this.file = file;
    this.executor = executor;
    this.replicator = replicator;
  }

  /**
   * Opens {@code file} as a follower copy replicated under {@code prefix} ("" or ending with
   * '/'). The directory is created if absent; a file that exists must be a DuckDB database.
   */
  public static DuckdbEngine open(Path file, StorageBackend storage, String prefix, DuckdbOptions options) {
    return open(file, storage, prefix, options, UnaryOperator.identity());
  }

  /** As {@link #open(Path, StorageBackend, String, DuckdbOptions)}, the replicator seeing the file through {@code parts}. */
  public static DuckdbEngine open(Path file, StorageBackend storage, String prefix, DuckdbOptions options,
      UnaryOperator<EngineFile> parts) {
    HadbException.requireArg(file, "file");
    HadbException.requireArg(storage, "storage");
    HadbException.requireArg(prefix, "prefix");
    HadbException.requireArg(options, "options");
    HadbException.requireArg(parts, "parts");
    ChainKeys keys = ChainKeys.of(prefix);
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
    } catch (java.io.IOException e) {
      throw HadbException.unavailable("cannot create the directory of " + abs + ": " + e.getMessage(), e);
    }
    DuckdbExecutor[] ex = {null};
    FollowerCopies copies = new FollowerCopies(abs, options.readConnections(), next -> ex[0].swapReaders(next));
    Instance readers = DuckdbFile.openReaders(abs, options, copies);
    DuckdbExecutor executor = new DuckdbExecutor(abs, readers);
    ex[0] = executor;
    try {
      DuckdbFile engineFile = new DuckdbFile(abs, executor, options, copies);
      ChainReplicator replicator = new ChainReplicator(parts.apply(engineFile), DuckdbFormat.INSTANCE, storage, keys,
          options.chain());
      return new DuckdbEngine(abs, executor, replicator);
    } catch (RuntimeException e) {
      executor.close();
      throw e;
    }
  }

  @Override
  public DuckdbExecutor executor() {
    return executor;
  }

  @Override
  public ChainReplicator replicator() {
    return replicator;
  }

  @Override
  public DuckdbDialect dialect() {
    return dialect;
  }

  public Path file() {
    return file;
  }

  /** Ships what is committed (leader), then closes every instance. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      replicator.close();
    } finally {
      executor.close();
    }
  }
}
