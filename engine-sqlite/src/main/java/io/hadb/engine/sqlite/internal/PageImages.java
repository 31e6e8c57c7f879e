package io.hadb.engine.sqlite.internal;

/** Page images to apply: a verified changeset or snapshot, in ascending page order. */
public interface PageImages {
  int pageSize();

  /** Database size in pages after the change; the file is cut to this size. */
  long dbSizePages();

  /** Visits every page in ascending order; {@code data} may be reused between calls. */
  void forEach(Visitor v);

  /** How many pages {@link #forEach} visits; sources that know it answer without visiting. */
  default long pageCount() {
    long[] n = {0};
    forEach((no, data) -> n[0]++);
    return n[0];
  }

  @FunctionalInterface
  interface Visitor {
    void page(long pageNo, byte[] data);
  }
}
