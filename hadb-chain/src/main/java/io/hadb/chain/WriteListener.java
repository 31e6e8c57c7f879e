package io.hadb.chain;

/**
 * Told about every write made through the engine's write connection; the publisher implements
 * it (counting commits, and in SYNC mode holding the caller until the commit is durable), the
 * engine's executor calls it.
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
   * no other commit comes between). Returns a token naming the commits made so far.
   */
  long afterWrite();

  /** Called after the write lock is released, with the token; SYNC mode waits here. */
  void afterUnlock(long token);
}
