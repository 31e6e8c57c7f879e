package io.hadb.coordinator.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checks of fault test f on what the bank nodes report: each node's final copy (its
 * {@code @ACCOUNT} and {@code @TRANSFER} lines) and every {@code @ACK} of every incarnation. Each
 * check throws {@link AssertionError} naming what broke.
 */
final class BankLedger {
  record Transfer(String id, long from, long to, long amount) {
    static Transfer of(NodeProcess.Event e) {
      return new Transfer(e.str("id"), e.num("from"), e.num("to"), e.num("amount"));
    }
  }

  /** One node's copy: balances by account, transfers by request id. */
  record Copy(String node, Map<Long, Long> balances, Map<String, Transfer> transfers) {
    static Copy of(NodeProcess n) {
      Map<Long, Long> balances = new TreeMap<>();
      n.events("ACCOUNT").forEach(e -> balances.put(e.num("id"), e.num("balance")));
      Map<String, Transfer> transfers = new TreeMap<>();
      n.events("TRANSFER").forEach(e -> transfers.put(e.str("id"), Transfer.of(e)));
      return new Copy(n.id, balances, transfers);
    }
  }

  /** An acknowledged transfer: what the client was told, by which node and when. */
  /**
   * A transfer the client was told had applied: {@code at} when the answer came, {@code started}
   * when the client called (both the node's monotonic clock, which every process here shares).
   */
  record Ack(Transfer transfer, String node, long at, long started) {}

  private BankLedger() {}

  /**
   * (1) the total is conserved, and the balances are exactly the seed plus the recorded transfers:
   * each recorded transfer moved its money once, with both of its UPDATEs.
   */
  static void assertConservedAndExplained(Copy c, int accounts, long seed) {
    if (c.balances.size() != accounts) {
      throw new AssertionError(c.node + " holds " + c.balances.size() + " accounts, not " + accounts);
    }
    long total = c.balances.values().stream().mapToLong(Long::longValue).sum();
    if (total != accounts * seed) {
      throw new AssertionError("total not conserved on " + c.node + ": " + total + " != " + accounts * seed);
    }
    Map<Long, Long> expected = new HashMap<>();
    c.balances.keySet().forEach(id -> expected.put(id, seed));
    for (Transfer t : c.transfers.values()) {
      expected.merge(t.from, -t.amount, Long::sum);
      expected.merge(t.to, t.amount, Long::sum);
    }
    for (Map.Entry<Long, Long> e : c.balances.entrySet()) {
      if (!e.getValue().equals(expected.get(e.getKey()))) {
        throw new AssertionError("on " + c.node + " account " + e.getKey() + " holds " + e.getValue()
            + " but its recorded transfers give " + expected.get(e.getKey()));
      }
    }
  }

  /** (3) every node holds the same rows as the first. */
  static void assertIdentical(List<Copy> copies) {
    Copy first = copies.get(0);
    for (Copy c : copies.subList(1, copies.size())) {
      if (!c.balances.equals(first.balances)) {
        throw new AssertionError("inconsistent replicas: balances of " + c.node + " differ from " + first.node);
      }
      if (!c.transfers.equals(first.transfers)) {
        List<String> onlyFirst = new ArrayList<>(first.transfers.keySet());
        onlyFirst.removeAll(c.transfers.keySet());
        List<String> onlyC = new ArrayList<>(c.transfers.keySet());
        onlyC.removeAll(first.transfers.keySet());
        throw new AssertionError("inconsistent replicas: transfers of " + c.node + " differ from " + first.node
            + " (only on " + first.node + ": " + head(onlyFirst) + "; only on " + c.node + ": " + head(onlyC) + ")");
      }
    }
  }

  /**
   * (2) the acknowledged transfers that are not in {@code copy}; one present with other accounts
   * or amount fails at once (a request id applied to something else than was acknowledged).
   */
  static List<Ack> lost(List<Ack> acks, Copy copy) {
    List<Ack> lost = new ArrayList<>();
    for (Ack a : acks) {
      Transfer t = copy.transfers.get(a.transfer.id);
      if (t == null) {
        lost.add(a);
      } else if (!t.equals(a.transfer)) {
        throw new AssertionError("request " + a.transfer.id + " was acknowledged as " + a.transfer + " but "
            + copy.node + " recorded " + t);
      }
    }
    return lost;
  }

  static void assertNoneLost(List<Ack> lost, int acked) {
    if (!lost.isEmpty()) {
      throw new AssertionError(lost.size() + " of " + acked + " acknowledged transfers lost, e.g. " + head(lost));
    }
  }

  private static String head(List<?> l) {
    return l.size() <= 3 ? l.toString() : l.subList(0, 3) + " and " + (l.size() - 3) + " more";
  }
}
