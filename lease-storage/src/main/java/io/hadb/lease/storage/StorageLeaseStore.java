package io.hadb.lease.storage;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.Versioned;
import io.hadb.lease.storage.internal.Collector;
import io.hadb.lease.storage.internal.LeaseRecord;
import io.hadb.lease.storage.internal.Layout;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link LeaseStore} on any {@link StorageBackend} whose {@code putIfAbsent} is atomic
 * (DESIGN §3.4): each register is a chain of immutable objects, one per version, each written
 * with put-if-absent, so two writers of one version cannot both win. The protocol and its proof
 * are in this module's README; the names below follow it.
 *
 * <ul>
 *   <li><b>read</b>: list the newest version N, get it, list again; the answer is N's record
 *       unless N could have been collected and refilled in between (then read again).
 *   <li><b>compareAndSet(v)</b>: get version v (absent or deleted: lost); put-if-absent v+1 whose
 *       record names v's nonce as its predecessor (taken: lost); then <em>confirm</em>.
 *   <li><b>create</b>: list the newest; absent or deleted ⇒ put-if-absent the next version and
 *       confirm; live ⇒ lost once a second listing shows it was current.
 *   <li><b>delete(v)</b>: compareAndSet(v) with a tombstone record; the chain goes on, so a
 *       re-create continues the version numbers (L-monotonic).
 *   <li><b>confirm</b>: a put that succeeded may still be an <em>orphan</em>: a stale writer can
 *       fill a slot that garbage collection emptied long ago. The newest record's history names
 *       the nonces of the real versions below it: the write won exactly when it is named there.
 *       A slot found taken is a loss only if it was never collected; otherwise the history
 *       decides too (our earlier attempt, whose answer was lost, may be the real one).
 *   <li><b>collect</b>: after a win at version w, versions up to w − keep are deleted in the
 *       background; the newest is never deleted, tombstones included.
 * </ul>
 *
 * <p>{@link #watch} is not supported (storage has no change notification); callers poll.
 */
public final class StorageLeaseStore implements LeaseStore {
  private static final System.Logger LOG = System.getLogger(StorageLeaseStore.class.getName());
  /** Retries of a read or create whose view moved under it; each round is a few requests. */
  private static final int MAX_ROUNDS = 16;

  private final StorageBackend backend;
  private final StorageLeaseOptions options;
  private final Layout layout;
  private final Collector collector;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StorageLeaseStore(StorageBackend backend, StorageLeaseOptions options) {
    this.backend = backend;
    this.options = options;
    this.layout = new Layout(options.root());
    this.collector = new Collector(backend, layout, options);
  }

  /**
   * A store on {@code backend}. The backend's {@code putIfAbsent} must be atomic across all
   * clients; with {@link StorageLeaseOptions#closeBackend()} the store closes it on close.
   */
  public static StorageLeaseStore open(StorageBackend backend, StorageLeaseOptions options) {
    HadbException.requireArg(backend, "backend");
    HadbException.requireArg(options, "options");
    return new StorageLeaseStore(backend, options);
  }

  public static StorageLeaseStore open(StorageBackend backend) {
    return open(backend, StorageLeaseOptions.defaults());
  }

  // ---------------------------------------------------------------- the LeaseStore calls

  @Override
  public Optional<Versioned> read(String key) {
    Keys.validate(key);
    ensureOpen();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      OptionalLong top = newest(key);
      if (top.isEmpty()) {
        return Optional.empty();
      }
      long n = top.getAsLong();
      Optional<LeaseRecord> rec = fetch(key, n);
      if (rec.isEmpty() || !stillReal(key, n)) {
        continue; // collected under us: a newer version exists, look again
      }
      return rec.get().tombstone() ? Optional.empty() : Optional.of(new Versioned(rec.get().value(), n));
    }
    throw moving(key);
  }

  @Override
  public CasResult create(String key, byte[] value) {
    Keys.validate(key);
    LeaseStore.checkValue(value);
    ensureOpen();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      OptionalLong top = newest(key);
      Optional<LeaseRecord> predecessor = Optional.empty();
      long next = 1;
      if (top.isPresent()) {
        long n = top.getAsLong();
        predecessor = fetch(key, n);
        if (predecessor.isEmpty()) {
          continue;
        }
        if (!predecessor.get().tombstone()) {
          // Lost only if that live version was current: it was, unless collected and refilled.
          if (stillReal(key, n)) {
            return CasResult.lost();
          }
          continue;
        }
        if (n == Long.MAX_VALUE) {
          throw exhausted(key);
        }
        next = n + 1;
      }
      if (write(key, next, predecessor, false, value) == Outcome.WON) {
        return CasResult.won(next);
      }
      // The slot was taken, or our object is an orphan: neither proves the key exists now, so
      // look again (a create loses only to a live version it has seen be current).
    }
    throw moving(key);
  }

  @Override
  public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
    Keys.validate(key);
    LeaseStore.checkVersion(expectedVersion);
    LeaseStore.checkValue(value);
    ensureOpen();
    return replace(key, expectedVersion, false, value) ? CasResult.won(expectedVersion + 1) : CasResult.lost();
  }

  @Override
  public CasResult delete(String key, long expectedVersion) {
    Keys.validate(key);
    LeaseStore.checkVersion(expectedVersion);
    ensureOpen();
    return replace(key, expectedVersion, true, new byte[0]) ? CasResult.won(expectedVersion) : CasResult.lost();
  }

  /** Writes version v+1 over a live version v; false when v is not the current live version. */
  private boolean replace(String key, long v, boolean tombstone, byte[] value) {
    // Absent: v was never written (current < v) or was collected (current >= v + 2).
    // A tombstone at v: the key is deleted at v or has moved on. Either way v is not live.
    Optional<LeaseRecord> rec = fetch(key, v);
    if (rec.isEmpty() || rec.get().tombstone()) {
      return false;
    }
    if (v == Long.MAX_VALUE) {
      throw exhausted(key);
    }
    // Taken or orphaned slot v+1: the current version was >= v+1 when we wrote.
    return write(key, v + 1, rec, tombstone, value) == Outcome.WON;
  }

  // ---------------------------------------------------------------- writing and confirming

  private enum Outcome { WON, SLOT_TAKEN, ORPHAN }

  /** Whose write the real version w is. */
  private enum Verdict { OURS, ANOTHERS, UNDECIDED }

  /**
   * Put-if-absent of version {@code w} over {@code predecessor} (whose history it extends), then
   * confirmation. Throws {@link ErrorCode#UNKNOWN_OUTCOME} when the write may or may not have
   * taken effect.
   */
  private Outcome write(String key, long w, Optional<LeaseRecord> predecessor, boolean tombstone, byte[] value) {
    LeaseRecord record = LeaseRecord.next(predecessor, w, tombstone, key, value);
    byte[] nonce = record.nonce();
    byte[] bytes = record.encode();
    String name = layout.object(key, w);
    boolean created;
    boolean answered = true;
    try {
      created = backend.putIfAbsent(name, bytes);
    } catch (HadbException e) {
      if (!e.retryable()) {
        throw e; // refused (bad configuration, missing bucket): nothing was written
      }
      answered = false;
      created = landedAfterAll(key, w, nonce, e);
    }
    Outcome o;
    if (answered && !created) {
      o = refused(key, w, nonce);
    } else {
      try {
        o = created ? confirm(key, w, nonce) : taken(key, w, nonce);
      } catch (HadbException e) {
        if (e.code() == ErrorCode.UNKNOWN_OUTCOME || e.code() == ErrorCode.CORRUPT) {
          throw e;
        }
        throw HadbException.unknownOutcome("lease key '" + key + "': the outcome of writing version " + w
            + " could not be confirmed (" + e.getMessage() + "); read before retrying", e);
      }
    }
    if (o == Outcome.WON) {
      collector.afterWin(key, w);
    } else if (o == Outcome.ORPHAN) {
      LOG.log(System.Logger.Level.DEBUG, () -> "lease key '" + key + "': version " + w
          + " was an orphan (a stale write into a collected slot); reported as lost");
    }
    return o;
  }

  /**
   * After a failed put-if-absent: did our object land? Only our nonce can match. False when
   * another record holds the slot, or when the slot is empty because it was collected; either way
   * {@link #taken} decides.
   */
  private boolean landedAfterAll(String key, long w, byte[] nonce, HadbException putFailure) {
    Optional<LeaseRecord> rec;
    boolean neverCollected;
    try {
      rec = fetch(key, w);
      neverCollected = rec.isEmpty() && stillReal(key, w);
    } catch (HadbException e) {
      throw HadbException.unknownOutcome("lease key '" + key + "': writing version " + w + " failed ("
          + putFailure.getMessage() + ") and reading it back failed too (" + e.getMessage()
          + "); the write may or may not have taken effect: read before retrying", putFailure);
    }
    if (neverCollected) {
      throw HadbException.unknownOutcome("lease key '" + key + "': writing version " + w + " failed ("
          + putFailure.getMessage() + ") and it is not stored yet, but the request may still land:"
          + " read before retrying", putFailure);
    }
    return rec.isPresent() && rec.get().hasNonce(nonce);
  }

  /**
   * After an ambiguous put, slot w holds another write's record, or none. That proves we lost
   * only if the slot was never collected. A collected slot may have been refilled by a stale
   * writer after the real version w, ours, was superseded and deleted; the newest record's
   * history says whose write the real version w was.
   */
  private Outcome taken(String key, long w, byte[] nonce) {
    if (stillReal(key, w)) {
      return Outcome.SLOT_TAKEN;
    }
    return confirm(key, w, nonce) == Outcome.WON ? Outcome.WON : Outcome.SLOT_TAKEN;
  }

  /**
   * The backend answered that slot w is taken. That is a loss unless the backend retried an
   * attempt of ours that had landed, and found the slot collected and refilled by a stale writer
   * meanwhile: the real version w is then ours. One look at the history tells, when the slot was
   * collected and the register holds still long enough; otherwise the backend's answer stands.
   */
  private Outcome refused(String key, long w, byte[] nonce) {
    try {
      if (!stillReal(key, w) && realWriteOf(key, w, nonce, 1) == Verdict.OURS) {
        return Outcome.WON;
      }
    } catch (HadbException e) {
      if (!e.retryable()) {
        throw e;
      }
    }
    return Outcome.SLOT_TAKEN;
  }

  /** Whether the real version w is our write, which is in slot w or was collected from it. */
  private Outcome confirm(String key, long w, byte[] nonce) {
    return switch (realWriteOf(key, w, nonce, MAX_ROUNDS)) {
      case OURS -> Outcome.WON;
      case ANOTHERS -> Outcome.ORPHAN;
      case UNDECIDED -> throw HadbException.unknownOutcome("lease key '" + key + "': version " + w
          + " was written but could not be confirmed: more than " + LeaseRecord.HISTORY + " newer"
          + " versions followed, or the key kept changing; read before retrying", null);
    };
  }

  /**
   * Whose write the real version w is, for a slot w that holds our object or was collected. The
   * newest version is always real (it is never collected), and a real record's history names the
   * real writes below it, so the newest record says which write holds w. Reading the newest record
   * is trusted only if it cannot have been collected and refilled meanwhile, which a second
   * listing checks.
   */
  private Verdict realWriteOf(String key, long w, byte[] nonce, int rounds) {
    for (int round = 0; round < rounds; round++) {
      OptionalLong top = newest(key);
      if (top.isEmpty() || top.getAsLong() < w) {
        throw HadbException.corrupt("lease key '" + key + "': version " + w + " was just written, but"
            + " a listing of its versions shows " + (top.isEmpty() ? "none" : "only up to " + top.getAsLong())
            + ": something outside the lease store deleted them, or the storage backend's listing"
            + " is not atomic (it left out versions deleted while it ran; DESIGN §3.2). Check the"
            + " backend with the store probe's lease rules at keepVersions=2&collectEvery=1");
      }
      long n = top.getAsLong();
      if (n - w < StorageLeaseOptions.MIN_KEEP_VERSIONS) {
        // Slot w cannot have been collected (that needs a version w + 2), so it holds the first
        // and only write into it: ours. (Never true for a collected slot.)
        return Verdict.OURS;
      }
      if (n - w > LeaseRecord.HISTORY) {
        return Verdict.UNDECIDED;
      }
      Optional<LeaseRecord> newest = fetch(key, n);
      if (newest.isEmpty() || !stillReal(key, n)) {
        continue;
      }
      byte[] real = newest.get().nonceOf(w).orElseThrow(() -> HadbException.corrupt("lease key '" + key
          + "': version " + n + " does not carry the history of version " + w));
      return java.util.Arrays.equals(real, nonce) ? Verdict.OURS : Verdict.ANOTHERS;
    }
    return Verdict.UNDECIDED;
  }

  // ---------------------------------------------------------------- storage access

  /** The newest stored version of {@code key}, from one listing of its directory. */
  private OptionalLong newest(String key) {
    ListPage page = backend.list(layout.dir(key), Optional.empty(), 1);
    if (page.keys().isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(layout.version(key, page.keys().get(0)));
  }

  private Optional<LeaseRecord> fetch(String key, long version) {
    String name = layout.object(key, version);
    return backend.get(name).map(bytes -> LeaseRecord.decode(bytes, key, version, name));
  }

  /**
   * True when slot {@code n}, read a moment ago, cannot have been collected since: a collector
   * deletes a version only once one {@code keep} versions newer exists. Every client of the
   * register may use its own {@code keep}, so only the least any may use is trusted, never ours:
   * a reader with keep 16 next to a collector with keep 2 would otherwise take a refilled slot
   * for the real version (a value that was never current, or a second winner).
   */
  private boolean stillReal(String key, long n) {
    OptionalLong now = newest(key);
    return now.isPresent() && now.getAsLong() - n < StorageLeaseOptions.MIN_KEEP_VERSIONS; // no overflow
  }

  private static HadbException exhausted(String key) {
    return HadbException.unsupported("lease key '" + key + "' is at version " + Long.MAX_VALUE
        + ", the last one: it cannot be written again");
  }

  private HadbException moving(String key) {
    return HadbException.unavailable("lease key '" + key + "' changed " + MAX_ROUNDS
        + " times while being read; try again", null);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw HadbException.closed("lease store on " + backend);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      collector.close();
      if (options.closeBackend()) {
        backend.close();
      }
    }
  }

  @Override
  public String toString() {
    return "StorageLeaseStore[" + backend + ", root '" + options.root() + "']";
  }
}
