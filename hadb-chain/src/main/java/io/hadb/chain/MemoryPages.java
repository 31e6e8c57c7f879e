package io.hadb.chain;

import java.util.Map;
import java.util.TreeMap;

/**
 * Page images held in memory: a bounded copy of a capture whose source the engine's next step
 * discards, or the pages an engine's capture built itself.
 */
public final class MemoryPages implements PageImages {
  private final int pageSize;
  private final long dbSizePages;
  private final TreeMap<Long, byte[]> pages;

  private MemoryPages(int pageSize, long dbSizePages, TreeMap<Long, byte[]> pages) {
    this.pageSize = pageSize;
    this.dbSizePages = dbSizePages;
    this.pages = pages;
  }

  public static MemoryPages empty() {
    return new MemoryPages(4096, 0, new TreeMap<>());
  }

  /**
   * {@code pages} (page number to image, each {@code pageSize} bytes), copied, for a database of
   * {@code dbSizePages} pages after the change.
   */
  public static MemoryPages of(int pageSize, long dbSizePages, Map<Long, byte[]> pages) {
    TreeMap<Long, byte[]> copy = new TreeMap<>();
    pages.forEach((no, data) -> {
      if (data.length != pageSize) {
        throw io.hadb.api.HadbException.invalidArgument("page " + no + " is " + data.length
            + " bytes, not the page size " + pageSize);
      }
      copy.put(no, data.clone());
    });
    return new MemoryPages(pageSize, dbSizePages, copy);
  }

  public static MemoryPages copyOf(PageImages source) {
    TreeMap<Long, byte[]> copy = new TreeMap<>();
    source.forEach((no, data) -> copy.put(no, data.clone()));
    return new MemoryPages(source.pageSize(), source.dbSizePages(), copy);
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
    return pages.size();
  }

  @Override
  public void forEach(Visitor v) {
    for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
      v.page(e.getKey(), e.getValue());
    }
  }
}
