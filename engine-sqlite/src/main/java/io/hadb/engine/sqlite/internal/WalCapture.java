package io.hadb.engine.sqlite.internal;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The committed frames found by one {@link WalReader#readCommitted()} call: for each page the
 * WAL offset of its latest committed image, and the database size after the last commit.
 *
 * @param header the WAL generation the frames belong to
 * @param restarted the WAL had been restarted (new salts) since the previous read, without
 *     {@link WalReader#expectRestart()} having been called: frames may have been lost
 * @param commits number of commit frames found
 * @param dbSizePages database size in pages after the last commit (0 when {@code commits == 0})
 * @param pages page number to the file offset of that page's frame (its 24-byte header)
 * @param images the same pages' images, copied while the frames were scanned anyway (so shipping
 *     needs no second read of the WAL); empty when the capture was too large to keep in memory
 */
public record WalCapture(WalHeader header, boolean restarted, int commits, long dbSizePages,
    NavigableMap<Long, Long> pages, Map<Long, byte[]> images) {
  public WalCapture {
    pages = Collections.unmodifiableNavigableMap(new TreeMap<>(pages));
    images = Collections.unmodifiableMap(images);
  }

  public boolean isEmpty() {
    return commits == 0;
  }
}
