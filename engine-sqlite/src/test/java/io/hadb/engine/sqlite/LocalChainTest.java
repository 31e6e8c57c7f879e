package io.hadb.engine.sqlite;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test with its chain in a fresh local directory (storage-local without fsync: these tests do
 * not survive a power loss, and fsync would only make them slower) under one prefix.
 */
abstract class LocalChainTest {
  @TempDir Path dir;
  StorageBackend storage;
  private final String prefix;

  LocalChainTest(String prefix) {
    this.prefix = prefix;
  }

  @BeforeEach
  void openStore() {
    storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
  }

  @AfterEach
  void closeStore() {
    storage.close();
  }

  /** An engine on {@code dir/name} replicating under this test's prefix. */
  SqliteEngine open(String name, SqliteOptions o) {
    return SqliteEngine.open(dir.resolve(name), storage, prefix, o);
  }
}
