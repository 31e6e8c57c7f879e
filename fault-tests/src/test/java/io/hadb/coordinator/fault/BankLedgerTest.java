package io.hadb.coordinator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.coordinator.fault.BankLedger.Ack;
import io.hadb.coordinator.fault.BankLedger.Copy;
import io.hadb.coordinator.fault.BankLedger.Transfer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checks of fault test f on hand-made copies: each passes on a consistent ledger and fails,
 * naming the fault, on the one it exists to catch (a half-applied transfer, a row missing on one
 * node, an acknowledged transfer absent or recorded differently).
 */
class BankLedgerTest {
  private static final Transfer T1 = new Transfer("a-1", 1, 2, 30);
  private static final Transfer T2 = new Transfer("b-1", 2, 3, 5);

  /** Three accounts seeded with 100, after {@code transfers}; {@code skew} added to account 1. */
  private static Copy copy(String node, long skew, Transfer... transfers) {
    Map<Long, Long> balances = new TreeMap<>(Map.of(1L, 100L + skew, 2L, 100L, 3L, 100L));
    Map<String, Transfer> byId = new HashMap<>();
    for (Transfer t : transfers) {
      balances.merge(t.from(), -t.amount(), Long::sum);
      balances.merge(t.to(), t.amount(), Long::sum);
      byId.put(t.id(), t);
    }
    return new Copy(node, balances, byId);
  }

  @Test
  void aConsistentLedgerPassesEveryCheck() {
    Copy n1 = copy("n1", 0, T1, T2);
    BankLedger.assertConservedAndExplained(n1, 3, 100);
    BankLedger.assertIdentical(List.of(n1, copy("n2", 0, T1, T2)));
    assertEquals(List.of(), BankLedger.lost(List.of(new Ack(T1, "n1", 1, 1), new Ack(T2, "n2", 2, 2)), n1));
  }

  @Test
  void moneyCreatedOrAHalfAppliedTransferIsCaught() {
    AssertionError created = assertThrows(AssertionError.class,
        () -> BankLedger.assertConservedAndExplained(copy("n1", 7, T1), 3, 100));
    assertTrue(created.getMessage().contains("total not conserved on n1: 307"), created.getMessage());
    // A transfer's row without its two updates keeps the total; only the balance check sees it.
    Copy rowOnly = new Copy("n2", new TreeMap<>(Map.of(1L, 100L, 2L, 100L, 3L, 100L)), Map.of(T1.id(), T1));
    AssertionError unexplained = assertThrows(AssertionError.class,
        () -> BankLedger.assertConservedAndExplained(rowOnly, 3, 100));
    assertTrue(unexplained.getMessage().contains("account 1 holds 100 but its recorded transfers give 70"),
        unexplained.getMessage());
  }

  @Test
  void aRowMissingOnOneNodeIsAnInconsistency() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> BankLedger.assertIdentical(List.of(copy("n1", 0, T1, T2), copy("n2", 0, T1))));
    assertTrue(e.getMessage().startsWith("inconsistent replicas: balances of n2"), e.getMessage());
  }

  @Test
  void anAcknowledgedTransferMissingOrRecordedDifferentlyIsCaught() {
    Copy n1 = copy("n1", 0, T1);
    List<Ack> lost = BankLedger.lost(List.of(new Ack(T1, "n1", 1, 1), new Ack(T2, "n3", 2, 2)), n1);
    assertEquals(List.of(new Ack(T2, "n3", 2, 2)), lost);
    AssertionError none = assertThrows(AssertionError.class, () -> BankLedger.assertNoneLost(lost, 2));
    assertTrue(none.getMessage().startsWith("1 of 2 acknowledged transfers lost"), none.getMessage());
    Ack other = new Ack(new Transfer("a-1", 1, 2, 31), "n1", 3, 3);
    AssertionError differs = assertThrows(AssertionError.class, () -> BankLedger.lost(List.of(other), n1));
    assertTrue(differs.getMessage().contains("request a-1 was acknowledged as"), differs.getMessage());
  }
}
