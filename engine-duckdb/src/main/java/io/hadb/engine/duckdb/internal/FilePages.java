package io.hadb.engine.duckdb.internal;

import io.hadb.api.HadbException;
import io.hadb.chain.PageImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Every page of a file, read when visited (the caller keeps writers out meanwhile). */
public final class FilePages implements PageImages {
  private final Path file;
  private final FileChannel open; // read through when given: closing another channel would drop DuckDB's locks
  private final long pages;

  private FilePages(Path file, FileChannel open, long pages) {
    this.file = file;
    this.open = open;
    this.pages = pages;
  }

  public static FilePages of(Path file) {
    return new FilePages(file, null, size(file) / FileHeader.PAGE);
  }

  /** The pages of {@code file} read through {@code ch}, which stays open. */
  public static FilePages of(Path file, FileChannel ch) {
    try {
      return new FilePages(file, ch, ch.size() / FileHeader.PAGE);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read the size of " + file + ": " + e.getMessage(), e);
    }
  }

  public static long size(Path file) {
    try {
      return java.nio.file.Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read the size of " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int pageSize() {
    return FileHeader.PAGE;
  }

  @Override
  public long dbSizePages() {
    return pages;
  }

  @Override
  public long pageCount() {
    return pages;
  }

  @Override
  public void forEach(Visitor v) {
    if (pages == 0) {
      return;
    }
    if (open != null) {
      read(open, v);
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      read(ch, v);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void read(FileChannel ch, Visitor v) {
    try {
      ByteBuffer b = ByteBuffer.allocate(FileHeader.PAGE);
      for (long p = 1; p <= pages; p++) {
        b.clear();
        while (b.hasRemaining()) {
          if (ch.read(b, (p - 1) * FileHeader.PAGE + b.position()) < 0) {
            throw HadbException.unavailable(file + " ended before page " + p + " of " + pages, null);
          }
        }
        v.page(p, b.array());
      }
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
