package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.engine.sqlite.internal.ChainKeys;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.DbHeader;
import io.hadb.engine.sqlite.internal.LocalState;
import io.hadb.engine.sqlite.internal.Applier;
import io.hadb.engine.sqlite.internal.PageImages;
import io.hadb.engine.sqlite.internal.Spool;
import io.hadb.engine.sqlite.internal.SpooledObject;
import io.hadb.engine.sqlite.internal.StagedBatch;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Follower side: pulls the chain in order and applies each verified changeset to the local file
 * through its {@link Applier}. Chain rules checked here: seqs are consecutive (no gap), each
 * header names the previous object's checksum, epochs never go backwards (DESIGN §6.2).
 */
final class Follower {
  private static final System.Logger LOG = System.getLogger(Follower.class.getName());

  private final Path db;
  private final DbFile file;
  private final Applier applier;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final SqliteOptions options;
  private final Path staging;
  private static final long GAP_CHECK_NANOS = 1_000_000_000L;
  private static final long BATCH_MAX_BYTES = 64L << 20;

  private LocalState state;
  private long lastGapCheck; // System.nanoTime() of the last listing; 0 = never
  private long applies; // exclusive applies done (one per batch)
  private ChainException knownGap; // the missing changeset last reported, while it stays missing

  Follower(Path db, DbFile file, Applier applier, StorageBackend storage, ChainKeys keys,
      SqliteOptions options, LocalState state) {
    this.db = db;
    this.file = file;
    this.applier = applier;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
    this.state = state;
    this.staging = stagingOf(db);
  }

  static Path stagingOf(Path db) {
    return db.resolveSibling(db.getFileName() + "-hadb.apply");
  }

  synchronized LocalState state() {
    return state;
  }

  synchronized long applies() {
    return applies;
  }

  synchronized void setState(LocalState s) {
    state = s;
  }

  /** Makes {@code s} the state, stamped with the file's change counter, and writes it. */
  synchronized void record(LocalState s) {
    state = stamped(s);
    state.write(db);
  }

  /** {@code s} with the local file's change counter now (-1 while the file has no header). */
  private LocalState stamped(LocalState s) {
    if (file.size() < 100) {
      return s.withFileCounter(-1);
    }
    byte[] head = new byte[100];
    file.read(0, head, 100);
    return s.withFileCounter(DbHeader.changeCounter(head));
  }

  /**
   * A follower file is written only by this library; its change counter moves with every write
   * transaction, so a counter other than the one recorded after the last apply means someone
   * else wrote it, in this process or while none had it open. Marks the record dirty (the next
   * pull rebuilds the file from the chain) and reports it.
   */
  synchronized void checkUnchanged() {
    if (state.dirty() || state.fileCounter() < 0) {
      return;
    }
    int now = stamped(state).fileCounter();
    if (now != state.fileCounter()) {
      int recorded = state.fileCounter();
      state = state.withDirty(true);
      state.write(db);
      throw HadbException.corrupt("database file " + db + " was changed outside the library (change"
          + " counter " + now + ", the last apply left " + recorded + "); it is rebuilt from the"
          + " chain on the next pull");
    }
  }

