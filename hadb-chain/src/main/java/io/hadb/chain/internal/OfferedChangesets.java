package io.hadb.chain.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * Changesets a push link offered to a follower, by seq, until a pull takes them (DESIGN §9).
 * Bounded in count and bytes: an offer past either bound is refused and the follower reads that
 * changeset from storage. Offers arrive on a network thread while a pull may run, so this has a
 * lock of its own and never waits for the follower's.
 */
final class OfferedChangesets {
  static final int MAX_COUNT = 256;
  static final long MAX_BYTES = 16L << 20;

  private record Offer(String key, byte[] body) {}

  private final TreeMap<Long, Offer> bySeq = new TreeMap<>(); // guarded by this
  private long bytes; // guarded by this

  synchronized boolean offer(long seq, String key, byte[] body) {
    if (seq < 1 || key == null || body == null || bySeq.containsKey(seq)) {
      return false;
    }
    if (bySeq.size() >= MAX_COUNT || bytes + body.length > MAX_BYTES) {
      return false;
    }
    bySeq.put(seq, new Offer(key, body));
    bytes += body.length;
    return true;
  }

  /** The body offered for {@code seq} under exactly {@code key}, removed; null when none. */
  synchronized byte[] take(long seq, String key) {
    Offer o = bySeq.remove(seq);
    if (o == null) {
      return null;
    }
    bytes -= o.body().length;
    return o.key().equals(key) ? o.body() : null;
  }

  synchronized boolean has(long seq) {
    return bySeq.containsKey(seq);
  }

  /** Forgets offers of seqs the follower already holds. */
  synchronized void dropThrough(long seq) {
    Map<Long, Offer> old = bySeq.headMap(seq, true);
    for (Offer o : old.values()) {
      bytes -= o.body().length;
    }
    old.clear();
  }

  synchronized void clear() {
    bySeq.clear();
    bytes = 0;
  }

  synchronized int size() {
    return bySeq.size();
  }
}
