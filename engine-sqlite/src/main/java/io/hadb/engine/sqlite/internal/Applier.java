package io.hadb.engine.sqlite.internal;

/** Writes page images into a database file. */
public interface Applier {
  void apply(PageImages images);
}
