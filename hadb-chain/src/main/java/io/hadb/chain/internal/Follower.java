package io.hadb.chain.internal;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.Progress;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainManifest;
import io.hadb.chain.ChainOptions;
import io.hadb.chain.LocalState;
import io.hadb.chain.PageFile;
import io.hadb.chain.PageImages;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.ChainVerifier;
import io.hadb.changeset.Checksum;
import io.hadb.changeset.PhysicalHeader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Follower side: pulls the chain in order, checks every changeset with the {@link ChainVerifier}
 * (seq after the local one, previous-checksum link, epoch never backwards; DESIGN §6.2), stages
 * each batch durably and hands it to the file's {@link io.hadb.chain.Applier}. The local record
 * ({@link LocalState}) says where the file stands; the file's stamp in it finds writes made
 * outside the library.
 */
public final class Follower {
  private static final System.Logger LOG = System.getLogger(Follower.class.getName());
  private static final long BATCH_MAX_BYTES = 64L << 20;

  private final Path db;
  private final PageFile file;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final ChainOptions options;
  private final Path staging;
  private final GapCheck gaps;
  private final Optional<ManifestKeeper> manifest;

  private final OfferedChangesets offered = new OfferedChangesets();

  private LocalState state;
  private long applies; // applies done (one per batch)
  private long changesetsApplied; // changesets applied (snapshots not counted)

  public Follower(Path db, PageFile file, StorageBackend storage, ChainKeys keys, ChainOptions options,
      LocalState state, Optional<ManifestKeeper> manifest) {
    this.manifest = manifest;
    this.db = db;
    this.file = file;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
    this.state = state;
    this.staging = db.resolveSibling(db.getFileName() + "-hadb.apply");
    this.gaps = new GapCheck(storage, keys);
  }

  public synchronized LocalState state() {
    return state;
  }

  public synchronized long applies() {
    return applies;
  }

  /** Changesets applied so far (seals included, snapshots not): what a restart replayed. */
  public synchronized long changesetsApplied() {
    return changesetsApplied;
  }

  /** Makes {@code s} the state, stamped with the file's stamp now, and writes it. */
  public synchronized void record(LocalState s) {
    state = s.withStamp(file.stamp());
    state.write(db);
  }

  /**
   * A follower file is written only by this library, and every write moves its stamp, so a
   * stamp other than the one recorded after the last apply means someone else wrote it, in this
   * process or while none had it open. Marks the record dirty (the next pull rebuilds the file
   * from the chain) and reports it.
   */
  public synchronized void checkUnchanged() {
    if (state.dirty() || state.stamp() < 0) {
      return;
    }
    int now = file.stamp();
    if (now != state.stamp()) {
      int recorded = state.stamp();
      state = state.withDirty(true);
      state.write(db);
      throw HadbException.corrupt("database file " + db + " was changed outside the library (its stamp"
          + " is " + now + ", the last apply left " + recorded + "); it is rebuilt from the chain on the"
          + " next pull");
    }
  }

  /**
   * Finishes an apply a crash interrupted: the staged batch was verified and fsynced before its
   * first page was written, and page images are idempotent, so applying it again repairs the
   * file. A batch that does not follow the local record was applied whole before the crash (or
   * belongs to another history) and is dropped.
   */
  public synchronized void recoverStaged() {
    if (!Files.exists(staging)) {
      return;
    }
    StagedBatch staged;
    try {
      staged = StagedBatch.recover(staging, options.decode());
    } catch (HadbException e) {
      // The batch is fsynced whole before any page is written, so a bad one was never applied.
      LOG.log(Level.WARNING, "discarding unverifiable staged batch " + staging + ": " + e.getMessage());
      Spool.deleteQuietly(staging);
      return;
    }
    if (!staged.isEmpty()) {
      PhysicalHeader first = staged.segments().get(0).header();
      StagedBatch.Segment last = staged.last();
      if (follows(staged)) {
        LOG.log(Level.INFO, "re-applying changesets " + first.seq() + ".." + last.header().seq()
            + " interrupted by a crash in " + db);
        applyBatch(staged);
      } else if (!(last.header().seq() == state.seq() && last.link().checksum().toHex().equals(state.checksumHex()))) {
        LOG.log(Level.WARNING, "discarding staged changesets from seq " + first.seq()
            + " that do not follow local seq " + state.seq());
      }
    }
    Spool.deleteQuietly(staging);
  }

