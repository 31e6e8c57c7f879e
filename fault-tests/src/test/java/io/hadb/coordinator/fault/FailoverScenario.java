package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.BankCluster.BOUND;
import static io.hadb.coordinator.fault.ElectionScenarios.ms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Failover as the applications on the nodes see it: strict bank clients on three {@link BankNode}
 * JVMs (every error but UNKNOWN_OUTCOME counts against the facade; an UNKNOWN_OUTCOME is retried
 * with its id), default forwarding settings, SYNC. The leader is killed with {@code kill -9}; once
 * the next one took writes, that one is SIGSTOPped until a third took writes, then SIGCONTed.
 * Then the clients stop and everything is checked: no client error, each UNKNOWN_OUTCOME answered
 * on retry and in the ledger once, no acknowledged transfer lost, copies conserved and identical,
 * and on every node each commit a demotion dropped was answered UNKNOWN_OUTCOME to its writer.
 */
final class FailoverScenario {
  /** Transfers acknowledged before each fault and after each takeover. */
  static final int ACKS = 20;

  /** One run's figures; {@link #line()} is what the test prints. */
  record Result(long ttlMs, int clientErrors, int unknownOutcomes, List<Long> killPausesMs, List<Long> stopPausesMs,
      long dropped, long unconfirmed, int acked, double killTakeoverMs, double stopTakeoverMs) {
    String line() {
      List<Long> all = new ArrayList<>(killPausesMs);
      all.addAll(stopPausesMs);
      return String.format("failover ttl_ms=%d: client_errors=%d unknown_outcomes=%d write_pause_ms_p50/p99=%d/%d"
          + " (kill -9: %d/%d, takeover %.0f ms; SIGSTOP: %d/%d, takeover %.0f ms) dropped=%d unconfirmed=%d acked=%d",
          ttlMs, clientErrors, unknownOutcomes, pct(all, 50), pct(all, 99), pct(killPausesMs, 50), pct(killPausesMs, 99),
          killTakeoverMs, pct(stopPausesMs, 50), pct(stopPausesMs, 99), stopTakeoverMs, dropped, unconfirmed, acked);
    }
  }

  private FailoverScenario() {}

  static Result run(BankCluster c, long ttlMs) throws Exception {
    NodeProcess.Event first = BankScenario.startAll(c);
    c.awaitAcksAfter(first.at(), ACKS);

    NodeProcess.Event l1 = c.awaitLeader(0);
    NodeProcess killed = c.current.get(l1.node());
    long killedAt = killed.kill9();
    NodeProcess.Event l2 = c.awaitLeader(l1.num("epoch"));
    c.awaitAcksAfter(l2.at(), ACKS);
    c.current.remove(killed.id);

    NodeProcess stopped = c.current.get(l2.node());
    long stoppedAt = stopped.stop();
    NodeProcess.Event l3 = c.awaitLeader(l2.num("epoch"));
    c.awaitAcksAfter(l3.at(), ACKS);
    long resumedAt = stopped.resume();
    stopped.await("ROLE", e -> e.str("role").equals("FOLLOWER") && e.at() - resumedAt > 0, BOUND);
    stopped.await("ACK", e -> e.at() - resumedAt > 0, BOUND); // its own clients write again

    BankLedger.Copy copy = BankScenario.stopAndCheckCopies(c);
    List<BankLedger.Ack> acks = c.acks();
    BankLedger.assertNoneLost(BankLedger.lost(acks, copy), acks.size());

    List<NodeProcess.Event> errors = events(c, "CLIENT_ERROR");
    errors.addAll(events(c, "UNRESOLVED"));
    if (!errors.isEmpty()) {
      throw new AssertionError(errors.size() + " client error(s) where the error contract allows only"
          + " UNKNOWN_OUTCOME: " + errors + "\n" + c.describe());
    }
    List<NodeProcess.Event> unknown = events(c, "UNKNOWN");
    Set<String> acked = acks.stream().map(a -> a.transfer().id()).collect(Collectors.toSet());
    for (NodeProcess.Event u : unknown) {
      String id = u.str("id");
      if (!acked.contains(id) || !copy.transfers().containsKey(id)) {
        throw new AssertionError("UNKNOWN_OUTCOME for " + id + " retried with its id was "
            + (acked.contains(id) ? "answered but is not in the ledger" : "never answered"));
      }
    }
    long dropped = 0;
    long unconfirmed = 0;
    for (NodeProcess n : c.current.values()) {
      long d = BankCluster.lastAlive(n, "dropped");
      long u = BankCluster.lastAlive(n, "unconfirmed");
      if (d > u) {
        throw new AssertionError(n.id + " dropped " + d + " commit(s) on demotion but answered only " + u
            + " write(s) UNKNOWN_OUTCOME: a commit that never reached the chain was reported as not applied"
            + " (the error contract, DESIGN §6.4)");
      }
      dropped += d;
      unconfirmed += u;
    }
    return new Result(ttlMs, errors.size(), unknown.size(),
        pauses(acks, c, Set.of(killed.id), killedAt, l2.at()),
        pauses(acks, c, Set.of(killed.id, stopped.id), stoppedAt, l3.at()),
        dropped, unconfirmed, acks.size(), ms(l2.at() - killedAt), ms(l3.at() - stoppedAt));
  }

  private static List<NodeProcess.Event> events(BankCluster c, String type) {
    return c.incarnations.stream().flatMap(n -> n.events(type).stream()).collect(Collectors.toCollection(ArrayList::new));
  }

  /**
   * For each client of the nodes not in {@code faulted}: the longest wait of one of its writes
   * across the fault, i.e. a write answered after the fault that began before the new leader took
   * writes (its first attempt to its answer, retries included).
   */
  private static List<Long> pauses(List<BankLedger.Ack> acks, BankCluster c, Set<String> faulted, long faultAt,
      long recoveredAt) {
    Map<String, Long> started = new HashMap<>();
    c.incarnations.forEach(n -> n.events("ACK").forEach(e -> started.put(e.str("id"), e.num("started"))));
    Map<String, Long> longest = new HashMap<>();
    for (BankLedger.Ack a : acks) {
      String id = a.transfer().id();
      long s = started.get(id);
      if (faulted.contains(a.node()) || a.at() - faultAt < 0 || s - recoveredAt > 0) {
        continue;
      }
      longest.merge(id.substring(0, id.lastIndexOf('-')), a.at() - s, Math::max);
    }
    return longest.values().stream().map(n -> n / 1_000_000).sorted(Comparator.naturalOrder()).toList();
  }

  /** The {@code p}-th percentile (nearest rank) of {@code ms}; -1 when empty. */
  static long pct(List<Long> ms, int p) {
    if (ms.isEmpty()) {
      return -1;
    }
    List<Long> sorted = ms.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
