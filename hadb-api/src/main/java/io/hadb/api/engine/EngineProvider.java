package io.hadb.api.engine;

import io.hadb.api.StorageBackend;
import java.nio.file.Path;

/**
 * Opens an embedded database engine ({@code sqlite}, {@code duckdb}) for one database file. An
 * engine knows nothing about which lease or storage plug-in is in use.
 */
public interface EngineProvider {

  /** The engine's name, as given to {@code HaDatabase.builder().engine(name)}. */
  String name();

  /** Opens the database at {@code file}, replicating under {@code prefix} in {@code storage}. */
  Engine open(Path file, StorageBackend storage, String prefix);

  /** One open database: its executor and its replicator share the file. */
  interface Engine extends AutoCloseable {
    Executor executor();

    Replicator replicator();

    @Override
    void close();
  }
}
