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
  TORN_WRITE,
  /** A page that holds exactly the keys remaining still says more follow (hasMore = page is full). */
  LAST_PAGE_SAYS_MORE,
  /** list returns every matching key whatever the limit. */
  LIST_LIMIT_IGNORED,
  /**
   * putIfAbsent checks for the key before reading the body and writes after it, deciding the
   * winner atomically at the end: exactly one caller gets true, but a loser that passed the first
   * check while the winner's body was in flight still replaces the object.
   */
  LOSER_REPLACES,
  /** putIfAbsent returns true when the stored bytes equal the new ones (taken for its own retry). */
  PUT_IF_ABSENT_SAME_BYTES_WINS;

  public String scheme() {
    return "storage-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
