package io.hadb.engine.sqlite.internal;

/**
 * Told about every write made through the library's write connection, while the write lock is
 * still held, so the WAL cannot move under it. The replicator uses it to capture each commit.
 */
@FunctionalInterface
public interface WriteListener {
  WriteListener NONE = () -> {};

  /** Called after a statement or batch committed (or may have committed) on the writer. */
  void afterWrite();
}
