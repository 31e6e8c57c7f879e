package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import io.hadb.coordinator.lease.Lease;
import io.hadb.coordinator.lease.Term;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/** What the forwarding endpoint needs to know about this node's leadership. */
public interface LeaderView {

  /** The epoch this node leads now, or empty when it does not lead. */
  OptionalLong leadingEpoch();

  /** Throws FENCED unless this node leads {@code epoch} at this instant. */
  void requireLeader(long epoch);

  /**
   * Where a refused request should go: this node itself while it holds the lease but is still
   * promoting (the client waits and retries here rather than chase the previous leader), else
   * the leader of the last lease record read, if it is another node.
   */
  Optional<LeaderAddress> leaderHint();

  /**
   * The gate transactions' commits pass (DESIGN §12): a graceful hand-off shuts it and waits for
   * the commits inside before it stops publishing.
   */
  CommitGate commits();

  /** Leads whenever the lease says so (for a node whose writes need no promotion). */
  static LeaderView of(Lease lease) {
    return whenAccepting(lease, () -> lease.term().map(Term::epoch).orElse(0L));
  }

  /**
   * Leads only while the lease term is current <em>and</em> {@code acceptingEpoch} reports that
   * same epoch, i.e. promotion for the term has caught up and sealed (DESIGN §6.2). Between the
   * claim and the seal the node answers 421 naming itself: its copy may not yet hold the request
   * records the previous leader wrote, so a retry answered then could be applied twice.
   *
   * @param acceptingEpoch the epoch for which promotion reached ACCEPTING_WRITES, 0 when none
   */
  static LeaderView whenAccepting(Lease lease, LongSupplier acceptingEpoch) {
    return whenAccepting(lease, acceptingEpoch, new CommitGate());
  }

  /** {@link #whenAccepting(Lease, LongSupplier)} whose commits pass {@code commits}, which the hand-off shuts. */
  static LeaderView whenAccepting(Lease lease, LongSupplier acceptingEpoch, CommitGate commits) {
    HadbException.requireArg(lease, "lease");
    HadbException.requireArg(acceptingEpoch, "acceptingEpoch");
    HadbException.requireArg(commits, "commits");
    LeaderLocator known = LeaderLocator.fromLease(lease);
    return new LeaderView() {
      @Override
      public OptionalLong leadingEpoch() {
        Optional<Term> t = lease.term();
        return t.isPresent() && t.get().epoch() == acceptingEpoch.getAsLong()
            ? OptionalLong.of(t.get().epoch()) : OptionalLong.empty();
      }

      @Override
      public void requireLeader(long epoch) {
        lease.requireLeader(epoch);
        if (acceptingEpoch.getAsLong() != epoch) {
          throw HadbException.fenced("epoch " + epoch + " is not accepting writes (promotion unfinished or over)");
        }
      }

      @Override
      public Optional<LeaderAddress> leaderHint() {
        boolean holding = lease.term().isPresent();
        return known.leader().filter(a -> holding || !a.address().equals(lease.config().address()));
      }

      @Override
      public CommitGate commits() {
        return commits;
      }
    };
  }
}
