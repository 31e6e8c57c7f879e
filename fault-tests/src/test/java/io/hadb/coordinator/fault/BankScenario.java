package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.BankCluster.BOUND;

import java.util.ArrayList;
import java.util.List;

/**
 * Fault scenario f: bank transfers from the clients of three {@link BankNode} JVMs while the
 * leader is killed with {@code kill -9} again and again (the killed node restarts and rejoins as a
 * follower after each takeover), then the clients stop, the nodes converge and dump their copies.
 * {@link #run} checks what holds in every mode — total conserved and explained by the recorded
 * transfers on every node, identical copies — and returns the acknowledged transfers each
 * failover lost, for the caller to assert (SYNC) or report (ASYNC).
 */
final class BankScenario {
  /** Transfers acknowledged between two kills: traffic on the new leader and on the restarted node. */
  static final int ACKS_PER_ROUND = 30;

  record Failover(int n, String killed, long killedEpoch, String next, long killedAt, double takeoverMs,
      double firstAckMs, double rejoinMs) {}

  record Result(List<Failover> failovers, int acked, int transfers, List<List<BankLedger.Ack>> lostPerFailover,
      List<BankLedger.Ack> lostAfterLast) {
    List<BankLedger.Ack> lost() {
      List<BankLedger.Ack> all = new ArrayList<>();
      lostPerFailover.forEach(all::addAll);
      all.addAll(lostAfterLast);
      return all;
    }

    String summary() {
      return String.format("failovers=%d acked=%d recorded=%d lost=%d lost_per_failover=%s takeover_ms=%s"
          + " kill_to_first_ack_after_takeover_ms=%s restart_to_open_ms=%s",
          failovers.size(), acked, transfers, lost().size(),
          lostPerFailover.stream().map(List::size).toList(),
          failovers.stream().map(f -> Math.round(f.takeoverMs)).toList(),
          failovers.stream().map(f -> Math.round(f.firstAckMs)).toList(),
          failovers.stream().map(f -> Math.round(f.rejoinMs)).toList());
    }
  }

  private BankScenario() {}

  /** Starts n1..n3 and returns the first leader's role event once every node is open. */
  static NodeProcess.Event startAll(BankCluster c) throws Exception {
    for (String id : List.of("n1", "n2", "n3")) {
      c.start(id);
    }
    NodeProcess.Event leader = c.awaitLeader(0);
    for (NodeProcess n : c.current.values()) {
      n.await("READY", BOUND);
    }
    return leader;
  }

  /**
   * Stops the clients, checks every copy conserved and explained and the copies identical, and
   * returns one of them (the acknowledged transfers it lacks: {@link BankLedger#lost}).
   */
  static BankLedger.Copy stopAndCheckCopies(BankCluster c) throws Exception {
    List<BankLedger.Copy> copies = c.stopAndDump();
    for (BankLedger.Copy copy : copies) {
      BankLedger.assertConservedAndExplained(copy, BankCluster.ACCOUNTS, BankCluster.SEED);
    }
    BankLedger.assertIdentical(copies);
    return copies.get(0);
  }

  static Result run(BankCluster c, int failovers) throws Exception {
    NodeProcess.Event leader = startAll(c);
    long since = leader.at();
    List<Failover> done = new ArrayList<>();
    for (int i = 1; i <= failovers; i++) {
      c.awaitAcksAfter(since, ACKS_PER_ROUND);
      leader = c.awaitLeader(0);
      String killed = leader.node();
      long epoch = leader.num("epoch");
      long killedAt = c.current.get(killed).kill9();
      NodeProcess.Event next = c.awaitLeader(epoch);
      c.awaitAcksAfter(next.at(), 1);
      long firstAck = c.acks().stream().mapToLong(BankLedger.Ack::at).filter(at -> at - next.at() > 0).min()
          .orElseThrow();
      // Restart only after the takeover: the same node id must not find its own live record.
      long restartedAt = System.nanoTime();
      NodeProcess.Event ready = c.start(killed).await("READY", BOUND);
      done.add(new Failover(i, killed, epoch, next.node(), killedAt, ElectionScenarios.ms(next.at() - killedAt),
          ElectionScenarios.ms(firstAck - killedAt), ElectionScenarios.ms(ready.at() - restartedAt)));
      since = killedAt;
    }
    c.awaitAcksAfter(since, ACKS_PER_ROUND);
    BankLedger.Copy copy = stopAndCheckCopies(c);
    List<BankLedger.Ack> acks = c.acks();
    List<BankLedger.Ack> lost = BankLedger.lost(acks, copy);
    // A lost transfer belongs to the first failover after its acknowledgement.
    List<List<BankLedger.Ack>> perFailover = new ArrayList<>();
    List<BankLedger.Ack> rest = new ArrayList<>(lost);
    for (Failover f : done) {
      List<BankLedger.Ack> before = rest.stream().filter(a -> a.at() - f.killedAt() <= 0).toList();
      perFailover.add(before);
      rest.removeAll(before);
    }
    return new Result(done, acks.size(), copy.transfers().size(), perFailover, rest);
  }
}
