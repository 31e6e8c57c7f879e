package io.hadb.chain;

/**
 * A database file as the chain reads and writes it: the live file of an open engine, or a private
 * file a rebuild or restore builds.
 */
public interface PageFile {
  /** Size in bytes. */
  long size();

  /**
   * The engine's stamp of the file's content, which every write moves (SQLite: the header's
   * change counter), or -1 while the file has none. A follower records it after each apply; a
   * different stamp later means someone wrote the file outside the library (DESIGN §6.5).
   */
  int stamp();

  /** Writes verified page images into this file (see {@link Applier}). */
  Applier applier();

  /** Every page of the file as it is now; the caller keeps writers out while they are read. */
  PageImages pages();
}
