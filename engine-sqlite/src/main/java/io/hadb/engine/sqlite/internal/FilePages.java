package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import io.hadb.chain.PageImages;

/** Every page of a database file, read through its one channel: a base image or a snapshot. */
public final class FilePages implements PageImages {
  private final DbFile file;
  private final int pageSize;
  private final long pages;

  private FilePages(DbFile file, int pageSize, long pages) {
    this.file = file;
    this.pageSize = pageSize;
    this.pages = pages;
  }

  /** The file as it is now; the caller keeps writers out while the pages are read. */
  public static FilePages of(DbFile file) {
    long size = file.size();
    if (size == 0) {
      return new FilePages(file, 4096, 0);
    }
    byte[] page1 = new byte[100];
    file.read(0, page1, 100);
    int ps = DbHeader.pageSize(page1);
    if (ps == 0) {
      throw HadbException.corrupt(file.path() + " is not a SQLite database (bad header)");
    }
    if (size % ps != 0) {
      throw HadbException.corrupt(file.path() + " is " + size + " bytes, not a whole number of "
          + ps + "-byte pages");
    }
    return new FilePages(file, ps, size / ps);
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  @Override
  public long dbSizePages() {
    return pages;
  }

  @Override
  public void forEach(Visitor v) {
    byte[] buf = new byte[pageSize];
    for (long no = 1; no <= pages; no++) {
      file.read((no - 1) * pageSize, buf, pageSize);
      v.page(no, buf);
    }
  }
}
