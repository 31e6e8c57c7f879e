package io.hadb.engine.duckdb.internal;

import io.hadb.api.HadbException;
import io.hadb.chain.PageImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Writes page images into a file no DuckDB instance has open (a staged copy, a private file). */
public final class PageWriter {
  private PageWriter() {}

  /**
   * Writes {@code images} into {@code ch} and cuts the file to their database size. A page size
   * other than 4096 is a changeset from something other than this engine: CORRUPT naming
   * {@code file}, nothing written.
   */
  public static void write(Path file, FileChannel ch, PageImages images) {
    if (images.pageSize() != FileHeader.PAGE) {
      throw HadbException.corrupt("a changeset for " + file + " has " + images.pageSize()
          + "-byte pages; the duckdb engine ships " + FileHeader.PAGE + "-byte pages (the chain was not written"
          + " by the duckdb engine, or for another database)");
    }
    long size = images.dbSizePages();
    try {
      IOException[] failed = {null};
      images.forEach((no, data) -> {
        if (failed[0] != null || no < 1 || no > size) {
          return;
        }
        try {
          ByteBuffer b = ByteBuffer.wrap(data, 0, FileHeader.PAGE);
          while (b.hasRemaining()) {
            ch.write(b, (no - 1) * FileHeader.PAGE + b.position());
          }
        } catch (IOException e) {
          failed[0] = e;
        }
      });
      if (failed[0] != null) {
        throw failed[0];
      }
      if (ch.size() > size * FileHeader.PAGE) {
        ch.truncate(size * FileHeader.PAGE);
      }
    } catch (IOException e) {
      throw HadbException.unavailable("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
