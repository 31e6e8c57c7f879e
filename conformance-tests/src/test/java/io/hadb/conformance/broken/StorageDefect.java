package io.hadb.conformance.broken;

/** One deliberate bug of {@link KitStorageBackend}; NONE is the correct reference store. */
public enum StorageDefect {
  /** Correct: the reference store. */
  NONE,
  /** putIfAbsent writes even when the key exists (and reports false). */
  PUT_IF_ABSENT_OVERWRITES,
  /** putIfAbsent checks absence, releases the lock for a moment, then writes: non-atomic. */
  RACY_PUT_IF_ABSENT,
  /** list ignores startAfter. */
  LIST_IGNORES_START_AFTER,
  /** list returns keys in insertion order instead of lexicographic order. */
  LIST_UNORDERED,
  /** Each client caches what it read and answers later gets from the cache. */
  STALE_GET_CACHE,
  /** A same-size replace overwrites the stored bytes in place, under open streams. */
  LIVE_STREAM,
  /** put(BodySource) calls read() once and keeps what that returned. */
  SHORT_READ_PUT,
  /** list treats the prefix as a directory: "changes/000" matches nothing. */
  PREFIX_BY_SEGMENT,
  /** put publishes the object before its bytes are all written. */
  TORN_WRITE;

  public String scheme() {
    return "storage-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
