package io.hadb.engine.sqlite.internal;

/**
 * Told about every write made through the library's write connection. The replicator uses it to
 * capture each commit from the WAL and, in SYNC mode, to hold the caller until it is durable.
 */
public interface WriteListener {
  WriteListener NONE = new WriteListener() {
    @Override
    public long afterWrite() {
      return 0;
    }

    @Override
    public void afterUnlock(long token) {}
  };

  /**
   * Called after a statement or batch ran on the writer, while the write lock is still held (so
   * the WAL cannot move). Returns a token naming the commits made so far.
   */
  long afterWrite();

  /** Called after the write lock is released, with the token; SYNC mode waits here. */
  void afterUnlock(long token);
}
