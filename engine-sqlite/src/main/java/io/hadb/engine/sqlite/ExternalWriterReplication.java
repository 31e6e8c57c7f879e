package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainReplicator;
import io.hadb.chain.Standalone;
import io.hadb.chain.WriteListener;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.WalReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Continuous replication of a SQLite file that other programs write (the Litestream use), without
 * a lease: their commits are read from the file's WAL and shipped as the chain's changesets.
 *
 * <p>How it differs from a leader (DESIGN §6.5): a leader owns the only writer, so it knows each
 * commit and checkpoints only what shipped. Here the writers are elsewhere and checkpoint when
 * they like (SQLite's automatic checkpoint after 1,000 pages by default), so a read transaction
 * is held open at all times ({@link WalPin}): it keeps any writer from restarting the WAL, so
 * frames stay readable until captured ({@link ExternalCapture} says why that loses nothing). A
 * watcher looks at the WAL every poll interval and wakes the shipper when it moved. The chain's
 * state lives in a private shadow copy beside the state directory, never in the other programs'
 * file, which the library only reads; snapshots are taken from the shadow. At start the file is
 * compared with the shadow page by page and what differs ships: whatever happened while nothing
 * watched it is caught up then.
 *
 * <p>Limits: the WAL is checkpointed {@code PASSIVE} only (never past the pin), so under a writer
 * that never pauses it grows until the writers pause. A commit is in storage about a poll
 * interval plus an upload after it was made (there is no SYNC for other programs' commits).
 */
public final class ExternalWriterReplication implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ExternalWriterReplication.class.getName());

  private final Path source;
  private final DbFile sourceFile;
  private final DbFile shadowFile;
  private final WalPin pin;
  private final ShadowFile shadow;
  private final ExternalCapture capture;
  private final ChainReplicator replicator;
  private final Thread watcher;
  private final Duration poll;
  private volatile boolean stop;

  private ExternalWriterReplication(Path source, DbFile sourceFile, DbFile shadowFile, WalPin pin, ShadowFile shadow,
      ExternalCapture capture, ChainReplicator replicator, Duration poll) {
    this.source = source;
    this.sourceFile = sourceFile;
    this.shadowFile = shadowFile;
    this.pin = pin;
    this.shadow = shadow;
    this.capture = capture;
    this.replicator = replicator;
    this.poll = poll;
    this.watcher = new Thread(this::watch, "hadb-replicate-" + source.getFileName());
    this.watcher.setDaemon(true);
  }

  /**
   * Starts replicating {@code source} (an existing SQLite file; switched to WAL mode if it is not)
   * to the chain under {@code prefix}, keeping the chain's state in {@code stateDir} (created; one
   * per replicated file and chain). Ships what differs from the chain at once, then every commit
   * the watcher finds, looking every {@code poll}.
   */
  public static ExternalWriterReplication start(Path source, Path stateDir, StorageBackend storage, String prefix,
      SqliteOptions options, Duration poll) {
    Standalone.checkPollInterval(poll);
    if (!Files.isRegularFile(source)) {
      throw HadbException.invalidArgument(source + " is not a file: replicate follows an existing SQLite database");
    }
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw HadbException.invalidArgument("cannot create the state directory " + stateDir + ": " + e.getMessage());
    }
    WalPin pin = new WalPin(source, options.busyTimeoutMillis());
    DbFile sourceFile = new DbFile(source); // kept open until close: closing a descriptor drops SQLite's locks
    DbFile shadowFile = new DbFile(stateDir.resolve("shadow.db"));
    ExternalCapture capture = new ExternalCapture(source, sourceFile, shadowFile, pin);
    ShadowFile shadow = new ShadowFile(stateDir.resolve("shadow.db"), shadowFile, capture, pin,
        options.checkpointPages());
    ChainReplicator r = null;
    try {
      r = new ChainReplicator(shadow, SqliteFormat.INSTANCE, storage, ChainKeys.of(prefix), options.chain());
      Standalone.startPrimary(r, storage, prefix, options.decode());
      ExternalWriterReplication x = new ExternalWriterReplication(source, sourceFile, shadowFile, pin, shadow, capture,
          r, poll);
      x.wake();
      x.watcher.start();
      return x;
    } catch (RuntimeException e) {
      if (r != null) {
        r.close();
      }
      pin.close();
      shadowFile.close();
      sourceFile.close();
      throw e;
    }
  }

  /** The last seq stored. */
  public long shippedSeq() {
    return replicator.appliedSeq();
  }

  /** Why shipping stopped, if it did (the chain fenced this writer, storage refused, ...). */
  public Optional<HadbException> failure() {
    return replicator.failure().or(() -> Optional.ofNullable(shadow.refused()));
  }

  /** Looks at the file now and returns once everything committed to it so far is in storage. */
  public long sync() {
    while (true) {
      long skippedBefore = capture.skipped();
      wake();
      long seq = replicator.sync();
      // The shipper reports a wake done once a capture after it ran, and each capture reads
      // everything committed before it; but a snapshot copying the shadow makes the shipper skip
      // the capture, and it reports done with nothing read. A round without a skip is a real one.
      if (capture.skipped() == skippedBefore || failure().isPresent()) {
        return seq;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HadbException.unavailable("interrupted while waiting for a snapshot of " + source + " to end", e);
      }
    }
  }

  /** Takes a snapshot of the chain's state now; returns its seq. */
  public long snapshot() {
    return replicator.snapshot(io.hadb.api.engine.Progress.NONE);
  }

  private void wake() {
    WriteListener l = shadow.listener();
    shadow.writeLock().lock();
    long token;
    try {
      token = l.afterWrite();
    } finally {
      shadow.writeLock().unlock();
    }
    l.afterUnlock(token);
  }

  /** Wakes the shipper when the WAL's size or time changed, a capture was deferred, or every 10th poll anyway. */
  private void watch() {
    Path wal = WalReader.walOf(source);
    long lastSize = -1;
    long lastTime = -1;
    int quiet = 0;
    while (!stop) {
      try {
        Thread.sleep(poll.toMillis());
        long size = Files.exists(wal) ? Files.size(wal) : 0;
        long time = Files.exists(wal) ? Files.getLastModifiedTime(wal).toMillis() : 0;
        if (size != lastSize || time != lastTime || capture.deferred() || ++quiet >= 10) {
          lastSize = size;
          lastTime = time;
          quiet = 0;
          wake();
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "watching " + wal + " failed (retrying): " + e.getMessage());
      }
    }
  }

  /** Ships what is committed, stops, and closes the connections; the other programs' file is left as it is. */
  @Override
  public void close() {
    stop = true;
    watcher.interrupt();
    try {
      watcher.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (failure().isEmpty()) {
        sync();
      }
    } catch (HadbException e) {
      LOG.log(Level.WARNING, "the last ship of " + source + " failed: " + e.getMessage());
    } finally {
      replicator.close();
      pin.close();
      shadowFile.close();
      sourceFile.close();
    }
  }
}
