package io.hadb.chain;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.DurableListener;
import io.hadb.api.engine.EngineThreads;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.Replicator;
import io.hadb.chain.internal.ChainSeal;
import io.hadb.chain.internal.Follower;
import io.hadb.chain.internal.ManifestKeeper;
import io.hadb.chain.internal.Publisher;
import io.hadb.chain.internal.Rebuild;
import io.hadb.chain.internal.Snapshots;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.Checksum;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;

/**
 * The {@link Replicator} of every engine: publishing on the leader, verified apply on followers,
 * the seal, snapshots and the rebuild of a file the chain does not vouch for (DESIGN §6.2–§6.3).
 * The engine takes part through its {@link EngineFile}: capture and checkpoints on the leader,
 * the torn-read-free applier on followers.
 *
 * <p>Roles: a database opens as a follower. {@link #startPublishing} catches up to
 * {@code nextSeq - 1}, makes the file writable ({@link EngineFile#lead}) and starts shipping.
 * {@link #stopPublishing} stops shipping and gives the file back to follower mode; if commits
 * were left unshipped the file is marked dirty and the next {@link #bootstrap} or {@link #pull}
 * rebuilds it from the chain (DESIGN §6.2: a demoted leader must not keep commits the chain does
 * not have).
 */
public final class ChainReplicator implements Replicator {
  private static final System.Logger LOG = System.getLogger(ChainReplicator.class.getName());
  /** How often an idle follower lists the snapshots (a SNAPSHOT_ONLY chain moves only there). */
  private static final long SNAPSHOT_CHECK_NANOS = 5_000_000_000L;

  /** Where this database stands; one value, changed under this object's monitor. */
  private sealed interface Role permits Following, Publishing, Closed {}

  /**
   * Following the chain. {@code stopped}: the publisher the last stop left commits out of the
   * chain, until the file is rebuilt or publishing starts again; {@link #sync()} asks it, so a
   * commit made before the stop and never shipped is not reported durable.
   */
  private record Following(Optional<Publisher> stopped) implements Role {}

  /** {@code stopSnapshots}: no more scheduled snapshots (one running ends on its own). */
  private record Publishing(Publisher publisher, LeaderFile leader, long epoch,
      Runnable stopSnapshots) implements Role {}

  private record Closed() implements Role {}

  private final Path db;
  private final EngineFile file;
  private final FileFormat format;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final ChainOptions options;
  private final Follower follower;
  private final Snapshots snapshots;
  private final Optional<ManifestKeeper> manifest;
  private final ChainSeal seal;
  private volatile Role role = new Following(Optional.empty()); // written under this object's monitor
  private long droppedCommits; // guarded by this
  private long lastSnapshotCheck; // System.nanoTime() of the last idle look at the snapshots; 0 = never
  private volatile DurableListener durable = DurableListener.NONE;

