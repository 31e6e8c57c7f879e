package io.hadb.api.engine;

import io.hadb.api.Provider;
import io.hadb.api.StorageBackend;
import java.nio.file.Path;

/**
 * An embedded database engine ({@code sqlite}, {@code duckdb}) made replicable (DESIGN §3.3).
 * Found through {@link Engines} like every store: registered with {@code @AutoService}, chosen by
 * {@link #name()}, the highest {@link #priority()} winning when two share a name. An engine knows
 * nothing about which lease or storage plug-in is in use.
 *
 * <p>Like every provider: a public no-argument constructor that never throws and does no I/O.
 */
public interface EngineProvider extends Provider {

  /** The engine's name, as given to {@code HaDatabase.builder().engine(name)}. */
  String name();

  /** Engines are chosen by name; the registry keys every provider by {@code scheme()}. */
  @Override
  default String scheme() {
    return name();
  }

  /**
   * Opens the database at {@code file} (created with its directory if absent) as a follower copy
   * of the chain under {@code prefix} ("" or ending with '/') in {@code storage}. Options the
   * engine cannot honour fail here with {@code INVALID_ARGUMENT} or {@code UNSUPPORTED}.
   */
  Engine open(Path file, StorageBackend storage, String prefix, EngineOptions options);

  /**
   * Builds the database as of {@code point} into the new file {@code target} (which must not
   * exist) from the newest usable snapshot and the changesets after it, each verified before it
   * is applied; the file appears atomically and complete, carrying its chain position (it opens
   * as a follower). Returns the seq restored. Fails with {@code NOT_FOUND} when the point is not
   * in storage, {@code CORRUPT} naming the first bad object.
   */
  long restore(StorageBackend storage, String prefix, Path target, RestorePoint point, EngineOptions options,
      Progress progress);

  /**
   * Reads every snapshot and changeset under {@code prefix} in full and checks each and the
   * links between them; the report names the first bad object.
   */
  VerifyReport verify(StorageBackend storage, String prefix, EngineOptions options);

  /** One open database: its executor, replicator and dialect share the file. */
  interface Engine extends AutoCloseable {
    Executor executor();

    Replicator replicator();

    Dialect dialect();

    /** Ships what is committed (leader), then closes every connection and the file. */
    @Override
    void close();
  }
}
