package io.hadb.coordinator.role;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Replicator;
import java.util.ArrayList;
import java.util.List;

/**
 * The promotion state machine of DESIGN §6.2, written against the engine SPI only:
 * claim (done by the lease) → catch up → seal → accept writes.
 *
 * <ol>
 *   <li><b>Catch up:</b> {@link Replicator#pull()} applies everything the chain holds now.
 *   <li><b>Seal:</b> put-if-absent an empty changeset at {@code head + 1} carrying the new epoch.
 *       If that seq already exists, a previous leader (past its deadline but not yet stopped, e.g.
 *       resumed from a pause) wrote it first: pull again and seal after it. Once the seal lands,
 *       every older leader's next put-if-absent at that seq fails, so it stops (FENCED); the
 *       chain stays one linear history whatever the pauses.
 *   <li><b>Accept writes:</b> {@link Replicator#startPublishing} from {@code seal + 1}.
 * </ol>
 *
 * Before every phase the lease is checked ({@code requireLeader(epoch)}): a node that lost the
 * lease while catching up never seals, and one that lost it after sealing never publishes.
 * Whatever fails, the node is left a working follower (publishing stopped).
 */
public final class Promotion {

  /** Where a promotion got to. */
  public enum Phase { CLAIMED, CATCHING_UP, SEALING, ACCEPTING_WRITES, ABORTED }

  /**
   * @param phase the last phase reached: ACCEPTING_WRITES on success
   * @param epoch the term's epoch
   * @param sealSeq the seq of the seal that was written, or 0 when none was
   * @param sealAttempts how many seals were tried (more than one when a previous leader was still
   *     finishing)
   * @param cause why it stopped short, or null on success
   */
  public record Result(Phase phase, long epoch, long sealSeq, int sealAttempts, HadbException cause) {
    public boolean accepted() {
      return phase == Phase.ACCEPTING_WRITES;
    }
  }

  /** The lease check made before each phase; throws {@code FENCED} when this node no longer leads. */
  @FunctionalInterface
  public interface LeaderCheck {
    void requireLeader(long epoch);
  }

  private final Replicator replicator;
  private final LeaderCheck lease;
  private final int maxSealAttempts;
  private final List<Phase> phases = new ArrayList<>();

  /**
   * @param maxSealAttempts how many times to pull and re-seal when a seq is taken before giving up
   *     (an old leader can only win a few races before its own lease check stops it)
   */
  public Promotion(Replicator replicator, LeaderCheck lease, int maxSealAttempts) {
    this.replicator = HadbException.requireArg(replicator, "replicator");
    this.lease = HadbException.requireArg(lease, "lease");
    if (maxSealAttempts < 1) {
      throw HadbException.invalidArgument("maxSealAttempts must be >= 1, was " + maxSealAttempts);
    }
    this.maxSealAttempts = maxSealAttempts;
  }

  /** The phases entered so far, in order (for diagnostics and tests). */
  public List<Phase> phases() {
    return List.copyOf(phases);
  }

  /** Runs the promotion for {@code epoch}; never throws for lease loss or contention, reports it. */
  public Result promote(long epoch) {
    enter(Phase.CLAIMED);
    int attempts = 0;
    long sealSeq = 0;
    try {
      while (sealSeq == 0) {
        if (attempts == maxSealAttempts) {
          throw HadbException.unavailable("could not seal the chain at epoch " + epoch + " after "
              + attempts + " attempts: every seq was taken before the seal", null);
        }
        enter(Phase.CATCHING_UP);
        lease.requireLeader(epoch);
        long head = replicator.pull();
        enter(Phase.SEALING);
        lease.requireLeader(epoch);
        attempts++;
        if (replicator.seal(epoch, head + 1)) {
          sealSeq = head + 1;
        }
      }
      lease.requireLeader(epoch);
      replicator.startPublishing(epoch, sealSeq + 1);
      enter(Phase.ACCEPTING_WRITES);
      return new Result(Phase.ACCEPTING_WRITES, epoch, sealSeq, attempts, null);
    } catch (HadbException e) {
      Phase reached = phases.get(phases.size() - 1);
      enter(Phase.ABORTED);
      demote();
      return new Result(reached, epoch, sealSeq, attempts, e);
    }
  }

  /**
   * Demotion: stop publishing (the engine drops and reports commits the chain never got), then
   * pull so the node goes on as a working follower of whoever leads next.
   */
  public void demote() {
    replicator.stopPublishing();
    try {
      replicator.pull();
    } catch (HadbException e) {
      // The follower's pull loop retries; a failed first pull does not make the node inert.
      System.getLogger(Promotion.class.getName()).log(System.Logger.Level.WARNING,
          "first pull after demotion failed: " + e.getMessage());
    }
  }

  private void enter(Phase p) {
    phases.add(p);
  }
}
