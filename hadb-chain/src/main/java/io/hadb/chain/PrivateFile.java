package io.hadb.chain;

/**
 * A database file nobody reads yet (a rebuild's or a restore's target): its applier writes pages
 * straight in, with no lock, and the file becomes visible only when complete.
 */
public interface PrivateFile extends PageFile, AutoCloseable {
  /** Makes everything written durable. */
  void force();

  @Override
  void close();
}
