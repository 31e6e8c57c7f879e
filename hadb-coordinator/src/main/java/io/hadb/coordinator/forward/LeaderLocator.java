package io.hadb.coordinator.forward;

import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import io.hadb.coordinator.lease.LeaseRecordCodec;
import java.util.Optional;

/** Finds the forwarding address of the current leader. */
@FunctionalInterface
public interface LeaderLocator {

  /** The leader's address ({@code http://host:port}), or empty when none is known right now. */
  Optional<String> leaderAddress();

  /**
   * Reads the lease register {@code <database>/lease} on every call: the authority, so a client
   * re-discovers the new leader after a failover without a lease of its own. A released record,
   * or one without an address, names no leader.
   */
  static LeaderLocator fromLeaseStore(LeaseStore store, String database) {
    String key = database + "/lease";
    return () -> {
      Optional<Versioned> v = store.read(key);
      return v.flatMap(r -> LeaseRecordCodec.decode(key, r.version(), r.value()).forwardAddress());
    };
  }
}
