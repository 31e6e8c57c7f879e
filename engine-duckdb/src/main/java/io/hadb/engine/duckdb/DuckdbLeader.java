package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.chain.Capture;
import io.hadb.chain.Captured;
import io.hadb.chain.Checkpointer;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.MemoryPages;
import io.hadb.chain.PageImages;
import io.hadb.chain.Shipping;
import io.hadb.chain.WriteListener;
import io.hadb.engine.duckdb.internal.FilePages;
import io.hadb.engine.duckdb.internal.PageHashes;
import java.util.concurrent.locks.Lock;

/**
 * The leader side (DESIGN §6.6): capture at checkpoint granularity. DuckDB's WAL is internal and
 * changes between versions, so the capture reads the file instead: under the write lock it runs
 * {@code CHECKPOINT} (every commit folded into the file, the WAL emptied) and ships the 4 KiB
 * pages whose hash differs from the file as last shipped ({@link PageHashes}). The file holds
 * exactly the chain's state after every capture, and commits after it live only in DuckDB's WAL
 * until the next one: in ASYNC mode at most one ship interval of commits, in SYNC mode none that
 * were acknowledged (the write waits for the capture that holds it).
 */
final class DuckdbLeader implements LeaderFile, Capture, Checkpointer {
  private final DuckdbFile file;
  private final DuckdbExecutor executor;
  private final PageHashes hashes;
  private final Lock lock;

  DuckdbLeader(DuckdbFile file, DuckdbExecutor executor, PageHashes hashes) {
    this.file = file;
    this.executor = executor;
    this.hashes = hashes;
    this.lock = executor.writeLock();
  }

  @Override
  public Capture capture() {
    return this;
  }

  @Override
  public Checkpointer checkpointer() {
    return this;
  }

  @Override
  public PageImages wholeFileLocked() {
    executor.checkpointLocked();
    executor.takeCommits();
    hashes.reset(file.leaderChannel());
    return FilePages.of(file.path(), file.leaderChannel());
  }

  @Override
  public void listen(WriteListener listener) {
    executor.listen(listener);
  }

  @Override
  public void refuseWrites(HadbException why) {
    executor.refuseWrites(why);
  }

  @Override
  public boolean resign() {
    return file.resign();
  }

  // ---- Capture ----

  /**
   * Only the CHECKPOINT holds the write lock; the file is read after it is released. That is
   * safe because nothing but this capture's CHECKPOINT writes the headers or a block the
   * checkpointed state uses (DuckDB's automatic checkpoints are off on the leader, and its blocks
   * are copy-on-write): a writer meanwhile reaches only the WAL and blocks free in that state
   * (a large insert writes its row groups there before it commits). Such a free block may ship
   * half-written or uncommitted, which a follower never reads; its final content ships with the
   * checkpoint that first uses it. When the caller already holds the lock (a snapshot point),
   * the read happens under it.
   */
  @Override
  public Captured read() {
    long commits;
    lock.lock();
    try {
      commits = executor.takeCommits();
      if (commits == 0) {
        return Captured.NONE;
      }
      executor.checkpointLocked();
    } finally {
      lock.unlock();
    }
    MemoryPages changed = hashes.changed(file.leaderChannel());
    return changed == null ? Captured.NONE : new Captured(changed, (int) Math.min(Integer.MAX_VALUE, commits));
  }

  @Override
  public long unread() {
    return executor.commitsNotTaken();
  }

  // ---- Checkpointer: the capture checkpoints, so there is nothing to fold in after a ship ----

  @Override
  public void afterShip(Shipping shipping) {
    shipping.checkpointed();
  }

  @Override
  public Shipping.Pending holdForSnapshot(Shipping shipping) {
    lock.lock();
    try {
      Shipping.Pending p;
      if (shipping.ships()) {
        p = shipping.captureLocked();
      } else {
        executor.checkpointLocked(); // SNAPSHOT_ONLY: the snapshot reads the file, which must hold every commit
        p = Shipping.Pending.NONE;
      }
      if (p == null) {
        throw HadbException.notLeader("publishing stopped before the snapshot point", null);
      }
      executor.holdWrites();
      return p;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void release() {
    executor.releaseWrites();
  }

  @Override
  public void close() {
    // the capture holds nothing open: the file's channel is the leader's, closed on resign
  }
}
