package io.hadb.coordinator.forward;

import io.hadb.coordinator.LeaderLease;
import io.hadb.coordinator.ObservedLease;
import io.hadb.coordinator.Term;
import java.util.Optional;
import java.util.OptionalLong;

/** What the forwarding endpoint needs to know about this node's leadership. */
public interface LeaderView {

  /** The epoch this node leads now, or empty when it does not lead. */
  OptionalLong leadingEpoch();

  /** Throws FENCED unless this node leads {@code epoch} at this instant. */
  void requireLeader(long epoch);

  /** Where the leader is believed to be (the address in the last lease record read), if known. */
  Optional<String> leaderHint();

  /** The view of a running lease. */
  static LeaderView of(LeaderLease lease) {
    return new LeaderView() {
      @Override
      public OptionalLong leadingEpoch() {
        Optional<Term> t = lease.term();
        return t.isPresent() ? OptionalLong.of(t.get().epoch()) : OptionalLong.empty();
      }

      @Override
      public void requireLeader(long epoch) {
        lease.requireLeader(epoch);
      }

      @Override
      public Optional<String> leaderHint() {
        return lease.observed()
            .filter(o -> !o.record().released())
            .map(ObservedLease::record)
            .map(r -> r.address())
            .filter(a -> !a.isEmpty() && !a.equals(lease.config().address()));
      }
    };
  }
}