  /**
   * Replicates {@code file} under {@code keys} in {@code storage}. Opens as a follower and
   * finishes an apply a crash interrupted.
   */
  public ChainReplicator(EngineFile file, FileFormat format, StorageBackend storage, ChainKeys keys,
      ChainOptions options) {
    this.db = file.path();
    this.file = file;
    this.format = format;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
    // A file with data but no record of its chain position cannot be trusted as a follower copy.
    LocalState state = LocalState.read(db)
        .orElseGet(() -> file.size() == 0 ? LocalState.empty() : LocalState.empty().withDirty(true));
    this.manifest = ManifestKeeper.of(storage, keys, options);
    this.follower = new Follower(db, file, storage, keys, options, state, manifest);
    this.snapshots = new Snapshots(db, file, storage, keys, options, manifest);
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
    if (role instanceof Publishing p) {
      throw HadbException.invalidArgument("already publishing " + db + " at epoch " + p.epoch());
    }
    LocalState s = follower.state();
    if (s.dirty() && !(nextSeq == 1 && s.seq() == 0)) {
      // A leader that crashed (or stopped with commits unshipped) may hold commits the chain
      // never got. Start again from the chain. (An empty chain instead takes the file as it is:
      // it ships whole as seq 1.)
      rebuild();
      s = follower.state();
    }
    if (s.seq() < nextSeq - 1) {
      follower.fromSnapshotIfBehind(); // retention may have collected what lies between
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
    // From here on a deposed leader's manifest write fails FENCED (DESIGN §10).
    manifest.ifPresent(m -> m.claim(epoch));
    LeaderFile leader = file.lead();
    Publisher p = new Publisher(db, leader, storage, keys, options, epoch, s.seq(),
        Checksum.ofHex(s.checksumHex()), System::currentTimeMillis);
    p.listenDurable(durable);
    new LocalState(s.seq(), s.checksumHex(), Math.max(epoch, s.epoch()), true).write(db);
    Lock lock = file.writeLock();
    lock.lock();
    try {
      if (ships()) {
        if (nextSeq == 1 && file.size() > 0) {
          // An existing database made replicated: seq 1 holds every page, since a follower
          // starts from an empty file.
          p.shipNow(leader.wholeFileLocked());
        }
        leader.listen(p);
      }
      p.start();
      role = new Publishing(p, leader, epoch, startSnapshots(p));
    } catch (RuntimeException e) {
      p.close();
      leader.listen(WriteListener.NONE);
      leader.resign();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private boolean ships() {
    return options.durability() != Durability.SNAPSHOT_ONLY;
  }

  /**
   * Runs the snapshots the policy asks for, and wakes the publisher now and then so an interval
   * policy fires without writes: on a thread of this database's own, or on a host's shared
   * threads ({@link ChainOptions#threads()}; there the wake-up comes every sixtieth of the
   * interval, 1 s to 60 s, so an idle leader costs a pass a minute at the default day).
   */
  private Runnable startSnapshots(Publisher p) {
    Runnable snapshotDue = () -> {
      try {
        snapshotQuietly();
      } finally {
        p.scheduledSnapshotEnded();
      }
    };
    Duration interval = options.snapshots().interval();
    if (options.threads().isPresent()) {
      EngineThreads shared = options.threads().get();
      p.onSnapshotDue(() -> shared.snapshots().execute(snapshotDue));
      if (interval.isZero()) {
        return () -> { };
      }
      long period = Math.max(1_000, Math.min(60_000, interval.toMillis() / 60));
      ScheduledFuture<?> tick = shared.timer().scheduleAtFixedRate(p::tick, period, period, TimeUnit.MILLISECONDS);
      return () -> tick.cancel(false);
    }
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "hadb-snapshot-" + db.getFileName());
      thread.setDaemon(true);
      return thread;
    });
    p.onSnapshotDue(() -> t.execute(snapshotDue));
    if (!interval.isZero()) {
      t.scheduleAtFixedRate(p::tick, 1, 1, TimeUnit.SECONDS);
    }
    return t::shutdown;
  }

