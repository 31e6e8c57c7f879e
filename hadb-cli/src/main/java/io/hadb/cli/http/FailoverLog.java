package io.hadb.cli.http;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last leadership changes one node saw for one database: each time the epoch it knows grows,
 * when and who leads now. Sampled (not told), so two terms that both end between two samples show
 * as one change; the status page needs recent history, not an audit log.
 */
public final class FailoverLog {
  private static final int KEEP = 10;

  record Change(Instant at, long epoch, String leader) {}

  private final Deque<Change> changes = new ArrayDeque<>();
  private long lastEpoch;

  synchronized void sample(Instant now, long epoch, Optional<String> leader) {
    if (epoch > lastEpoch) {
      lastEpoch = epoch;
      changes.addFirst(new Change(now, epoch, leader.orElse("")));
      while (changes.size() > KEEP) {
        changes.removeLast();
      }
    }
  }

  /** Newest first. */
  synchronized List<Change> recent() {
    return new ArrayList<>(changes);
  }
}
