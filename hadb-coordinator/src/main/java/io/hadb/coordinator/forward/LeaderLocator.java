package io.hadb.coordinator.forward;

import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import io.hadb.coordinator.lease.Lease;
import io.hadb.coordinator.lease.LeaseRecordCodec;
import io.hadb.coordinator.lease.ObservedLease;
import java.util.Optional;

/** Finds the current leader's forwarding address and epoch. */
@FunctionalInterface
public interface LeaderLocator {

  /** The leader as far as known right now, or empty when the lease names none. */
  Optional<LeaderAddress> leader();

  /**
   * Reads the lease register {@code <database>/lease} on every call: the authority, so a client
   * re-discovers the new leader after a failover without a lease of its own. A released record,
   * or one without an address, names no leader.
   */
  static LeaderLocator fromLeaseStore(LeaseStore store, String database) {
    String key = database + "/lease";
    return () -> {
      Optional<Versioned> v = store.read(key);
      return v.flatMap(r -> of(new ObservedLease(LeaseRecordCodec.decode(key, r.version(), r.value()), r.version())));
    };
  }

  /**
   * What a node's own lease knows, without a store call: itself while it holds the term (also
   * while its promotion runs, so its own writes wait for it rather than chase the previous
   * leader), else the last record its elector read (every poll interval, and at once on a watch
   * notice).
   */
  static LeaderLocator fromLease(Lease lease) {
    return () -> {
      String own = lease.config().address();
      Optional<LeaderAddress> self = lease.term().filter(t -> !own.isEmpty())
          .map(t -> new LeaderAddress(own, t.epoch()));
      return self.isPresent() ? self : lease.observed().flatMap(LeaderLocator::of);
    };
  }

  private static Optional<LeaderAddress> of(ObservedLease o) {
    return o.record().forwardAddress().map(a -> new LeaderAddress(a, o.epoch()));
  }
}
