package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.NodeMains.daemon;
import static io.hadb.coordinator.fault.NodeMains.emit;
import static io.hadb.coordinator.fault.NodeMains.sleep;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.coordinator.lease.CoordinatorConfig;
import io.hadb.coordinator.lease.DemotionReason;
import io.hadb.coordinator.lease.LeadershipListener;
import io.hadb.coordinator.lease.LeaseElector;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.coordinator.lease.MonotonicClock;
import io.hadb.coordinator.lease.Term;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One election node in a JVM of its own, for the fault tests: a {@link LeaseElector} on a real
 * lease store, and a writer that appends to the stand-in chain ({@link FencedChain}) while it
 * leads, before its self-fence deadline. It reports on stdout, one {@code @EVENT key=value…} line
 * each (parsed by {@link NodeProcess}); stamps are {@link System#nanoTime()}.
 *
 * <p>Usage: {@code ElectionNode <leaseUri> <chainUri> <database> <nodeId> <ttlMillis>}. System
 * properties: {@code hadb.fault.wallOffset} (ISO-8601 duration added to the elector's wall clock,
 * e.g. {@code PT1H}; the monotonic clock stays the real one) and {@code hadb.fault.noSelfFence}
 * (negative controls only: the writer trusts the last {@code isLeader} callback, ignores its
 * deadline and {@code FENCED} demotions, like a lease client without a self-fence) and
 * {@code hadb.fault.overwriteChain} (negative controls only: plain put instead of put-if-absent,
 * no chain fence). Stdin: {@code close} releases gracefully and exits; {@code stall} makes the
 * writer sleep {@value #STALL_MS} ms between its deadline check and its next put (the test
 * freezes the JVM inside that window: the worst moment for a pause; {@code @STALLED_PUT} says
 * when that put returned); end of input (the test JVM died) exits at once.
 */
public final class ElectionNode implements LeadershipListener {
  static final String WALL_OFFSET = "hadb.fault.wallOffset";
  static final String NO_SELF_FENCE = "hadb.fault.noSelfFence";
  static final String OVERWRITE_CHAIN = "hadb.fault.overwriteChain";
  static final long STALL_MS = 2000;
  static final long WRITE_EVERY_MS = 10;
  static final long ALIVE_EVERY_MS = 100;

  private final String nodeId;
  private final FencedChain chain;
  private final boolean noSelfFence;
  private final boolean overwriteChain = Boolean.getBoolean(OVERWRITE_CHAIN);
  private volatile boolean stallRequested;
  private volatile LeaseElector elector;
  private volatile long believedEpoch = -1; // the naive writer's view: last isLeader callback
  private volatile boolean stopping;

  private ElectionNode(String nodeId, FencedChain chain, boolean noSelfFence) {
    this.nodeId = nodeId;
    this.chain = chain;
    this.noSelfFence = noSelfFence;
  }


  @Override
  public void isLeader(Term t) {
    believedEpoch = t.epoch();
    emit("LEADER", "epoch=" + t.epoch() + " claimed=" + t.claimedBecause());
  }

  @Override
  public void notLeader(Term t, DemotionReason why) {
    if (!(noSelfFence && why == DemotionReason.FENCED)) {
      believedEpoch = -1;
    }
    emit("FOLLOWER", "epoch=" + t.epoch() + " reason=" + why);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: ElectionNode <leaseUri> <chainUri> <database> <nodeId> <ttlMillis>");
      System.exit(2);
    }
    String nodeId = args[3];
    Duration offset = Duration.parse(System.getProperty(WALL_OFFSET, "PT0S"));
    boolean noSelfFence = Boolean.getBoolean(NO_SELF_FENCE);
    LeaseTimings timings = LeaseTimings.ofTtl(Duration.ofMillis(Long.parseLong(args[4])));
    LeaseStore leases = LeaseStores.open(args[0]);
    StorageBackend storage = StorageBackends.open(args[1]);
    CoordinatorConfig cfg = CoordinatorConfig.candidate(args[2], nodeId, "http://127.0.0.1:1/" + nodeId)
        .withTimings(timings);
    ElectionNode node = new ElectionNode(nodeId, new FencedChain(storage), noSelfFence);
    emit("READY", "node=" + nodeId + " pid=" + ProcessHandle.current().pid() + " offset=" + offset
        + " noSelfFence=" + noSelfFence + " overwriteChain=" + node.overwriteChain);
    // The node listens from the first step (which may claim at once); its threads start after.
    node.elector = LeaseElector.start(cfg, leases, MonotonicClock.system(),
        InstantSource.offset(InstantSource.system(), offset), new CoordinatorMetrics(), node);
    Thread writer = daemon("writer", node::writeLoop);
    daemon("alive", node::aliveLoop);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("stall")) {
        node.stallRequested = true;
      } else if (line.equals("close")) {
        node.stopping = true;
        writer.join();
        emit("RELEASING", "node=" + nodeId);
        node.elector.close();
        emit("CLOSED", "node=" + nodeId);
        leases.close();
        storage.close();
        System.exit(0);
      }
    }
    Runtime.getRuntime().halt(3); // the test JVM is gone: leave nothing behind
  }


  private void aliveLoop() {
    while (true) {
      Optional<Term> t = elector.lease().term();
      emit("ALIVE", "leader=" + t.isPresent() + " epoch=" + t.map(Term::epoch).orElse(-1L));
      sleep(ALIVE_EVERY_MS);
    }
  }

  /** Writes while leading: catch up on a new term, then one record per round at the next seq. */
  private void writeLoop() {
    long writingEpoch = -1;
    long lostEpoch = -1;
    long counter = 0;
    long knownDeadline = 0; // reported before any record carries it
    while (!stopping) {
      try {
        Optional<Term> term = elector.lease().term();
        OptionalLong dl = elector.lease().fenceDeadlineNanos();
        if (term.isPresent() && dl.isPresent() && dl.getAsLong() != knownDeadline) {
          // A deadline only moves forward while leading (a renew): term() was current just before.
          knownDeadline = dl.getAsLong();
          emit("DEADLINE", "epoch=" + term.get().epoch() + " deadline=" + knownDeadline);
        }
        long epoch = noSelfFence ? believedEpoch : term.map(Term::epoch).orElse(-1L);
        if (epoch < 0 || epoch == lostEpoch) {
          writingEpoch = -1;
          sleep(WRITE_EVERY_MS);
          continue;
        }
        if (epoch != writingEpoch) {
          chain.catchUp();
          writingEpoch = epoch;
          counter = 0;
        }
        long stamp = System.nanoTime();
        if (!noSelfFence && stamp - knownDeadline >= 0) {
          sleep(1); // past the deadline: the watchdog demotes; never write now
          continue;
        }
        long seq = chain.nextSeq();
        boolean stalled = stallRequested;
        if (stalled) {
          stallRequested = false;
          emit("STALLING", "epoch=" + epoch + " seq=" + seq + " stamp=" + stamp + " deadline=" + knownDeadline);
          sleep(STALL_MS);
        }
        ChainRecord record = new ChainRecord(seq, epoch, nodeId, counter, stamp, knownDeadline);
        FencedChain.Outcome o = chain.append(record, overwriteChain);
        if (o == FencedChain.Outcome.WRITTEN) {
          if (counter == 0) {
            emit("FIRST_WRITE", "epoch=" + epoch + " seq=" + seq + " stamp=" + stamp);
          }
          counter++;
        } else if (o == FencedChain.Outcome.LOST) {
          lostEpoch = epoch;
          emit("CHAIN_LOST", "epoch=" + epoch + " seq=" + seq);
          elector.lease().release(); // DESIGN §6.2: a leader that loses a seq to another demotes
        }
        if (stalled) { // after CHAIN_LOST, which a test that waits for this reads first
          emit("STALLED_PUT", "epoch=" + epoch + " seq=" + seq + " outcome=" + o);
        }
        // SKIPPED_OLDER: caught up past an old leader's last record; retry at once
        if (o != FencedChain.Outcome.SKIPPED_OLDER) {
          sleep(WRITE_EVERY_MS);
        }
      } catch (RuntimeException e) {
        emit("ERROR", "what=" + e.toString().replace(' ', '_'));
        sleep(WRITE_EVERY_MS);
      }
    }
  }

}
