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
 *       fill a slot that garbage collection emptied long ago. Confirming walks the predecessor
 *       links down from the newest version: the write won exactly when it is on that chain.
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
    if (v == Long.MAX_VALUE) {
      return false;
    }
    // Absent: v was never written (current < v) or was collected (current >= v + keep).
    // A tombstone at v: the key is deleted at v or has moved on. Either way v is not live.
    Optional<LeaseRecord> rec = fetch(key, v);
    if (rec.isEmpty() || rec.get().tombstone()) {
      return false;
    }
    // Taken or orphaned slot v+1: the current version was >= v+1 when we wrote.
    return write(key, v + 1, rec, tombstone, value) == Outcome.WON;
  }

  // ---------------------------------------------------------------- writing and confirming

  private enum Outcome { WON, SLOT_TAKEN, ORPHAN }

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
    try {
      created = backend.putIfAbsent(name, bytes);
    } catch (HadbException e) {
      if (!e.retryable()) {
        throw e; // refused (bad configuration, missing bucket): nothing was written
      }
      created = landedAfterAll(key, w, nonce, e);
    }
    if (!created) {
      return Outcome.SLOT_TAKEN;
    }
    Outcome o;
    try {
      o = confirm(key, w, nonce);
    } catch (HadbException e) {
      if (e.code() == ErrorCode.UNKNOWN_OUTCOME || e.code() == ErrorCode.CORRUPT) {
        throw e;
      }
      throw HadbException.unknownOutcome("lease key '" + key + "': version " + w + " was written"
          + " but could not be confirmed as current (" + e.getMessage() + "); read before retrying", e);
    }
    if (o == Outcome.WON) {
      collector.afterWin(key, w);
    } else {
      LOG.log(System.Logger.Level.DEBUG, () -> "lease key '" + key + "': version " + w
          + " was an orphan (a stale write into a collected slot); reported as lost");
    }
    return o;
  }

  /** After a failed put-if-absent: did our object land? Only our nonce can match. */
  private boolean landedAfterAll(String key, long w, byte[] nonce, HadbException putFailure) {
    Optional<LeaseRecord> rec;
    try {
      rec = fetch(key, w);
    } catch (HadbException e) {
      throw HadbException.unknownOutcome("lease key '" + key + "': writing version " + w + " failed ("
          + putFailure.getMessage() + ") and reading it back failed too (" + e.getMessage()
          + "); the write may or may not have taken effect: read before retrying", putFailure);
    }
    if (rec.isEmpty()) {
      throw HadbException.unknownOutcome("lease key '" + key + "': writing version " + w + " failed ("
          + putFailure.getMessage() + ") and it is not stored yet, but the request may still land:"
          + " read before retrying", putFailure);
    }
    return rec.get().hasNonce(nonce);
  }

  /**
   * Whether our object at slot w is the real version w, not an orphan. The newest version is
   * always real (it is never collected), and a real record's history names the real writes below
   * it, so the newest record says which write holds w. Reading the newest record is trusted only
   * if it cannot have been collected and refilled meanwhile, which a second listing checks.
   */
  private Outcome confirm(String key, long w, byte[] nonce) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      OptionalLong top = newest(key);
      if (top.isEmpty() || top.getAsLong() < w) {
        throw HadbException.corrupt("lease key '" + key + "': version " + w
            + " was just written but the newest listed version is " + top);
      }
      long n = top.getAsLong();
      if (n == w) {
        return Outcome.WON;
      }
      if (n - w > LeaseRecord.HISTORY) {
        break;
      }
      Optional<LeaseRecord> newest = fetch(key, n);
      if (newest.isEmpty() || !stillReal(key, n)) {
        continue;
      }
      byte[] real = newest.get().nonceOf(w).orElseThrow(() -> HadbException.corrupt("lease key '" + key
          + "': version " + n + " does not carry the history of version " + w));
      return java.util.Arrays.equals(real, nonce) ? Outcome.WON : Outcome.ORPHAN;
    }
    throw HadbException.unknownOutcome("lease key '" + key + "': version " + w + " was written but more"
        + " than " + LeaseRecord.HISTORY + " newer versions followed before it could be confirmed;"
        + " read before retrying", null);
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
   * True when slot {@code n}, read a moment ago, cannot have been collected since: collection
   * deletes a version only once one {@code keep} versions newer exists.
   */
  private boolean stillReal(String key, long n) {
    OptionalLong now = newest(key);
    return now.isPresent() && now.getAsLong() < n + options.keepVersions();
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
