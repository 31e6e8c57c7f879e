package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.chain.Applier;
import io.hadb.chain.Capture;
import io.hadb.chain.Checkpointer;
import io.hadb.chain.EngineFile;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.PageImages;
import io.hadb.chain.Shipping;
import io.hadb.chain.WriteListener;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.DbHeader;
import io.hadb.engine.sqlite.internal.FilePages;
import io.hadb.engine.sqlite.internal.RawApplier;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chain's side of a file other programs write ({@link ExternalWriterReplication}): a private
 * copy, the shadow, that holds exactly what the chain holds. hadb-chain follows, rebuilds and
 * snapshots the shadow, never the other programs' file; while it leads, its commits come from
 * that file's WAL ({@link ExternalCapture}).
 */
final class ShadowFile implements EngineFile, LeaderFile, Checkpointer {
  private final Path path;
  private final DbFile file;
  private final RawApplier applier;
  private final ExternalCapture capture;
  private final WalPin pin;
  private final long checkpointEvery;
  private final Lock lock = new ReentrantLock();
  private volatile WriteListener listener = WriteListener.NONE;
  private volatile HadbException refused;

  ShadowFile(Path path, DbFile file, ExternalCapture capture, WalPin pin, long checkpointEvery) {
    this.path = path;
    this.file = file;
    this.applier = new RawApplier(file);
    this.capture = capture;
    this.pin = pin;
    this.checkpointEvery = checkpointEvery;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public Lock writeLock() {
    return lock;
  }

  @Override
  public long size() {
    return file.size();
  }

  @Override
  public int stamp() {
    return DbHeader.stampOf(file);
  }

  @Override
  public Applier applier() {
    return applier;
  }

  @Override
  public PageImages pages() {
    return FilePages.of(file);
  }

  @Override
  public void replaceWith(PageImages pages) {
    applier.apply(pages);
    file.force();
  }

  @Override
  public LeaderFile lead() {
    return this;
  }

  // ---- leading: commits come from the other programs' WAL ----

  @Override
  public Capture capture() {
    return capture;
  }

  @Override
  public Checkpointer checkpointer() {
    return this;
  }

  @Override
  public PageImages wholeFileLocked() {
    return FilePages.of(file);
  }

  @Override
  public void listen(WriteListener l) {
    listener = l;
  }

  /** What the watcher tells when the other programs' WAL moved. */
  WriteListener listener() {
    return listener;
  }

  @Override
  public void refuseWrites(HadbException why) {
    refused = why;
  }

  /** Why publishing stopped, if it did. */
  HadbException refused() {
    return refused;
  }

  @Override
  public boolean resign() {
    return true;
  }

  // ---- checkpoints: the other programs' WAL, never past what shipped ----

  @Override
  public void afterShip(Shipping shipping) {
    if (shipping.shippedSinceCheckpoint() >= checkpointEvery) {
      pin.checkpointPassive();
      shipping.checkpointed();
    }
  }

  @Override
  public Shipping.Pending holdForSnapshot(Shipping shipping) {
    Shipping.Pending p = shipping.captureLocked();
    if (p == null) {
      throw HadbException.notLeader("publishing stopped before the snapshot point", null);
    }
    capture.hold();
    return p;
  }

  @Override
  public void release() {
    capture.release();
  }

  @Override
  public void close() {
    // the pin and the files are the replication's to close
  }
}