  /** Whether every segment of {@code staged} continues the chain from the local record. */
  private boolean follows(StagedBatch staged) {
    ChainVerifier v = verifierFromState();
    try {
      for (StagedBatch.Segment s : staged.segments()) {
        v.accept(keys.change(s.header().seq()), s.link());
      }
      return true;
    } catch (ChainException e) {
      return false;
    }
  }

  private ChainVerifier verifierFromState() {
    return ChainVerifier.after(state.seq(), Checksum.ofHex(state.checksumHex()), state.epoch())
        .options(options.decode());
  }

  /**
   * Cold start (DESIGN §10): a follower behind the base snapshot (empty, restarted after the
   * leader snapshotted, or one whose next changeset retention already deleted) starts from the
   * base instead of replaying the chain, so a restart replays at most one snapshot interval of
   * changesets. The base comes from the manifest (one read, no listing); without a usable
   * manifest, from listing the snapshots. A base that is missing or whose checksum is not the
   * one the manifest names is reported and skipped: the follower lists the snapshots, and
   * failing that, replays the chain. Returns whether it restored a snapshot.
   */
  public synchronized boolean fromSnapshotIfBehind() {
    long seq = state.seq();
    List<ChainManifest.Snapshot> kept = manifest.flatMap(ManifestKeeper::readOrWarn)
        .map(m -> m.manifest().snapshots()).orElse(List.of());
    for (int i = kept.size() - 1; i >= 0 && kept.get(i).seq() > seq; i--) {
      ChainManifest.Snapshot s = kept.get(i);
      try {
        restoreSnapshot(s.seq(), Optional.of(s.sha256()));
        return true;
      } catch (HadbException e) {
        // An older kept snapshot, then the chain after it, still reaches the head.
        LOG.log(Level.WARNING, "snapshot " + keys.snapshot(s.seq()) + " named by the manifest could not be used: "
            + e.getMessage());
      }
    }
    return fromListedSnapshotIfBehind();
  }

  /**
   * {@link #fromSnapshotIfBehind} by listing the snapshots only, without reading the manifest:
   * an idle follower's periodic look (a SNAPSHOT_ONLY chain moves by snapshots alone) costs
   * storage one listing and the lease store nothing. Returns whether it restored a snapshot.
   */
  public synchronized boolean fromListedSnapshotIfBehind() {
    long seq = state.seq();
    Optional<Long> latest = Snapshots.latest(storage, keys);
    if (latest.isPresent() && latest.get() > seq && (seq == 0 || !GapCheck.exists(storage, keys.change(seq + 1)))) {
      restoreSnapshot(latest.get(), Optional.empty());
      return true;
    }
    return false;
  }

  /**
   * Replaces the local content with snapshot {@code seq}. The record is marked dirty first, so a
   * crash in the middle leads to a rebuild.
   */
  public synchronized void restoreSnapshot(long seq) {
    restoreSnapshot(seq, Optional.empty());
  }

  /**
   * As {@link #restoreSnapshot(long)}; when {@code sha256} is given (the manifest's entry), the
   * downloaded object's checksum must be that one, or it fails {@code CORRUPT} naming the key
   * and nothing is applied.
   */
  public synchronized void restoreSnapshot(long seq, Optional<String> sha256) {
    String key = keys.snapshot(seq);
    Path spool = db.resolveSibling(db.getFileName() + "-hadb.snapin");
    try {
      SpooledObject snap;
      try {
        snap = SpooledObject.download(storage, key, spool, options.decode())
            .orElseThrow(() -> HadbException.notFound("snapshot " + key + " is gone"));
      } catch (HadbException e) {
        throw ChainVerifier.asBreak(key, seq, e);
      }
      ChainVerifier.checkObject(key, seq, snap.link());
      if (sha256.isPresent() && !sha256.get().equals(snap.link().checksum().toHex())) {
        throw HadbException.corrupt("snapshot " + key + " has checksum " + snap.link().checksum().toHex()
            + " but the manifest names " + sha256.get() + ": the object was replaced or the manifest is stale;"
            + " nothing was applied (the chain falls back to listing; rebuild the manifest from storage)");
      }
      state.withDirty(true).write(db);
      applyMarkingDirty(snap);
      applies++;
      state = new LocalState(seq, snap.header().prevChecksum().toHex(),
          Math.max(state.epoch(), snap.header().epoch()), false).withStamp(file.stamp());
      state.write(db);
      LOG.log(Level.INFO, "restored " + db + " from snapshot " + key);
    } finally {
      Spool.deleteQuietly(spool);
    }
  }

