package io.hadb.engine.sqlite.internal;

import io.hadb.chain.PageImages;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pages of one or more consecutive {@link WalCapture}s, merged: the latest image of each page
 * and the database size after the last commit. Page bytes come from the scan's copy when it kept
 * one, else from the WAL, which is only checkpointed after they are shipped and so keeps the
 * frames in place.
 */
public final class CapturedPages implements PageImages {
  private record Frame(WalHeader generation, long offset, byte[] image) {}

  private final WalReader wal;
  private final TreeMap<Long, Frame> pages = new TreeMap<>();
  private final int pageSize;
  private final long dbSizePages;
  private final int commits;

  public CapturedPages(WalReader wal, List<WalCapture> captures) {
    this.wal = wal;
    int ps = 0;
    long size = 0;
    int n = 0;
    for (WalCapture c : captures) {
      if (c.isEmpty()) {
        continue;
      }
      ps = c.header().pageSize();
      size = c.dbSizePages();
      n += c.commits();
      for (Map.Entry<Long, Long> e : c.pages().entrySet()) {
        pages.put(e.getKey(), new Frame(c.header(), e.getValue(), c.images().get(e.getKey())));
      }
    }
    // A page past the final size was freed by a later commit of the batch (VACUUM, shrink).
    pages.tailMap(size, false).clear();
    this.pageSize = ps;
    this.dbSizePages = size;
    this.commits = n;
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  @Override
  public long dbSizePages() {
    return dbSizePages;
  }

  public int commits() {
    return commits;
  }

  @Override
  public long pageCount() {
    return pages.size();
  }

  public boolean isEmpty() {
    return commits == 0;
  }

  @Override
  public void forEach(Visitor v) {
    byte[] buf = new byte[Math.max(pageSize, 1)];
    for (Map.Entry<Long, Frame> e : pages.entrySet()) {
      Frame f = e.getValue();
      if (f.image() != null) {
        v.page(e.getKey(), f.image());
      } else {
        wal.readPage(f.generation(), f.offset(), e.getKey(), buf);
        v.page(e.getKey(), buf);
      }
    }
  }
}
