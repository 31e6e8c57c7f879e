package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.BankCluster.BOUND;
import static io.hadb.coordinator.fault.BankCluster.TTL;
import static io.hadb.coordinator.fault.ElectionScenarios.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * Fault scenarios b and e through the facade, on {@link BankNode} JVMs with clients on every
 * node: the leader SIGSTOPped for 2 × ttl (b), the lease server paused for 2 × ttl (e). Both end
 * like {@link BankScenario}: copies conserved, explained and identical (the engine's chain is
 * put-if-absent fenced, so a fork would show as diverging copies or a broken total), and no
 * acknowledged transfer lost (SYNC). Each returns its figures as a line.
 */
final class BankPauseScenarios {
  /** Transfers acknowledged before the fault and again after it. */
  static final int ACKS = 30;

  private BankPauseScenarios() {}

  /**
   * b: SIGSTOP of the leader for 2 × ttl, then SIGCONT. Another node takes over meanwhile; the old
   * leader demotes (its role callback says FOLLOWER after the SIGCONT), and its own clients get
   * transfers acknowledged again afterwards, forwarded to the new leader.
   */
  static String stopTheLeader(BankCluster c) throws Exception {
    NodeProcess.Event first = BankScenario.startAll(c);
    c.awaitAcksAfter(first.at(), ACKS);
    NodeProcess.Event leader = c.awaitLeader(0);
    NodeProcess old = c.current.get(leader.node());
    long epoch = leader.num("epoch");
    long stoppedAt = old.stop();
    NodeProcess.Event next = c.awaitLeader(epoch);
    NodeMains.sleep(Math.max(0, (stoppedAt + 2 * TTL.toNanos() - System.nanoTime()) / 1_000_000));
    long resumedAt = old.resume();
    NodeProcess.Event demoted = old.await("ROLE",
        e -> e.str("role").equals("FOLLOWER") && e.at() - resumedAt > 0, BOUND);
    c.awaitAcksAfter(resumedAt, ACKS);
    long oldNodeAcks = awaitAcksOf(old, resumedAt);
    List<BankLedger.Ack> lost = BankLedger.lost(c.acks(), BankScenario.stopAndCheckCopies(c));
    BankLedger.assertNoneLost(lost, c.acks().size());
    assertTrue(BankCluster.lastAlive(old, "epoch") >= next.num("epoch"), "the old leader follows the new term");
    return String.format("stopped=%s epoch=%d next=%s epoch=%d takeover_ms=%.0f demoted_after_sigcont_ms=%.0f"
        + " old_node_acks_after_sigcont=%d acked=%d lost=0", leader.node(), epoch, next.node(), next.num("epoch"),
        ms(next.at() - stoppedAt), ms(demoted.at() - resumedAt), oldNodeAcks, c.acks().size());
  }

  /**
   * e: the lease server paused for 2 × ttl. The leader demotes itself while the server is still
   * down, and nothing is acknowledged between pause + ttl (its self-fence deadline is at most
   * ttl − margin after its last renew, which began before the pause) and the resume; afterwards
   * exactly one node leads and transfers are acknowledged again.
   */
  static String pauseTheLeaseServer(BankCluster c, Runnable pause, Runnable resume) throws Exception {
    NodeProcess.Event first = BankScenario.startAll(c);
    c.awaitAcksAfter(first.at(), ACKS);
    NodeProcess.Event leader = c.awaitLeader(0);
    NodeProcess old = c.current.get(leader.node());
    long pauseCalled = System.nanoTime();
    pause.run(); // returns once the kernel reports the server stopped
    long pausedAt = System.nanoTime(); // the bounds start here: stopping it may take a while under load
    NodeMains.sleep(2 * TTL.toMillis());
    long resumedAt = System.nanoTime();
    resume.run();
    NodeProcess.Event fenced = old.await("ROLE",
        e -> e.str("role").equals("FOLLOWER") && e.at() - pauseCalled > 0, BOUND);
    assertTrue(fenced.at() - resumedAt < 0, String.format(
        "the leader demoted %.0f ms after the pause, not before the resume (%.0f ms)",
        ms(fenced.at() - pausedAt), ms(resumedAt - pausedAt)));
    long fenceBound = pausedAt + TTL.toNanos();
    // A transfer called after that bound and answered before the resume ran entirely while no
    // node could hold the lease. (A call that began earlier may have committed in time and had
    // its answer delayed by a busy machine: judging it by its answer alone failed under load.)
    List<BankLedger.Ack> late = c.acks().stream()
        .filter(a -> a.started() - fenceBound > 0 && a.at() - resumedAt < 0).toList();
    assertTrue(late.isEmpty(), "acknowledged while no node could hold the lease: " + late);
    long lastBefore = c.acks().stream().mapToLong(BankLedger.Ack::at).filter(at -> at - resumedAt < 0).max()
        .orElseThrow();
    NodeProcess.Event next = c.awaitLeader(leader.num("epoch"));
    c.awaitAcksAfter(resumedAt, ACKS);
    int leaders = leadersNow(c);
    assertEquals(1, leaders, "nodes whose latest heartbeat says LEADER after the resume");
    List<BankLedger.Ack> lost = BankLedger.lost(c.acks(), BankScenario.stopAndCheckCopies(c));
    BankLedger.assertNoneLost(lost, c.acks().size());
    return String.format("leader=%s epoch=%d fenced_after_pause_ms=%.0f last_ack_after_pause_ms=%.0f"
        + " next=%s epoch=%d resume_to_new_leader_ms=%.0f acked=%d lost=0", leader.node(), leader.num("epoch"),
        ms(fenced.at() - pausedAt), ms(lastBefore - pausedAt), next.node(), next.num("epoch"),
        ms(next.at() - resumedAt), c.acks().size());
  }

  /** Acknowledgements node {@code n}'s clients got after {@code at}, waiting for at least one. */
  private static long awaitAcksOf(NodeProcess n, long at) throws InterruptedException {
    n.await("ACK", e -> e.at() - at > 0, BOUND);
    return n.events("ACK").stream().filter(e -> e.at() - at > 0).count();
  }

  /** How many nodes' heartbeats say LEADER, once two heartbeats (100 ms apart) passed. */
  private static int leadersNow(BankCluster c) throws InterruptedException {
    NodeMains.sleep(250);
    return (int) c.current.values().stream().filter(NodeProcess::isAlive)
        .filter(n -> n.events("ALIVE").get(n.events("ALIVE").size() - 1).str("role").equals("LEADER")).count();
  }
}
