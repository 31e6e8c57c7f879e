package io.hadb.chain;

/**
 * Leader side of the seam (DESIGN §3.3): what the engine committed since the last read, as page
 * images. SQLite reads it from its WAL (DESIGN §6.5); an engine without a readable log can
 * checkpoint and compare blocks (DESIGN §6.6). Called on the publisher's shipper thread, never
 * two calls at once.
 */
public interface Capture extends AutoCloseable {
  /**
   * Every commit since the previous call, whole: each page's latest image and the database size
   * after the last commit; {@link Captured#NONE} when there was none. A commit still being
   * written is left for the next call. Fails with CORRUPT when commits were lost behind the
   * capture's back (SQLite: another process checkpointed and restarted the log), since the
   * chain would silently miss them; the publisher then stops.
   */
  Captured read();

  /**
   * Commits not read yet, counted without failing; asked once writes are refused, so the
   * publisher can say how many commits never reached the chain.
   */
  long unread();

  @Override
  void close();
}
