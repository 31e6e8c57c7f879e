package io.hadb.engine.duckdb;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with its chain in a fresh local directory (storage-local without fsync) under one prefix. */
abstract class LocalChainTest {
  @TempDir Path dir;
  StorageBackend storage;
  static final String PREFIX = "db/";

  @BeforeEach
  void openStore() {
    storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
  }

  @AfterEach
  void closeStore() {
    storage.close();
  }

  DuckdbEngine open(String name, DuckdbOptions o) {
    return DuckdbEngine.open(dir.resolve(name), storage, PREFIX, o);
  }

  /** A leader on {@code name}, publishing at epoch 1 from the chain's start. */
  DuckdbEngine leader(String name, DuckdbOptions o) {
    DuckdbEngine e = open(name, o);
    e.replicator().startPublishing(1, e.replicator().appliedSeq() + 1);
    return e;
  }
}
