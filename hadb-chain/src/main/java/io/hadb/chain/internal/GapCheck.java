package io.hadb.chain.internal;

import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.chain.ChainKeys;
import io.hadb.changeset.ChainException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Tells "nothing new" from a gap when the next changeset is absent. A listing reads a whole
 * directory on some backends and costs a request on all, so it runs at most once a
 * {@link #INTERVAL_NANOS}; a gap once found is reported on every pull while it stays, not once a
 * second.
 */
final class GapCheck {
  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final StorageBackend storage;
  private final ChainKeys keys;
  private long lastListing; // System.nanoTime() of the last listing; 0 = never
  private ChainException known; // the missing changeset last reported, while it stays missing

  GapCheck(StorageBackend storage, ChainKeys keys) {
    this.storage = storage;
    this.keys = keys;
  }

  /** The next changeset arrived: any gap reported before is gone. */
  void filled() {
    known = null;
  }

  /**
   * Changeset {@code expected} (after local seq {@code expected - 1}) was absent. Returns true
   * when it appeared meanwhile (pull again), false for "nothing new"; throws GAP when a later one
   * exists.
   */
  boolean check(long expected) {
    String key = keys.change(expected);
    if (known != null && known.objectKey().equals(key)) {
      throw known;
    }
    long now = System.nanoTime();
    if (lastListing != 0 && now - lastListing < INTERVAL_NANOS) {
      return false;
    }
    lastListing = now;
    ListPage page = storage.list(keys.changesPrefix(), Optional.of(keys.change(expected - 1)), 1);
    if (page.keys().isEmpty()) {
      return false;
    }
    String next = page.keys().get(0);
    if (next.equals(key)) {
      return true;
    }
    if (exists(storage, key)) {
      // A listing is not a snapshot of the directory: a key written while it ran (ours) can be
      // missed while a later one shows. The leader writes in order, so look again directly.
      return true;
    }
    OptionalLong seq = keys.changeSeq(next);
    if (seq.isEmpty()) {
      throw new ChainException(ChainException.Kind.BAD_KEY, next, 0,
          "not a canonical changeset key ({seq:020d}.hadbp)");
    }
    known = new ChainException(ChainException.Kind.GAP, key, expected,
        "missing, while " + next + " exists (local seq " + (expected - 1) + ")");
    throw known;
  }

  static boolean exists(StorageBackend storage, String key) {
    Optional<InputStream> in = storage.getStream(key);
    in.ifPresent(Spool::closeQuietly);
    return in.isPresent();
  }
}
