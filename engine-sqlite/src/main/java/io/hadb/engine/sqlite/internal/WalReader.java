package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Follows a SQLite {@code -wal} file and returns the frames committed since the last read.
 *
 * <p>Validation is SQLite's own recovery rule: a frame counts only if its salts equal the
 * header's and its cumulative checksum matches; the first frame that fails ends the log, and
 * frames after the last valid commit frame (a transaction still being written, or torn) are not
 * returned. A restart (new salts in the header) is detected; when the caller did not cause it
 * ({@link #expectRestart()}), the capture says so, because frames of the old generation that
 * were not read are gone.
 *
 * <p>The reader keeps one channel open on the WAL. {@link #readCommitted()} is not thread-safe:
 * the replicator calls it under the database's write lock, so no writer moves the log meanwhile.
 * {@link #readPage} may run on another thread at the same time (positional reads only).
 */
public final class WalReader implements AutoCloseable {
  /** Largest capture whose page images are kept from the scan (see {@link WalCapture#images}). */
  private static final long IMAGES_MAX_BYTES = 8L << 20;
  /** Frames read per I/O call. */
  private static final int BATCH_BYTES = 1 << 20;
  /** Largest scan buffer kept between scans (see {@link #scan}). */
  private static final int KEPT_BUFFER_BYTES = 64 << 10;

  private final Path wal;
  private FileChannel channel;
  private WalHeader header; // generation of the last read; null = accept any
  private long position; // offset after the last committed frame read
  private final int[] sum = new int[2]; // cumulative checksum at position
  private boolean expectRestart;
  private byte[] scanBuffer; // reused: readCommitted runs once per shipped batch

  public WalReader(Path walFile) {
    this.wal = walFile;
  }

  /** The {@code -wal} file of database {@code db}. */
  public static Path walOf(Path db) {
    return db.resolveSibling(db.getFileName() + "-wal");
  }

  public Path file() {
    return wal;
  }

  /**
   * Call after this process read every committed frame and then checkpointed the WAL itself
   * (RESTART or TRUNCATE): a new generation is then expected, not a loss. Until the next writer
   * actually restarts the log, reading simply goes on in the current generation.
   */
  public void expectRestart() {
    expectRestart = true;
  }

  /** The WAL header of the generation last read, if any. */
  public Optional<WalHeader> header() {
    return Optional.ofNullable(header);
  }

  /** Offset just after the last committed frame read (0 before any). */
  public long position() {
    return position;
  }

  /** Reads every frame committed since the previous call. */
  public WalCapture readCommitted() {
    try {
      FileChannel ch = channel();
      if (ch == null) {
        return empty(header, false);
      }
      long size = ch.size();
      if (size < WalHeader.SIZE) {
        // Truncated (checkpoint TRUNCATE) or not yet written: nothing committed to read. If the
        // truncation was not ours, the next generation's new salts report it.
        return empty(header, false);
      }
      byte[] hb = new byte[WalHeader.SIZE];
      readFully(ch, ByteBuffer.wrap(hb), 0);
      Optional<WalHeader> parsed = WalHeader.parse(hb);
      if (parsed.isEmpty()) {
        return empty(header, false);
      }
      WalHeader h = parsed.get();
      boolean restarted = false;
      boolean newGeneration = header == null || !header.sameGeneration(h);
      if (newGeneration) {
        restarted = header != null && !expectRestart;
        expectRestart = false;
        header = h;
        position = WalHeader.SIZE;
        sum[0] = h.checksum0();
        sum[1] = h.checksum1();
      }
      WalCapture c = scan(ch, size, restarted);
      if (!newGeneration && c.commits() > 0) {
        // Commits were added to the log instead of starting it over (a reader held it), so it is
        // no longer copied whole: only a later checkpoint, which says so again, can restart it.
        // Kept, the flag would pass a restart by another process for ours.
        expectRestart = false;
      }
      return c;
    } catch (IOException e) {
      throw HadbException.unavailable("reading WAL " + wal + " failed: " + e.getMessage(), e);
    }
  }

  private WalCapture scan(FileChannel ch, long size, boolean restarted) throws IOException {
    int frameSize = header.frameSize();
    // Sized to what this scan reads, at most a batch; kept for the next scan only while small, so
    // a node's thousands of idle leaders do not each hold a batch-sized buffer from one burst.
    int framesPerBatch = (int) Math.max(1, Math.min(BATCH_BYTES / frameSize, (size - position) / frameSize));
    byte[] buf = scanBuffer != null && scanBuffer.length >= framesPerBatch * frameSize
        ? scanBuffer : new byte[framesPerBatch * frameSize];
    scanBuffer = buf.length <= KEPT_BUFFER_BYTES ? buf : null;
    TreeMap<Long, Long> committed = new TreeMap<>();
    TreeMap<Long, Long> pending = new TreeMap<>();
    // Page images kept from this scan, up to IMAGES_MAX_BYTES; past that, shipping reads them again.
    HashMap<Long, byte[]> committedImages = new HashMap<>();
    HashMap<Long, byte[]> pendingImages = new HashMap<>();
    boolean keepImages = true;
    int[] running = {sum[0], sum[1]};
    long off = position;
    int commits = 0;
    long dbSize = 0;
    boolean be = header.bigEndianChecksum();
    scanning:
    while (off + frameSize <= size) {
      int frames = (int) Math.min(framesPerBatch, (size - off) / frameSize);
      int len = frames * frameSize;
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
      readFully(ch, bb, off);
      for (int f = 0; f < frames; f++) {
        int at = f * frameSize;
        long pageNo = Integer.toUnsignedLong(WalChecksum.be32(buf, at));
        long commitSize = Integer.toUnsignedLong(WalChecksum.be32(buf, at + 4));
        if (pageNo == 0
            || WalChecksum.be32(buf, at + 8) != header.salt1()
            || WalChecksum.be32(buf, at + 12) != header.salt2()) {
          break scanning;
        }
        WalChecksum.update(be, buf, at, 8, running);
        WalChecksum.update(be, buf, at + WalHeader.FRAME_HEADER_SIZE, header.pageSize(), running);
        if (running[0] != WalChecksum.be32(buf, at + 16) || running[1] != WalChecksum.be32(buf, at + 20)) {
          break scanning;
        }
        long frameOffset = off + at;
        pending.put(pageNo, frameOffset);
        if (keepImages) {
          pendingImages.put(pageNo, java.util.Arrays.copyOfRange(buf, at + WalHeader.FRAME_HEADER_SIZE,
              at + WalHeader.FRAME_HEADER_SIZE + header.pageSize()));
          if ((long) (committedImages.size() + pendingImages.size()) * header.pageSize() > IMAGES_MAX_BYTES) {
            keepImages = false;
            committedImages.clear();
            pendingImages.clear();
          }
        }
        if (commitSize != 0) {
          committed.putAll(pending);
          pending.clear();
          committedImages.putAll(pendingImages);
          pendingImages.clear();
          commits++;
          dbSize = commitSize;
          position = frameOffset + frameSize;
          sum[0] = running[0];
          sum[1] = running[1];
        }
      }
      off += len;
    }
    return new WalCapture(header, restarted, commits, dbSize, committed,
        keepImages ? committedImages : Map.of());
  }

  /**
   * Reads the page image of the frame at {@code frameOffset} into {@code dest}, checking that the
   * frame still belongs to {@code generation} (a WAL restarted behind the replicator's back
   * would otherwise hand out another transaction's page).
   */
  public void readPage(WalHeader generation, long frameOffset, long pageNo, byte[] dest) {
    try {
      FileChannel ch = channel();
      byte[] fh = new byte[WalHeader.FRAME_HEADER_SIZE];
      if (ch == null || ch.size() < frameOffset + generation.frameSize()) {
        throw HadbException.corrupt("WAL " + wal + " no longer holds the frame at offset " + frameOffset
            + " (reset behind the replicator: another process checkpointed?)");
      }
      readFully(ch, ByteBuffer.wrap(fh), frameOffset);
      if (Integer.toUnsignedLong(WalChecksum.be32(fh, 0)) != pageNo
          || WalChecksum.be32(fh, 8) != generation.salt1()
          || WalChecksum.be32(fh, 12) != generation.salt2()) {
        throw HadbException.corrupt("WAL " + wal + " frame at offset " + frameOffset
            + " changed since it was captured (WAL reset behind the replicator: another process"
            + " checkpointed?)");
      }
      readFully(ch, ByteBuffer.wrap(dest, 0, generation.pageSize()), frameOffset + WalHeader.FRAME_HEADER_SIZE);
    } catch (IOException e) {
      throw HadbException.unavailable("reading WAL " + wal + " failed: " + e.getMessage(), e);
    }
  }

  private WalCapture empty(WalHeader h, boolean restarted) {
    return new WalCapture(h, restarted, 0, 0, new TreeMap<>(), Map.of());
  }

  private synchronized FileChannel channel() throws IOException {
    if (channel == null) {
      if (!Files.exists(wal)) {
        return null;
      }
      channel = FileChannel.open(wal, StandardOpenOption.READ);
    }
    return channel;
  }

  private static void readFully(FileChannel ch, ByteBuffer bb, long at) throws IOException {
    long pos = at;
    while (bb.hasRemaining()) {
      int n = ch.read(bb, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at offset " + pos);
      }
      pos += n;
    }
  }

  @Override
  public synchronized void close() {
    Connections.closeQuietly(channel);
    channel = null;
  }
}
