package io.hadb.chain;

import io.hadb.api.HadbException;

/**
 * What one {@link Capture#read} found: the latest image of each page the commits wrote, with the
 * database size after the last one, and how many commits they were.
 */
public record Captured(PageImages pages, int commits) {
  /** Nothing committed since the last read. */
  public static final Captured NONE = new Captured(MemoryPages.empty(), 0);

  public Captured {
    HadbException.requireArg(pages, "pages");
    if (commits < 0) {
      throw HadbException.invalidArgument("commits must not be negative, was " + commits);
    }
  }

  public boolean isEmpty() {
    return commits == 0;
  }
}
