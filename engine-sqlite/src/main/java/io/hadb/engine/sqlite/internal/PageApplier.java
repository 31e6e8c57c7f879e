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
    this.conn = Connections.openForLocking(file.path(), busyTimeoutMs);
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
    boolean fresh = file.size() < 100;
    if (fresh && size == 0) {
      return; // the leader's database is still empty, and so is ours
    }
    if (fresh) {
      createEmpty(ps);
    } else if (expectedCounter < 0) {
      growToTheSizePage1Names(); // only an apply interrupted before this applier existed can leave that
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
        if (fresh && no != 1 && !sawPage1[0]) {
          // Pages come in ascending order: the first fill must start with page 1, or nothing is written.
          throw HadbException.corrupt("the first changes applied to the empty file " + file.path()
              + " do not hold page 1");
        }
        if (no == 1) {
          System.arraycopy(data, 0, page1, 0, ps); // written last, below
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
      }
      if (size >= 1) {
        // Page 1 last: it holds the database size, and a page 1 that names pages the file does
        // not have yet makes SQLite refuse the file (SQLITE_CORRUPT at BEGIN), which a crash
        // between the first and the last page would leave for the repair to trip over.
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
   * A fresh follower's file is empty, and readers may already poll it ({@code awaitReady} does).
   * Pages written into it before page 1 would make it a file SQLite refuses (SQLITE_NOTADB), and
   * a write transaction on an empty file makes SQLite write its own page 1 at COMMIT, over ours.
   * So SQLite itself first makes it an empty database of the leader's page size, under its own
   * locks; the first changes then go in through the locked path like every later one.
   */
  private void createEmpty(int pageSize) {
    exec("PRAGMA page_size = " + pageSize);
    exec("PRAGMA user_version = 0"); // a header write: SQLite creates page 1 and commits it
    if (file.size() < 100) {
      throw HadbException.corrupt("SQLite did not create a database in the empty file " + file.path());
    }
  }

  /**
   * A power loss may persist page 1 of an interrupted apply but not the pages after it (the
   * writes reach the disk in any order until the fsync). SQLite then refuses the file, since page
   * 1 names more pages than it has, so the repair could not even take its lock. The missing pages
   * are new pages of the interrupted batch, which the repair writes again: zeros stand in until
   * then. A file whose page 1 is intact never needs this.
   */
  private void growToTheSizePage1Names() {
    if (file.size() < 100) {
      return;
    }
    byte[] head = new byte[100];
    file.read(0, head, 100);
    int ps = DbHeader.pageSize(head);
    long named = DbHeader.sizeInPages(head);
    if (ps != 0 && named * ps > file.size()) {
      file.write(named * ps - ps, new byte[ps], ps);
    }
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
