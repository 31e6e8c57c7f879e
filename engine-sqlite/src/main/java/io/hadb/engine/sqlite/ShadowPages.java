package io.hadb.engine.sqlite;

import io.hadb.chain.PageImages;
import io.hadb.engine.sqlite.internal.DbFile;

/**
 * Some pages of the shadow file (see {@link ExternalWriterReplication}), read when shipped: the
 * shadow holds still until the next capture, which comes after the ship.
 */
final class ShadowPages implements PageImages {
  private final DbFile file;
  private final int pageSize;
  private final long dbSizePages;
  private final long[] pageNos;

  ShadowPages(DbFile file, int pageSize, long dbSizePages, long[] pageNos) {
    this.file = file;
    this.pageSize = pageSize;
    this.dbSizePages = dbSizePages;
    this.pageNos = pageNos;
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  @Override
  public long dbSizePages() {
    return dbSizePages;
  }

  @Override
  public long pageCount() {
    return pageNos.length;
  }

  @Override
  public void forEach(Visitor v) {
    byte[] buf = new byte[pageSize];
    for (long no : pageNos) {
      file.read((no - 1) * pageSize, buf, pageSize);
      v.page(no, buf);
    }
  }
}