  /**
   * Keeps {@code body}, offered by a push link as the changeset stored at {@code key}, for the
   * next pull (DESIGN §9). Nothing is trusted for being offered: an offered changeset is verified
   * exactly as one read from storage, and one that fails is read from storage instead. Returns
   * false when it was not kept (the buffer is full: the pull reads it from storage). Never blocks
   * on a pull in progress.
   */
  public boolean offer(long seq, String key, byte[] body) {
    return offered.offer(seq, key, body);
  }

  /**
   * Applies the offered changesets that follow the local seq, in order, without a storage
   * request; stops at the first seq not offered. An offered changeset that fails verification is
   * dropped with every other offer (logged); the caller then pulls from storage. Returns the
   * applied seq.
   */
  public synchronized long pullOffered() {
    offered.dropThrough(state.seq());
    while (offered.has(state.seq() + 1)) {
      HadbException stop = null;
      StagedBatch batch;
      try (StagedBatch.Writer w = new StagedBatch.Writer(staging, options.decode())) {
        try {
          stageAvailable(w, Long.MAX_VALUE, Long.MAX_VALUE, null);
        } catch (HadbException e) {
          stop = e;
        }
        batch = w.finish();
      }
      if (!batch.isEmpty()) {
        applyBatch(batch);
      }
      Spool.deleteQuietly(staging);
      if (stop != null) {
        LOG.log(Level.WARNING, "an offered changeset of " + db + " failed verification (" + stop.getMessage()
            + "); reading storage instead");
        offered.clear();
        break;
      }
      if (batch.isEmpty()) {
        break;
      }
    }
    return state.seq();
  }

  /** Changesets offered and not yet applied (for tests and diagnostics). */
  public int offeredCount() {
    return offered.size();
  }

  /** Applies every changeset after the local seq; returns the applied seq. */
  public synchronized long pull() {
    return pullTo(Long.MAX_VALUE);
  }

  /**
   * Applies changesets up to {@code target} (inclusive) or the chain's end, in batches of the
   * changesets available at once (see {@link StagedBatch}). The next key is fetched directly;
   * only when it is absent does {@link GapCheck} tell "nothing new" from a gap.
   *
   * <p>A changeset that fails (corrupt, truncated, a broken link) stops the pull with an error
   * naming its key; the good changesets before it in the same batch are applied first, so the
   * local file ends at the last good seq.
   */
  public synchronized long pullTo(long target) {
    return pullTo(target, Long.MAX_VALUE);
  }

  /**
   * As {@link #pullTo(long)}, stopping before the first changeset created after
   * {@code maxCreatedMillis} (point-in-time restore).
   */
  public synchronized long pullTo(long target, long maxCreatedMillis) {
    return pullTo(target, maxCreatedMillis, storage);
  }

  /**
   * Applies changesets to the chain's end, downloading them {@link ChainOptions#downloadParallelism()}
   * at a time ahead of the apply (DESIGN §10), on threads named {@code threadName}: a cold start's,
   * a restart's or a rebuild's tail may be a whole snapshot interval, and fetched one by one its
   * time is that many round trips. Each changeset is still verified and applied in order; memory
   * stays bounded as in a restore.
   */
  public synchronized long pullAhead(String threadName) {
    try (RestoreDownloads ahead = new RestoreDownloads(storage, keys, options.downloadParallelism(), Progress.NONE,
        threadName)) {
      return pullTo(Long.MAX_VALUE, Long.MAX_VALUE, ahead);
    }
  }

