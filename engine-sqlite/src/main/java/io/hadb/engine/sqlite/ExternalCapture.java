package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.chain.Capture;
import io.hadb.chain.Captured;
import io.hadb.chain.PageImages;
import io.hadb.engine.sqlite.internal.CapturedPages;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.FilePages;
import io.hadb.engine.sqlite.internal.RawApplier;
import io.hadb.engine.sqlite.internal.WalCapture;
import io.hadb.engine.sqlite.internal.WalReader;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The commits other programs made to a SQLite file, read from its WAL under a {@link WalPin}
 * (DESIGN §6.5, "a file written by other programs"), written into the shadow file (the chain's
 * state) and handed to the publisher as the shadow's pages.
 *
 * <p>Why nothing is lost: the pin moves at the start of each capture, when everything captured
 * before has shipped (the shipper captures, ships, then captures again). While the pin's reader
 * uses the WAL, no writer can restart it, so the frames after the pin stay where they are until
 * the next capture reads them; a checkpoint may copy them into the file but not overwrite them.
 * If the pin's reader found the WAL wholly copied into the file (SQLite then reads the file
 * only), a restart may overwrite only frames that were already in the file when the pin moved,
 * all of which had shipped; and no checkpoint runs while that reader lives, so the new
 * generation cannot be restarted again before it is read. A restart seen by the reader is
 * therefore expected, never a loss.
 *
 * <p>The first capture (and one after anything unexpected) is a resync: the file's pages, each
 * overlaid with its latest committed frame in the WAL, compared with the shadow; the pages that
 * differ ship. A page a checkpoint is copying meanwhile is one the WAL holds, so the torn copy
 * read from the file is replaced by the frame.
 */
final class ExternalCapture implements Capture {
  private static final System.Logger LOG = System.getLogger(ExternalCapture.class.getName());

  private final Path source;
  private final DbFile sourceFile;
  private final DbFile shadow;
  private final WalPin pin;
  private WalReader wal; // null: the next capture resyncs
  private volatile boolean held; // a snapshot is copying the shadow
  private volatile boolean deferred; // a capture was skipped while held: ask for one again
  private final AtomicLong skipped = new AtomicLong(); // captures skipped while held, ever

  ExternalCapture(Path source, DbFile sourceFile, DbFile shadow, WalPin pin) {
    this.source = source;
    this.sourceFile = sourceFile;
    this.shadow = shadow;
    this.pin = pin;
  }

  @Override
  public Captured read() {
    if (held) {
      deferred = true;
      skipped.incrementAndGet();
      return Captured.NONE;
    }
    deferred = false;
    pin.move();
    if (wal != null) {
      WalCapture c = wal.readCommitted();
      if (!c.restarted()) {
        wal.expectRestart();
        if (c.isEmpty()) {
          return Captured.NONE;
        }
        CapturedPages pages = new CapturedPages(wal, java.util.List.of(c));
        return intoShadow(pages, c.commits());
      }
      LOG.log(Level.WARNING, "the WAL of " + source + " was restarted unexpectedly; comparing the whole file");
    }
    return resync();
  }

  private Captured resync() {
    if (wal != null) {
      wal.close();
    }
    wal = new WalReader(WalReader.walOf(source));
    WalCapture c = wal.readCommitted();
    wal.expectRestart();
    FilePages base = FilePages.of(sourceFile);
    int pageSize = c.isEmpty() ? base.pageSize() : c.header().pageSize();
    long size = c.isEmpty() ? base.dbSizePages() : c.dbSizePages();
    if (size == 0) {
      return Captured.NONE;
    }
    if (base.dbSizePages() > 0 && base.pageSize() != pageSize) {
      throw HadbException.unsupported(source + " changed its page size from " + base.pageSize() + " to " + pageSize);
    }
    FilePages before = FilePages.of(shadow);
    long shadowPages = before.dbSizePages();
    WalReader frames = wal;
    PageImages merged = new PageImages() {
      @Override
      public int pageSize() {
        return pageSize;
      }

      @Override
      public long dbSizePages() {
        return size;
      }

      @Override
      public void forEach(Visitor v) {
        byte[] buf = new byte[pageSize];
        byte[] old = new byte[pageSize];
        for (long no = 1; no <= size; no++) {
          Long frame = c.pages().get(no);
          byte[] image = frame == null ? null : c.images().get(no);
          if (image != null) {
            System.arraycopy(image, 0, buf, 0, pageSize);
          } else if (frame != null) {
            frames.readPage(c.header(), frame, no, buf);
          } else if (no <= base.dbSizePages()) {
            sourceFile.read((no - 1) * pageSize, buf, pageSize);
          } else {
            Arrays.fill(buf, (byte) 0);
          }
          if (no > 1 && no <= shadowPages) {
            shadow.read((no - 1) * pageSize, old, pageSize);
            if (Arrays.equals(old, buf)) {
              continue;
            }
          }
          v.page(no, buf);
        }
      }
    };
    return intoShadow(merged, 1);
  }

  /** Writes {@code pages} into the shadow and returns them as the shadow's pages to ship. */
  private Captured intoShadow(PageImages pages, int commits) {
    long size = pages.dbSizePages();
    long[][] written = {new long[64]};
    int[] n = {0};
    new RawApplier(shadow).apply(new PageImages() {
      @Override
      public int pageSize() {
        return pages.pageSize();
      }

      @Override
      public long dbSizePages() {
        return size;
      }

      @Override
      public void forEach(Visitor v) {
        pages.forEach((no, data) -> {
          if (no < 1 || no > size) {
            return;
          }
          if (n[0] == written[0].length) {
            written[0] = Arrays.copyOf(written[0], n[0] * 2);
          }
          written[0][n[0]++] = no;
          v.page(no, data);
        });
      }
    });
    shadow.force();
    return new Captured(new ShadowPages(shadow, pages.pageSize(), size, Arrays.copyOf(written[0], n[0])), commits);
  }

  /** A snapshot copies the shadow: captures wait until {@link #release}. */
  void hold() {
    held = true;
  }

  void release() {
    held = false;
  }

  /** Whether a capture was skipped while a snapshot held the shadow (the watcher asks again). */
  boolean deferred() {
    return deferred;
  }

  /** How many captures were skipped while a snapshot held the shadow, since the start. */
  long skipped() {
    return skipped.get();
  }

  @Override
  public long unread() {
    return 0; // another program's commits are not counted; the next start resyncs anyway
  }

  @Override
  public void close() {
    if (wal != null) {
      wal.close();
    }
  }

}
