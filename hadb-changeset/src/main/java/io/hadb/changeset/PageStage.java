package io.hadb.changeset;

import java.nio.ByteBuffer;

/**
 * The engine side of an atomic apply (see {@link Changesets#apply}). Pages arrive before the
 * changeset is verified, so they must go somewhere invisible to readers (a staging file, a local
 * apply record) and become visible only in {@link #commit}. hadb's apply wrote pages straight
 * into the live file; a corrupt object then left a half-applied database (DESIGN §5, §8).
 */
public interface PageStage {

  /** Called once, after the header validated, before any page. */
  default void begin(PhysicalHeader header, BodyEncoding encoding) {}

  /**
   * An <b>unverified</b> page: keep a copy (the buffer is reused after this returns), do not make
   * it visible.
   */
  void stage(long pageNumber, ByteBuffer page);

  /**
   * The whole object verified: make the staged pages visible atomically and set the database's
   * size to {@code header.dbSizePages()}.
   */
  void commit(ChainLink verified);

  /** Verification failed or the input broke: drop everything staged. */
  void abort(Throwable cause);
}
