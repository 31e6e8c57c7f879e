package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one channel this process keeps on a database file for the life of the database.
 *
 * <p>POSIX trap (DESIGN §6.5): closing <em>any</em> descriptor on a file drops every
 * {@code fcntl} lock the process holds on it, SQLite's included. Opening the file for a snapshot
 * copy or a page write and closing it afterwards would silently release the locks of every
 * SQLite connection in this JVM, and readers could then see a half-applied change. So every raw
 * read or write of the database file goes through this single channel, closed only after the
 * last SQLite connection.
 */
public final class DbFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;

  public DbFile(Path path) {
    this.path = path;
    try {
      this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot open database file " + path + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public long size() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw io("size of", e);
    }
  }

  /** Reads {@code len} bytes at {@code offset}; past the end of file reads as zeros. */
  public void read(long offset, byte[] dest, int len) {
    ByteBuffer bb = ByteBuffer.wrap(dest, 0, len);
    try {
      long pos = offset;
      while (bb.hasRemaining()) {
        int n = channel.read(bb, pos);
        if (n < 0) {
          while (bb.hasRemaining()) {
            bb.put((byte) 0);
          }
          return;
        }
        pos += n;
      }
    } catch (IOException e) {
      throw io("reading", e);
    }
  }

  public void write(long offset, byte[] src, int len) {
    ByteBuffer bb = ByteBuffer.wrap(src, 0, len);
    try {
      long pos = offset;
      while (bb.hasRemaining()) {
        pos += channel.write(bb, pos);
      }
    } catch (IOException e) {
      throw io("writing", e);
    }
  }

  public void truncate(long size) {
    try {
      channel.truncate(size);
    } catch (IOException e) {
      throw io("truncating", e);
    }
  }

  public void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw io("syncing", e);
    }
  }

  private HadbException io(String what, IOException e) {
    return HadbException.unavailable(what + " database file " + path + " failed: " + e.getMessage(), e);
  }

  /** Close only after every SQLite connection on the file is closed (see class comment). */
  @Override
  public void close() {
    Connections.closeQuietly(channel);
  }
}