  /**
   * As {@link #pullTo(long, long)}, reading the changesets through {@code source}, a view of the
   * same storage (one that downloads ahead in parallel: a cold start's or a restore's tail).
   */
  public synchronized long pullTo(long target, long maxCreatedMillis, StorageBackend source) {
    boolean reachedTime = false;
    while (state.seq() < target && !reachedTime) {
      HadbException stop = null;
      StagedBatch batch;
      try (StagedBatch.Writer w = new StagedBatch.Writer(staging, options.decode())) {
        try {
          reachedTime = stageAvailable(w, target, maxCreatedMillis, source);
        } catch (HadbException e) {
          stop = e;
        }
        batch = w.finish();
      }
      if (!batch.isEmpty()) {
        applyBatch(batch);
      }
      Spool.deleteQuietly(staging);
      if (stop != null) {
        throw stop;
      }
      if (batch.isEmpty() && !reachedTime) {
        if (!gaps.check(state.seq() + 1)) {
          break;
        }
      } else {
        gaps.filled();
      }
    }
    return state.seq();
  }

  /**
   * Downloads and verifies consecutive changesets after the local seq into {@code w}; true when
   * it stopped at a changeset created after {@code maxCreatedMillis} (left out). Takes an offered
   * changeset first; one that fails verification is read from {@code source} instead, and
   * without a source (null) the failure stops the staging, as does the first seq not offered.
   */
  private boolean stageAvailable(StagedBatch.Writer w, long target, long maxCreatedMillis, StorageBackend source) {
    boolean storageToo = source != null;
    ChainVerifier chain = verifierFromState();
    offered.dropThrough(chain.lastSeq());
    while (chain.lastSeq() < target && w.count() < options.applyBatchMax() && w.bytes() < BATCH_MAX_BYTES) {
      long expected = chain.lastSeq() + 1;
      String key = keys.change(expected);
      byte[] pushed = offered.take(expected, key);
      StagedBatch.Segment s = null;
      if (pushed != null) {
        try {
          s = stage(w, chain, new ByteArrayInputStream(pushed), key, expected);
        } catch (HadbException e) {
          if (!storageToo) {
            throw e;
          }
          LOG.log(Level.WARNING, "the offered " + key + " failed verification (" + e.getMessage()
              + "); reading it from storage");
        }
      } else if (!storageToo) {
        return false;
      }
      if (s == null) {
        Optional<InputStream> in = source.getStream(key);
        if (in.isEmpty()) {
          return false;
        }
        s = stage(w, chain, in.get(), key, expected);
      }
      if (s.header().createdMillis() > maxCreatedMillis) {
        w.dropLast();
        return true;
      }
      if (w.count() > 1 && s.header().pageSize() != w.firstPageSize()) {
        w.dropLast(); // another page size (VACUUM after page_size): the next batch starts with it
        return false;
      }
    }
    return false;
  }

  /** Adds one changeset to {@code w} and to the chain it must extend; on failure {@code w} keeps only good ones. */
  private static StagedBatch.Segment stage(StagedBatch.Writer w, ChainVerifier chain, InputStream in, String key,
      long expected) {
    StagedBatch.Segment s;
    try {
      s = w.add(in, key);
    } catch (HadbException e) {
      throw ChainVerifier.asBreak(key, expected, e);
    }
    try {
      chain.accept(key, s.link());
    } catch (ChainException e) {
      w.dropLast();
      throw e;
    }
    return s;
  }

  /**
   * A CORRUPT answer from the applier means the local file is not what the chain says (changed
   * outside the library, wrong page size): the record is marked dirty, so the next pull or
   * bootstrap rebuilds the file from the chain, and the error goes to the caller.
   */
  private void applyMarkingDirty(PageImages images) {
    try {
      file.applier().apply(images);
    } catch (HadbException e) {
      if (e.code() == ErrorCode.CORRUPT) {
        state = state.withDirty(true);
        state.write(db);
      }
      throw e;
    }
  }

  /** Applies a verified batch (skipping it when it only holds seals), then records its end. */
  private void applyBatch(StagedBatch batch) {
    long pagesBefore = file.size() / Math.max(1, batch.pageSize());
    boolean noOp = batch.segments().stream().allMatch(s -> s.isNoOp(pagesBefore));
    if (!noOp) {
      applyMarkingDirty(batch);
      applies++;
    }
    long epoch = state.epoch();
    for (StagedBatch.Segment s : batch.segments()) {
      epoch = Math.max(epoch, s.header().epoch());
    }
    changesetsApplied += batch.segments().size();
    StagedBatch.Segment last = batch.last();
    state = new LocalState(last.header().seq(), last.link().checksum().toHex(), epoch, false).withStamp(file.stamp());
    state.write(db);
  }
}