  /**
   * Finishes an apply a crash interrupted: the staged batch was verified and fsynced before its
   * first page was written, and page images are idempotent, so applying it again repairs the file.
   */
  synchronized void recoverStaged() {
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
      if (first.seq() == state.seq() + 1 && first.prevChecksum().toHex().equals(state.checksumHex())) {
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

  /**
   * Replaces the local content with snapshot {@code seq} (bootstrap of an empty or far-behind
   * follower). The record is marked dirty first, so a crash in the middle leads to a rebuild.
   */
  synchronized void restoreSnapshot(long seq) {
    String key = keys.snapshot(seq);
    Path spool = db.resolveSibling(db.getFileName() + "-hadb.snapin");
    try {
      SpooledObject snap;
      try {
        snap = SpooledObject.download(storage, key, spool, options.decode())
            .orElseThrow(() -> HadbException.notFound("snapshot " + key + " is gone"));
      } catch (HadbException e) {
        if (e instanceof ChainException || e.code() != io.hadb.api.ErrorCode.CORRUPT) {
          throw e;
        }
        throw new ChainException(ChainException.Kind.CORRUPT, key, seq, e.getMessage(), e);
      }
      if (snap.header().seq() != seq) {
        throw new ChainException(ChainException.Kind.KEY_SEQ_MISMATCH, key, snap.header().seq(),
            "the key says seq " + seq + ", the header " + snap.header().seq());
      }
      state.withDirty(true).write(db);
      applyMarkingDirty(snap);
      applies++;
      state = stamped(new LocalState(seq, snap.header().prevChecksum().toHex(),
          Math.max(state.epoch(), snap.header().epoch()), false));
      state.write(db);
      LOG.log(Level.INFO, "restored " + db + " from snapshot " + key);
    } finally {
      Spool.deleteQuietly(spool);
    }
  }

  /** Whether changeset {@code seq} is in storage. */
  boolean hasChange(long seq) {
    Optional<InputStream> in = storage.getStream(keys.change(seq));
    in.ifPresent(Spool::closeQuietly);
    return in.isPresent();
  }

  /** Applies every changeset after the local seq; returns the applied seq. */
  synchronized long pull() {
    return pullTo(Long.MAX_VALUE);
  }

  /**
   * Applies changesets up to {@code target} (inclusive) or the chain's end, in batches of the
   * changesets available at once (see {@link StagedBatch}). The next key is fetched directly:
   * a listing reads a whole directory on some backends and costs a request on all, so it only
   * runs, at most every {@link #GAP_CHECK_NANOS}, when the next key is absent, to tell "nothing
   * new" from a gap (a later changeset present while this one is missing).
   *
   * <p>A changeset that fails (corrupt, truncated, a broken link) stops the pull with an error
   * naming its key; the good changesets before it in the same batch are applied first, so the
   * local file ends at the last good seq.
   */
  synchronized long pullTo(long target) {
    return pullTo(target, Long.MAX_VALUE);
  }

  /**
   * As {@link #pullTo(long)}, stopping before the first changeset created after
   * {@code maxCreatedMillis} (point-in-time restore).
   */
  synchronized long pullTo(long target, long maxCreatedMillis) {
    boolean reachedTime = false;
    while (state.seq() < target && !reachedTime) {
      HadbException stop = null;
      StagedBatch batch;
      try (StagedBatch.Writer w = new StagedBatch.Writer(staging, options.decode())) {
        try {
          reachedTime = stageAvailable(w, target, maxCreatedMillis);
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
        String key = keys.change(state.seq() + 1);
        if (knownGap != null && knownGap.objectKey().equals(key)) {
          throw knownGap; // reported before and still missing: on every pull, not once a second
        }
        if (!gapCheckDue() || !checkForGap(key, state.seq() + 1)) {
          break;
        }
      } else {
        knownGap = null;
      }
    }
    return state.seq();
  }

  /**
   * Downloads and verifies consecutive changesets after the local seq into {@code w}; true when
   * it stopped at a changeset created after {@code maxCreatedMillis} (left out).
   */
  private boolean stageAvailable(StagedBatch.Writer w, long target, long maxCreatedMillis) {
    long seq = state.seq();
    String checksum = state.checksumHex();
    long epoch = state.epoch();
    while (seq < target && w.count() < options.applyBatchMax() && w.bytes() < BATCH_MAX_BYTES) {
      long expected = seq + 1;
      String key = keys.change(expected);
      Optional<InputStream> in = storage.getStream(key);
      if (in.isEmpty()) {
        return false;
      }
      StagedBatch.Segment s;
      try {
        s = w.add(in.get(), key);
      } catch (ChainException e) {
        throw e;
      } catch (HadbException e) {
        if (e.code() != io.hadb.api.ErrorCode.CORRUPT) {
          throw e;
        }
        throw new ChainException(ChainException.Kind.CORRUPT, key, expected, e.getMessage(), e);
      }
      try {
        checkLink(s.header(), key, expected, checksum, epoch);
      } catch (ChainException e) {
        w.dropLast();
        throw e;
      }
      if (s.header().createdMillis() > maxCreatedMillis) {
        w.dropLast();
        return true;
      }
      if (w.count() > 1 && s.header().pageSize() != w.firstPageSize()) {
        w.dropLast(); // another page size (VACUUM after page_size): the next batch starts with it
        return false;
      }
      seq = expected;
      checksum = s.link().checksum().toHex();
      epoch = Math.max(epoch, s.header().epoch());
    }
    return false;
  }

  private boolean gapCheckDue() {
    long now = System.nanoTime();
    if (lastGapCheck != 0 && now - lastGapCheck < GAP_CHECK_NANOS) {
      return false;
    }
    lastGapCheck = now;
    return true;
  }

  /** True when the missing {@code key} appeared meanwhile; throws GAP when a later one exists. */
  private boolean checkForGap(String key, long expected) {
    ListPage page = storage.list(keys.changesPrefix(), Optional.of(keys.change(state.seq())), 1);
    if (page.keys().isEmpty()) {
      return false;
    }
    String next = page.keys().get(0);
    if (next.equals(key)) {
      return true;
    }
    if (hasChange(expected)) {
      // A listing is not a snapshot of the directory: a key written while it ran (ours) can be
      // missed while a later one shows. The leader writes in order, so look again directly.
      return true;
    }
    OptionalLong seq = keys.changeSeq(next);
    if (seq.isEmpty()) {
      throw new ChainException(ChainException.Kind.BAD_KEY, next, 0,
          "not a canonical changeset key ({seq:020d}.hadbp)");
    }
    knownGap = new ChainException(ChainException.Kind.GAP, key, expected,
        "missing, while " + next + " exists (local seq " + state.seq() + ")");
    throw knownGap;
  }

  private static void checkLink(PhysicalHeader h, String key, long seq, String prevChecksum, long epoch) {
    if (h.seq() != seq) {
      throw new ChainException(ChainException.Kind.KEY_SEQ_MISMATCH, key, h.seq(),
          "the key says seq " + seq + ", the header " + h.seq());
    }
    if (!h.prevChecksum().toHex().equals(prevChecksum)) {
      throw new ChainException(ChainException.Kind.PREV_CHECKSUM_MISMATCH, key, seq,
          "names previous checksum " + h.prevChecksum() + " but seq " + (seq - 1) + " has " + prevChecksum);
    }
    if (h.epoch() < epoch) {
      throw new ChainException(ChainException.Kind.EPOCH_BACKWARDS, key, seq,
          "epoch " + h.epoch() + " is lower than epoch " + epoch + " already seen");
    }
  }

  /**
   * A CORRUPT answer from the applier means the local file is not what the chain says (changed
   * outside the library, wrong page size): the record is marked dirty, so the next pull or
   * bootstrap rebuilds the file from the chain, and the error goes to the caller.
   */
  private void applyMarkingDirty(PageImages images) {
    try {
      applier.apply(images);
    } catch (HadbException e) {
      if (e.code() == io.hadb.api.ErrorCode.CORRUPT) {
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
    StagedBatch.Segment last = batch.last();
    state = stamped(new LocalState(last.header().seq(), last.link().checksum().toHex(), epoch, false));
    state.write(db);
  }
}
