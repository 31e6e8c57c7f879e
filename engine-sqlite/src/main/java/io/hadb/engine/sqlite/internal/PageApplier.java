package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import io.hadb.chain.Applier;
import io.hadb.chain.PageImages;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes page images into a follower's live database file without torn reads (DESIGN §6.5).
 *
 * <p>The follower file is in rollback-journal mode. The applier's SQLite connection takes
 * {@code BEGIN EXCLUSIVE}: SQLite's PENDING lock stops new readers and EXCLUSIVE waits for the
 * running ones, so no reader sees the file between the first and the last page written. Page 1
 * is patched to the legacy format and gets a change counter readers have not seen, so each
 * reader drops its page cache on its next transaction. The pages are fsynced right after the lock
 * is released, before {@code apply} returns. Page images are idempotent, so a crash mid-apply is
 * repaired by applying the same images again (the caller keeps the record of what it was
 * applying, and clears it only after {@code apply} returned).
 */
public final class PageApplier implements Applier, AutoCloseable {
  private final DbFile file;
  private final Connection conn;
  private int expectedCounter = -1; // change counter of our last apply; -1 before the first

  public PageApplier(DbFile file, int busyTimeoutMs) {
    this.file = file;
    this.conn = Connections.openPlain(file.path(), busyTimeoutMs);
  }

  public Path path() {
    return file.path();
  }

  /** Applies {@code images} atomically with respect to every SQLite reader of the file. */
  @Override
  public void apply(PageImages images) {
    int ps = images.pageSize();
    long size = images.dbSizePages();
    if (ps < 512 || ps > 65536 || Integer.bitCount(ps) != 1) {
      throw HadbException.corrupt("page size " + ps + " is not a SQLite page size");
    }
    if (file.size() < 100) {
      populate(images);
      return;
    }
    exec("BEGIN EXCLUSIVE");
    boolean done = false;
    try {
      byte[] page1 = new byte[ps];
      int counter = 0;
      if (file.size() >= 100) {
        file.read(0, page1, ps);
        int have = DbHeader.pageSize(page1);
        if (have != 0 && have != ps) {
          throw HadbException.corrupt("database file " + file.path() + " has page size " + have
              + " but the changes have " + ps);
        }
        counter = DbHeader.changeCounter(page1);
        if (expectedCounter >= 0 && counter != expectedCounter) {
          // Every write transaction bumps the counter; only ours may have touched this file.
          throw HadbException.corrupt("database file " + file.path() + " was changed outside the"
              + " library (change counter " + counter + ", last apply left " + expectedCounter
              + "); it is rebuilt from the chain on the next pull");
        }
      }
      int newCounter = counter + 1;
      boolean[] sawPage1 = {false};
      images.forEach((no, data) -> {
        if (no < 1 || no > size) {
          return; // pages beyond the new end were freed by the same change (VACUUM, shrink)
        }
        if (no == 1) {
          System.arraycopy(data, 0, page1, 0, ps);
          DbHeader.patchForFollower(page1, newCounter, size);
          file.write(0, page1, ps);
          sawPage1[0] = true;
        } else {
          file.write((no - 1) * ps, data, ps);
        }
      });
      if (!sawPage1[0] && size >= 1) {
        // Page 1 did not change on the leader, but readers must still see a new counter.
        file.read(0, page1, ps);
        if (DbHeader.pageSize(page1) == 0) {
          throw HadbException.corrupt("database file " + file.path()
              + " has no valid page 1 and the changes do not bring one");
        }
        DbHeader.patchForFollower(page1, newCounter, size);
        file.write(0, page1, ps);
      }
      if (file.size() > size * ps) {
        file.truncate(size * ps);
      }
      done = true;
      expectedCounter = newCounter;
    } finally {
      // Nothing was written through SQLite, so COMMIT just releases the EXCLUSIVE lock.
      try {
        exec(done ? "COMMIT" : "ROLLBACK");
      } catch (RuntimeException e) {
        if (done) {
          throw e;
        }
      }
    }
    // Durable after the lock is released: readers see the change one fsync sooner, and they
    // can only ever see it whole (it was written under the lock). A power loss before this
    // fsync is repaired from the caller's apply record, which is only cleared afterwards.
    file.force();
  }

  /**
   * First fill of an empty file. A write transaction on an empty database makes SQLite build a
   * fresh page 1 and write it at COMMIT, over ours, so no SQLite lock is taken here; page 1 goes
   * last, so until the end a reader sees no database at all rather than part of one. (A follower
   * serves reads only after its bootstrap.)
   */
  private void populate(PageImages images) {
    int ps = images.pageSize();
    long size = images.dbSizePages();
    byte[] page1 = new byte[ps];
    boolean[] sawPage1 = {false};
    images.forEach((no, data) -> {
      if (no < 1 || no > size) {
        return;
      }
      if (no == 1) {
        System.arraycopy(data, 0, page1, 0, ps);
        sawPage1[0] = true;
      } else {
        file.write((no - 1) * ps, data, ps);
      }
    });
    if (size == 0) {
      return;
    }
    if (!sawPage1[0] || DbHeader.pageSize(page1) != ps) {
      throw HadbException.corrupt("the first changes applied to the empty file " + file.path()
          + " do not hold a valid page 1");
    }
    file.force();
    int counter = DbHeader.changeCounter(page1) + 1;
    DbHeader.patchForFollower(page1, counter, size);
    file.write(0, page1, ps);
    file.truncate(size * ps);
    file.force();
    expectedCounter = counter;
  }

  private void exec(String sql) {
    try (Statement s = conn.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw SqlErrors.of(e, sql);
    }
  }

  @Override
  public void close() {
    Connections.closeQuietly(conn);
  }
}
