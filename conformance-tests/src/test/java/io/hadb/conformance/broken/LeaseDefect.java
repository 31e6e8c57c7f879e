package io.hadb.conformance.broken;

/** One deliberate bug of {@link KitLeaseStore}; NONE is the correct reference store. */
public enum LeaseDefect {
  /** Correct: the reference store. */
  NONE,
  /** compareAndSet checks the version, releases the lock for a moment, then writes: non-atomic. */
  RACY_CAS,
  /** create checks absence, releases the lock for a moment, then writes: non-atomic. */
  RACY_CREATE,
  /** Versions are counted per key from 1 and restart after delete: an old fencing epoch comes back. */
  VERSION_REUSED_AFTER_DELETE,
  /** create on an existing key overwrites it and reports a win. */
  CREATE_OVERWRITES,
  /** Each client caches what it read and answers later reads from the cache. */
  STALE_READ_CACHE,
  /** delete ignores the expected version (a blind delete). */
  BLIND_DELETE,
  /**
   * Each client remembers the version it last saw per key and lets compareAndSet win when the
   * expected version matches that memory, without asking the store: lost updates.
   */
  CACHED_VERSION_CAS,
  /** No argument checks: bad keys, oversized values and versions &lt;= 0 are accepted. */
  LAX_INPUT,
  /** close() does nothing; the client keeps working. */
  CLOSE_IGNORED,
  /** Losing a race throws an exception instead of returning CasResult.lost(). */
  THROWS_ON_LOST,
  /**
   * compareAndSet with the value already stored answers won at the current version without
   * writing: two clients can then win from one version.
   */
  CAS_SAME_VALUE_KEEPS_VERSION,
  /** read looks the key up as a prefix (a range scan): reading a deleted "x" returns "x-y". */
  READ_BY_PREFIX,
  /** watch calls back for writes but not for deletes. */
  WATCH_MISSES_DELETES,
  /** Closing a watch's subscription, or its client, does not stop its callbacks. */
  WATCH_IGNORES_CLOSE,
  /**
   * A client setting ({@code ?format=reversed}) changes how values are stored, without a marker:
   * clients with one setting agree, clients of one namespace with different settings read garbage.
   * Caught only when the kit opens clients with different settings.
   */
  SETTING_CHANGES_FORMAT;

  public String scheme() {
    return "lease-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