  private void snapshotQuietly() {
    try {
      snapshot();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "scheduled snapshot of " + db + " failed: " + e.getMessage());
    }
  }

  /**
   * Leader: takes a snapshot now (writers wait only for the pending ship and the engine's
   * checkpoint), then applies the retention policy. Returns the snapshot's seq.
   */
  @Override
  public long snapshot(Progress progress) {
    HadbException.requireArg(progress, "progress");
    Publishing p;
    synchronized (this) {
      checkOpen();
      if (!(role instanceof Publishing publishing)) {
        throw HadbException.invalidArgument("snapshot() runs on the publishing node; " + db + " is a follower");
      }
      p = publishing;
    }
    // One heavy job per database at a time: the snapshot and the collection behind it.
    synchronized (snapshots) {
      return snapshots.take(p.publisher(), p.epoch(), progress);
    }
  }

  /** {@link #snapshot(Progress)} without progress reports. */
  public long snapshot() {
    return snapshot(Progress.NONE);
  }

  /** The seqs of the snapshots in storage, ascending. */
  public List<Long> snapshotSeqs() {
    return Snapshots.list(storage, keys);
  }

  @Override
  public void stopPublishing() {
    Publishing p;
    synchronized (this) {
      if (!(role instanceof Publishing publishing)) {
        return;
      }
      p = publishing;
      role = new Following(Optional.of(p.publisher()));
    }
    // No interrupt: an interrupted read closes the file channel it runs on, and closing a
    // database's channel can drop the engine's locks (DESIGN §6.5). A running snapshot ends on
    // its own: the publisher fails its pending request when it stops.
    p.stopSnapshots().run();
    Lock lock = file.writeLock();
    lock.lock();
    try {
      p.leader().refuseWrites(HadbException.notLeader("this node stopped publishing " + db, null));
      p.leader().listen(WriteListener.NONE);
    } finally {
      lock.unlock();
    }
    Publisher publisher = p.publisher();
    publisher.close();
    long unshipped = publisher.unshippedCommits();
    boolean clean = unshipped == 0 && publisher.failure() == null;
    lock.lock();
    try {
      if (!p.leader().resign()) {
        clean = false;
      }
      follower.record(new LocalState(publisher.lastSeq(), publisher.lastChecksum().toHex(), follower.state().epoch(), !clean));
    } finally {
      lock.unlock();
    }
    synchronized (this) {
      droppedCommits = unshipped;
    }
    if (!clean && !ships() && publisher.failure() == null) {
      // SNAPSHOT_ONLY ships no changesets: commits since the last snapshot live in the file by
      // design (local mode's only copy), so leaving them out of the chain is no loss to warn of.
      LOG.log(Level.DEBUG, "stopped publishing " + db + " (SNAPSHOT_ONLY): " + unshipped
          + " commit(s) since the last snapshot are in the file only");
    } else if (!clean) {
      LOG.log(Level.WARNING, "stopped publishing " + db + " with " + unshipped + " commit(s) not in"
          + " the chain; the file will be rebuilt from the chain before it follows");
    }
  }

  @Override
  public long sync() {
    Role r;
    synchronized (this) {
      checkOpen();
      r = role;
    }
    if (r instanceof Following f) {
      // A writer that committed just before a demotion calls sync() after it: everything its
      // publisher shipped is durable, anything it left out is not, and saying otherwise would
      // acknowledge a write the rebuild will drop.
      f.stopped().ifPresent(Publisher::sync);
      return appliedSeq();
    }
    if (!ships()) {
      throw HadbException.unsupported("sync() ships changesets; durability SNAPSHOT_ONLY takes snapshots");
    }
    return ((Publishing) r).publisher().sync();
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
    follower.fromSnapshotIfBehind();
    return fromSnapshotOnGap(this::pullAhead);
  }

  /**
   * Runs {@code pull}; when retention deleted changesets this follower still needed (a gap, with
   * a snapshot ahead of the local seq), goes on from that snapshot. A start meets this as well as
   * a running follower: the leader may snapshot and collect while the tail downloads.
   */
  private long fromSnapshotOnGap(LongSupplier pull) {
    try {
      return pull.getAsLong();
    } catch (ChainException e) {
      if (e.kind() != ChainException.Kind.GAP || !follower.fromSnapshotIfBehind()) {
        throw e;
      }
      return pullAhead();
    }
  }

  /** A pull downloading ahead of the apply (see {@link Follower#pullAhead}). */
  private long pullAhead() {
    return follower.pullAhead("hadb-bootstrap-download");
  }

  @Override
  public synchronized long pull() {
    checkOpen();
    checkFollower("pull");
    follower.checkUnchanged();
    boolean rebuilt = follower.state().dirty();
    if (rebuilt) {
      rebuild();
    }
    long before = follower.state().seq();
    // After a rebuild (which can take long) the chain may have moved on by many changesets.
    long seq = fromSnapshotOnGap(rebuilt ? this::pullAhead : follower::pull);
    long now = System.nanoTime();
    if (seq == before && (lastSnapshotCheck == 0 || now - lastSnapshotCheck >= SNAPSHOT_CHECK_NANOS)) {
      // Nothing new in the changesets: a SNAPSHOT_ONLY leader moves the chain by snapshots only.
      lastSnapshotCheck = now;
      if (follower.fromListedSnapshotIfBehind()) {
        seq = follower.pull();
      }
    }
    return seq;
  }

  /** Rebuilds the local file from the chain (see {@link Rebuild}). */
  private void rebuild() {
    LocalState built = Rebuild.run(file, format, storage, keys, options);
    follower.record(built);
    role = new Following(Optional.empty()); // the stopped publisher's commits are gone from the file now
    LOG.log(Level.INFO, "rebuilt " + db + " from the chain at seq " + built.seq());
  }

  private void checkFollower(String what) {
    if (role instanceof Publishing) {
      throw HadbException.invalidArgument(what + "() is for followers; " + db + " is publishing");
    }
  }

  // ---- push (DESIGN §9) ----

  /**
   * Leader: {@code l} is told of each changeset this node publishes, once it is durable in
   * storage (see {@link DurableListener}); replaces the previous one, also while publishing.
   */
  @Override
  public synchronized void onDurable(DurableListener l) {
    durable = l == null ? DurableListener.NONE : l;
    if (role instanceof Publishing p) {
      p.publisher().listenDurable(durable);
    }
  }

  /**
   * Follower: keeps {@code body}, offered as the changeset stored at {@code key} with seq
   * {@code seq}, for the next pull; verified then exactly as one read from storage, and read from
   * storage instead if it fails. False when not kept (buffer full). Never waits for a pull.
   */
  @Override
  public boolean offer(long seq, String key, byte[] body) {
    return follower.offer(seq, key, body);
  }

  /**
   * Follower: applies the offered changesets that follow the local seq, without a storage
   * request; returns the applied seq. Does nothing on a leader or on a file that needs a rebuild
   * ({@link #pull()} does that).
   */
  @Override
  public synchronized long pullOffered() {
    checkOpen();
    if (role instanceof Publishing p) {
      return p.publisher().lastSeq();
    }
    if (follower.state().dirty()) {
      return follower.state().seq();
    }
    return follower.pullOffered();
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
    return role instanceof Publishing p ? p.publisher().lastSeq() : follower.state().seq();
  }

  /** Commits the last {@link #stopPublishing} left out of the chain (dropped by the rebuild). */
  @Override
  public synchronized long droppedCommits() {
    return droppedCommits;
  }

  // ---- beyond the SPI ----

  /** Applies done on this follower so far (each applies one batch of changesets at once). */
  public long applyCount() {
    return follower.applies();
  }

  /** Changesets applied on this follower so far, seals included (a snapshot restored counts none). */
  public long appliedChangesets() {
    return follower.changesetsApplied();
  }

  /** Whether this node is publishing (leader). */
  public synchronized boolean isPublishing() {
    return role instanceof Publishing;
  }

  /** Commits captured but not yet in storage (leader), 0 otherwise. */
  public synchronized long unshippedCommits() {
    return role instanceof Publishing p ? p.publisher().unshippedCommits() : 0;
  }

  /** Why publishing stopped on its own (FENCED, CORRUPT, ...), if it did. */
  public synchronized Optional<HadbException> failure() {
    return role instanceof Publishing p ? Optional.ofNullable(p.publisher().failure()) : Optional.empty();
  }

  public Path file() {
    return db;
  }

  private void checkOpen() {
    if (role instanceof Closed) {
      throw HadbException.closed("replicator of " + db);
    }
  }

  /** Ships what is committed (leader) and stops publishing; the engine closes the file after. */
  @Override
  public void close() {
    Role r;
    synchronized (this) {
      r = role;
    }
    if (r instanceof Closed) {
      return;
    }
    if (r instanceof Publishing p) {
      try {
        if (p.publisher().failure() == null && ships()) {
          p.publisher().sync();
        }
      } catch (HadbException e) {
        LOG.log(Level.WARNING, "closing " + db + " before everything shipped: " + e.getMessage());
      }
      stopPublishing();
    }
    synchronized (this) {
      role = new Closed();
    }
  }
}
