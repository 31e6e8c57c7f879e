package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.engine.sqlite.internal.ChainKeys;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.LocalState;
import io.hadb.engine.sqlite.internal.Applier;
import io.hadb.engine.sqlite.internal.PageImages;
import io.hadb.engine.sqlite.internal.Spool;
import io.hadb.engine.sqlite.internal.StagedChangeset;
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
  private LocalState state;

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

  synchronized void setState(LocalState s) {
    state = s;
  }

  /**
   * Finishes an apply a crash interrupted: the staged changeset was verified before its first
   * page was written, and page images are idempotent, so applying it again repairs the file.
   */
  synchronized void recoverStaged() {
    if (!Files.exists(staging)) {
      return;
    }
    StagedChangeset staged;
    try {
      staged = StagedChangeset.verify(staging, staging.toString(), options.decode());
    } catch (HadbException e) {
      // Verification happens before any page is written, so a bad staged file was never applied.
      LOG.log(Level.WARNING, "discarding unverifiable staged changeset " + staging + ": " + e.getMessage());
      Spool.deleteQuietly(staging);
      return;
    }
    long seq = staged.header().seq();
    if (seq == state.seq() + 1 && staged.header().prevChecksum().toHex().equals(state.checksumHex())) {
      LOG.log(Level.INFO, "re-applying changeset " + seq + " interrupted by a crash in " + db);
      applyVerified(staged, keys.change(seq));
    } else if (seq == state.seq() && staged.link().checksum().toHex().equals(state.checksumHex())) {
      // applied and recorded; only the cleanup was missed
    } else {
      LOG.log(Level.WARNING, "discarding staged changeset " + seq + " that does not follow local seq " + state.seq());
    }
    Spool.deleteQuietly(staging);
  }

  /** Applies every changeset after the local seq; returns the applied seq. */
  synchronized long pull() {
    return pullTo(Long.MAX_VALUE);
  }

  /** Applies changesets up to {@code target} (inclusive) or the chain's end. */
  synchronized long pullTo(long target) {
    Optional<String> after = Optional.of(keys.change(state.seq()));
    while (state.seq() < target) {
      ListPage page = storage.list(keys.changesPrefix(), after, StorageBackend.MAX_LIST_LIMIT);
      for (String key : page.keys()) {
        if (state.seq() >= target) {
          return state.seq();
        }
        OptionalLong seq = keys.changeSeq(key);
        if (seq.isEmpty()) {
          throw new ChainException(ChainException.Kind.BAD_KEY, key, 0,
              "not a canonical changeset key ({seq:020d}.hadbp)");
        }
        long expected = state.seq() + 1;
        if (seq.getAsLong() != expected) {
          throw new ChainException(ChainException.Kind.GAP, key, seq.getAsLong(),
              "expected seq " + expected + " next, after local seq " + state.seq());
        }
        applyOne(key, expected);
      }
      if (page.nextStartAfter().isEmpty()) {
        break;
      }
      after = page.nextStartAfter();
    }
    return state.seq();
  }

  private void applyOne(String key, long seq) {
    Optional<InputStream> in = storage.getStream(key);
    if (in.isEmpty()) {
      throw new ChainException(ChainException.Kind.GAP, key, seq, "listed but gone when read");
    }
    StagedChangeset staged;
    try {
      staged = StagedChangeset.download(in.get(), staging, key, options.decode());
    } catch (HadbException e) {
      Spool.deleteQuietly(staging);
      if (e instanceof ChainException || e.code() != io.hadb.api.ErrorCode.CORRUPT) {
        throw e;
      }
      throw new ChainException(ChainException.Kind.CORRUPT, key, seq, e.getMessage(), e);
    }
    try {
      checkLink(staged, key, seq);
      applyVerified(staged, key);
    } finally {
      Spool.deleteQuietly(staging);
    }
  }

  private void checkLink(StagedChangeset staged, String key, long seq) {
    PhysicalHeader h = staged.header();
    if (h.seq() != seq) {
      throw new ChainException(ChainException.Kind.KEY_SEQ_MISMATCH, key, h.seq(),
          "the key says seq " + seq + ", the header " + h.seq());
    }
    if (!h.prevChecksum().toHex().equals(state.checksumHex())) {
      throw new ChainException(ChainException.Kind.PREV_CHECKSUM_MISMATCH, key, seq,
          "names previous checksum " + h.prevChecksum() + " but seq " + state.seq() + " has "
              + state.checksumHex());
    }
    if (h.epoch() < state.epoch()) {
      throw new ChainException(ChainException.Kind.EPOCH_BACKWARDS, key, seq,
          "epoch " + h.epoch() + " is lower than epoch " + state.epoch() + " already seen");
    }
  }

  private void applyVerified(StagedChangeset staged, String key) {
    PhysicalHeader h = staged.header();
    if (!isNoOp(staged)) {
      applier.apply(staged);
    }
    state = new LocalState(h.seq(), staged.link().checksum().toHex(), Math.max(state.epoch(), h.epoch()), false);
    state.write(db);
  }

  /** A seal: no pages and the size unchanged. */
  private boolean isNoOp(PageImages p) {
    return p instanceof StagedChangeset s && s.header().pageCount() == 0
        && file.size() == s.header().dbSizePages() * s.header().pageSize();
  }
}
