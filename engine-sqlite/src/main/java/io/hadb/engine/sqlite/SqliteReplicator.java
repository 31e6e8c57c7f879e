package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.Replicator;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.Checksum;
import io.hadb.engine.sqlite.internal.ChainKeys;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.FilePages;
import io.hadb.engine.sqlite.internal.LocalState;
import io.hadb.engine.sqlite.internal.PageApplier;
import io.hadb.engine.sqlite.internal.RawApplier;
import io.hadb.engine.sqlite.internal.Spool;
import io.hadb.engine.sqlite.internal.WriteListener;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite {@link Replicator}: WAL capture and publishing on the leader, verified torn-read-free
 * apply on followers (see {@link Publisher}, {@link Follower}, DESIGN §6.2–§6.5).
 *
 * <p>Roles: a database opens as a follower (rollback-journal file, read pool only).
 * {@link #startPublishing} catches up to {@code nextSeq - 1}, switches the file to WAL, attaches the
 * one write connection and starts shipping. {@link #stopPublishing} detaches the writer and
 * switches back; if commits were left unshipped the file is marked dirty and the next
 * {@link #bootstrap} or {@link #pull} rebuilds it from the chain (DESIGN §6.2: a demoted leader
 * must not keep commits the chain does not have).
 */
public final class SqliteReplicator implements Replicator {
  private static final System.Logger LOG = System.getLogger(SqliteReplicator.class.getName());

  private final Path db;
  private final DbFile file;
  private final SqliteExecutor executor;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final SqliteOptions options;
  private final Follower follower;
  private PageApplier applier; // guarded by this; closed while publishing
  private Publisher publisher; // guarded by this
  /**
   * The publisher the last stopPublishing stopped, until the file is rebuilt from the chain or
   * publishing starts again; guarded by this. sync() asks it, so a commit made before the stop and
   * never shipped is not reported durable (see {@link #sync()}).
   */
  private Publisher stoppedPublisher;
  private long droppedCommits; // guarded by this
  private long publishEpoch; // guarded by this
  private ScheduledExecutorService snapshotThread; // guarded by this; while publishing
  private final Snapshots snapshots;
  private final ChainSeal seal;
  private boolean closed;
  private long lastSnapshotCheck; // System.nanoTime() of the last idle look at the snapshots; 0 = never
  /** How often an idle follower lists the snapshots (a SNAPSHOT_ONLY chain moves only there). */
  private static final long SNAPSHOT_CHECK_NANOS = 5_000_000_000L;

  SqliteReplicator(Path db, DbFile file, SqliteExecutor executor, StorageBackend storage,
      ChainKeys keys, SqliteOptions options) {
    this.db = db;
    this.file = file;
    this.executor = executor;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
    LocalState state = LocalState.read(db).orElseGet(() -> {
      // A file with data but no record of its chain position cannot be trusted as a follower copy.
      return file.size() == 0 ? LocalState.empty() : LocalState.empty().withDirty(true);
    });
    this.follower = new Follower(db, file, images -> applier().apply(images), storage, keys, options, state);
    this.snapshots = new Snapshots(db, file, storage, keys, options);
    this.seal = new ChainSeal(storage, keys, options.decode(), System::currentTimeMillis);
    follower.recoverStaged();
  }

  // ---- leader ----

  @Override
  public boolean seal(long epoch, long seq) {
    checkOpen();
    return seal.seal(epoch, seq);
  }

  @Override
  public synchronized void startPublishing(long epoch, long nextSeq) {
    checkOpen();
    if (epoch < 1) {
      throw HadbException.invalidArgument("epoch must be at least 1, was " + epoch);
    }
    if (nextSeq < 1) {
      throw HadbException.invalidArgument("nextSeq must be at least 1, was " + nextSeq);
    }
    if (publisher != null) {
      throw HadbException.invalidArgument("already publishing " + db + " at epoch " + epoch);
    }
    LocalState s = follower.state();
    if (s.dirty() && !(nextSeq == 1 && s.seq() == 0)) {
      // A leader that crashed (or stopped with commits unshipped) may hold commits the chain
      // never got; its WAL was folded into the file at open. Start again from the chain. (An
      // empty chain instead takes the file as it is: it ships whole as seq 1.)
      rebuild();
      s = follower.state();
    }
    if (s.seq() < nextSeq - 1) {
      follower.pullTo(nextSeq - 1);
      s = follower.state();
      if (s.seq() < nextSeq - 1) {
        throw HadbException.notFound("the chain of " + db + " ends at seq " + s.seq()
            + "; cannot publish from seq " + nextSeq);
      }
    }
    if (s.seq() > nextSeq - 1) {
      throw HadbException.invalidArgument("the local file is at seq " + s.seq()
          + ", past nextSeq - 1 = " + (nextSeq - 1));
    }
    if (epoch < s.epoch()) {
      throw HadbException.fenced("epoch " + epoch + " is older than epoch " + s.epoch()
          + " already in the chain");
    }
    closeApplier(); // in WAL mode an idle connection still pins the file; the writer needs none
    executor.attachWriter(Connections.openWalWriter(db, options.busyTimeoutMillis()));
    executor.allowWrites();
    Publisher p = new Publisher(db, file, executor, storage, keys, options, epoch, nextSeq,
        Checksum.ofHex(s.checksumHex()), System::currentTimeMillis);
    new LocalState(s.seq(), s.checksumHex(), Math.max(epoch, s.epoch()), true).write(db);
    ReentrantLock lock = executor.writeLock();
    lock.lock();
    try {
      if (options.durability() != Durability.SNAPSHOT_ONLY) {
        if (nextSeq == 1 && file.size() > 0) {
          shipBase(p);
        }
        executor.setWriteListener(p);
      }
      p.start();
      publisher = p;
      stoppedPublisher = null;
      publishEpoch = epoch;
      startSnapshotThread(p);
    } catch (RuntimeException e) {
      p.close();
      executor.setWriteListener(WriteListener.NONE);
      executor.detachWriterLocked();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /**
   * An existing database made replicated: seq 1 must hold every page, because a follower starts
   * from an empty file. Checkpoint first so the file alone is the whole database.
   */
  private void shipBase(Publisher p) {
    if (!p.checkpointLocked()) {
      throw HadbException.unavailable("could not checkpoint " + db + " before the base changeset"
          + " (a reader held the WAL)", null);
    }
    p.shipNow(FilePages.of(file));
  }

  private void startSnapshotThread(Publisher p) {
    snapshotThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hadb-sqlite-snapshot-" + db.getFileName());
      t.setDaemon(true);
      return t;
    });
    ScheduledExecutorService t = snapshotThread;
    p.onSnapshotDue(() -> t.execute(this::snapshotQuietly));
    if (!options.snapshots().interval().isZero()) {
      t.scheduleAtFixedRate(p::tick, 1, 1, TimeUnit.SECONDS);
    }
  }

  private void snapshotQuietly() {
    try {
      snapshot();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "scheduled snapshot of " + db + " failed: " + e.getMessage());
    }
  }

  /**
   * Leader: takes a snapshot now (writers wait only for the pending ship and a checkpoint), then
   * applies the retention policy. Returns the snapshot's seq.
   */
  @Override
  public long snapshot(io.hadb.api.engine.Progress progress) {
    return snapshot();
  }

  /** {@link #snapshot(io.hadb.api.engine.Progress)} without progress reports. */
  public long snapshot() {
    Publisher p;
    long epoch;
    synchronized (this) {
      checkOpen();
      p = publisher;
      epoch = publishEpoch;
    }
    if (p == null) {
      throw HadbException.invalidArgument("snapshot() runs on the publishing node; " + db + " is a follower");
    }
    synchronized (snapshots) {
      return snapshots.take(p, epoch);
    }
  }

  /** The seqs of the snapshots in storage, ascending. */
  public java.util.List<Long> snapshotSeqs() {
    return Snapshots.list(storage, keys);
  }

  @Override
  public void stopPublishing() {
    Publisher p;
    ScheduledExecutorService t;
    synchronized (this) {
      p = publisher;
      if (p == null) {
        return;
      }
      publisher = null;
      stoppedPublisher = p;
      t = snapshotThread;
      snapshotThread = null;
    }
    if (t != null) {
      // No interrupt: an interrupted read closes the file channel it runs on, and closing the
      // database's one channel drops SQLite's locks (DESIGN §6.5). A running snapshot ends on its
      // own: the publisher fails its pending request when it stops.
      t.shutdown();
    }
    ReentrantLock lock = executor.writeLock();
    lock.lock();
    try {
      executor.refuseWrites(HadbException.notLeader("this node stopped publishing " + db, null));
      executor.setWriteListener(WriteListener.NONE);
    } finally {
      lock.unlock();
    }
    p.close();
    long unshipped = p.unshippedCommits();
    boolean clean = unshipped == 0 && p.failure() == null;
    lock.lock();
    try {
      Connection w = executor.writerOrNullLocked();
      if (w != null && !toRollbackJournal(w)) {
        clean = false;
      }
      executor.detachWriterLocked();
      follower.record(new LocalState(p.lastSeq(), p.lastChecksum().toHex(), follower.state().epoch(), !clean));
    } finally {
      lock.unlock();
    }
    synchronized (this) {
      droppedCommits = unshipped;
    }
    if (!clean) {
      LOG.log(Level.WARNING, "stopped publishing " + db + " with " + unshipped + " commit(s) not in"
          + " the chain; the file will be rebuilt from the chain before it follows");
    }
  }

  private PageApplier applier() {
    if (applier == null) {
      applier = new PageApplier(file, options.busyTimeoutMillis());
    }
    return applier;
  }

  private void closeApplier() {
    if (applier != null) {
      applier.close();
      applier = null;
    }
  }

  /**
   * Folds the WAL into the file and leaves WAL mode: the follower applier needs a rollback-journal
   * file. In WAL mode every open connection holds a shared lock, so idle readers are closed first
   * and the switch is retried while a read is still running.
   */
  private boolean toRollbackJournal(Connection w) {
    long deadline = System.nanoTime() + options.busyTimeout().toNanos();
    while (true) {
      executor.readers().closeIdle();
      try (Statement s = w.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        String mode = Connections.single(s, "PRAGMA journal_mode=DELETE");
        if ("delete".equalsIgnoreCase(mode)) {
          return true;
        }
      } catch (SQLException e) {
        LOG.log(Level.DEBUG, "leaving WAL mode: " + e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        LOG.log(Level.WARNING, "could not take " + db + " out of WAL mode (readers kept it busy)");
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  @Override
  public long sync() {
    Publisher p;
    Publisher stopped;
    synchronized (this) {
      checkOpen();
      p = publisher;
      stopped = stoppedPublisher;
    }
    if (p == null) {
      if (stopped != null) {
        // A writer that committed just before a demotion calls sync() after it: everything its
        // publisher shipped is durable, anything it left out is not (NOT_LEADER), and saying
        // otherwise would acknowledge a write the rebuild will drop.
        stopped.sync();
      }
      return appliedSeq();
    }
    if (options.durability() == Durability.SNAPSHOT_ONLY) {
      throw HadbException.unsupported("sync() ships changesets; durability SNAPSHOT_ONLY takes snapshots");
    }
    return p.sync();
  }

  // ---- follower ----

  @Override
  public synchronized long bootstrap() {
    checkOpen();
    checkFollower("bootstrap");
    follower.recoverStaged();
    try {
      follower.checkUnchanged();
    } catch (HadbException e) {
      // Bootstrap brings the file to the chain anyway: report it and rebuild right here, rather
      // than fail the opening of the database (pull() throws it, then rebuilds on the next call).
      LOG.log(Level.WARNING, e.getMessage());
    }
    if (follower.state().dirty()) {
      rebuild();
    }
    fromSnapshotIfBehind(follower);
    return follower.pull();
  }

  /**
   * An empty follower, or one whose next changeset retention already deleted, starts from the
   * latest snapshot instead of replaying the chain from its start.
   */
  private boolean fromSnapshotIfBehind(Follower f) {
    Optional<Long> latest = Snapshots.latest(storage, keys);
    long seq = f.state().seq();
    if (latest.isPresent() && latest.get() > seq && (seq == 0 || !f.hasChange(seq + 1))) {
      f.restoreSnapshot(latest.get());
      return true;
    }
    return false;
  }

  @Override
  public synchronized long pull() {
    checkOpen();
    checkFollower("pull");
    follower.checkUnchanged();
    if (follower.state().dirty()) {
      rebuild();
    }
    long before = follower.state().seq();
    long seq;
    try {
      seq = follower.pull();
    } catch (ChainException e) {
      // Retention deleted the changesets this follower still needed: go on from the snapshot.
      if (e.kind() != ChainException.Kind.GAP || !fromSnapshotIfBehind(follower)) {
        throw e;
      }
      return follower.pull();
    }
    long now = System.nanoTime();
    if (seq == before && (lastSnapshotCheck == 0 || now - lastSnapshotCheck >= SNAPSHOT_CHECK_NANOS)) {
      // Nothing new in the changesets: a SNAPSHOT_ONLY leader moves the chain by snapshots only.
      lastSnapshotCheck = now;
      if (fromSnapshotIfBehind(follower)) {
        seq = follower.pull();
      }
    }
    return seq;
  }

  /**
   * Rebuilds the local file from the chain: the chain's image is built in a private side file,
   * then written into the live file in one apply (exclusive lock), so readers go from the old
   * content to the chain's without a torn state.
   */
  private void rebuild() {
    Path side = db.resolveSibling(db.getFileName() + "-hadb.rebuild");
    Spool.deleteQuietly(side);
    Spool.deleteQuietly(LocalState.fileOf(side));
    LocalState built;
    try (DbFile sideFile = new DbFile(side)) {
      Follower f = new Follower(side, sideFile, new RawApplier(sideFile), storage, keys, options, LocalState.empty());
      fromSnapshotIfBehind(f);
      f.pull();
      built = f.state();
      sideFile.force();
      if (sideFile.size() > 0) {
        closeApplier(); // a fresh applier: the file's content is replaced whatever it was
        applier().apply(FilePages.of(sideFile));
      } else if (file.size() > 0) {
        throw HadbException.unsupported("the chain of " + db + " is empty but the local file is not;"
            + " refusing to wipe it");
      }
    } finally {
      Spool.deleteQuietly(side);
      Spool.deleteQuietly(LocalState.fileOf(side));
    }
    follower.record(built);
    synchronized (this) {
      stoppedPublisher = null; // its unshipped commits are gone from the file now
    }
    LOG.log(Level.INFO, "rebuilt " + db + " from the chain at seq " + built.seq());
  }

  private void checkFollower(String what) {
    if (publisher != null) {
      throw HadbException.invalidArgument(what + "() is for followers; " + db + " is publishing");
    }
  }

  /** Follower: applies changesets up to {@code seq} (or the chain's end); returns the applied seq. */
  public synchronized long pullTo(long seq) {
    checkOpen();
    checkFollower("pullTo");
    follower.checkUnchanged();
    if (follower.state().dirty()) {
      rebuild();
    }
    return follower.pullTo(seq);
  }

  @Override
  public synchronized long appliedSeq() {
    return publisher != null ? publisher.lastSeq() : follower.state().seq();
  }

  /** Commits the last {@link #stopPublishing} left out of the chain (dropped by the rebuild). */
  @Override
  public synchronized long droppedCommits() {
    return droppedCommits;
  }

  // ---- extras beyond the SPI ----

  /** Page applies done on this follower so far (each applies one batch of changesets at once). */
  public long applyCount() {
    return follower.applies();
  }

  /** Whether this node is publishing (leader). */
  public synchronized boolean isPublishing() {
    return publisher != null;
  }

  /** Commits captured but not yet in storage (leader), 0 otherwise. */
  public synchronized long unshippedCommits() {
    return publisher == null ? 0 : publisher.unshippedCommits();
  }

  /** Why publishing stopped on its own (FENCED, CORRUPT, ...), if it did. */
  public synchronized Optional<HadbException> failure() {
    return publisher == null ? Optional.empty() : Optional.ofNullable(publisher.failure());
  }

  public Path file() {
    return db;
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("replicator of " + db);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    Publisher p;
    synchronized (this) {
      p = publisher;
    }
    if (p != null) {
      try {
        if (p.failure() == null && options.durability() != Durability.SNAPSHOT_ONLY) {
          p.sync();
        }
      } catch (HadbException e) {
        LOG.log(Level.WARNING, "closing " + db + " before everything shipped: " + e.getMessage());
      }
      stopPublishing();
    }
    synchronized (this) {
      closed = true;
      closeApplier();
    }
  }
}
