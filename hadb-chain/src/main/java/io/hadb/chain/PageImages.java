package io.hadb.chain;

/**
 * Page images, in ascending page order: what a leader captured at a commit, a verified changeset
 * or batch, a snapshot, or a whole file. The unit of the chain (DESIGN §5): an engine hands the
 * chain page images and takes page images back.
 */
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
