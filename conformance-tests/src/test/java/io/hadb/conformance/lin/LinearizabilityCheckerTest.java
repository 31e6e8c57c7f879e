package io.hadb.conformance.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.lin.LinearizabilityChecker.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checker on hand-made histories whose answer is known, and on large generated ones. */
class LinearizabilityCheckerTest {
  private final List<Operation<LeaseOp>> h = new ArrayList<>();

  private void op(int p, long from, long to, LeaseOp op) {
    h.add(new Operation<>(p, from, to, op));
  }

  private static LeaseOp create(String v, long version) {
    return new LeaseOp.Create(v, version > 0, version);
  }

  private static LeaseOp cas(long expected, String v, long version) {
    return new LeaseOp.Cas(expected, v, version > 0, version);
  }

  private static LeaseOp read(String v, long version) {
    return new LeaseOp.Read(Optional.ofNullable(v), v == null ? 0 : version);
  }

  private static LeaseOp delete(long expected, boolean won) {
    return new LeaseOp.Delete(expected, won, won ? expected : 0);
  }

  private Verdict leaseVerdict() {
    return LinearizabilityChecker.check(new LeaseRegisterSpec(), h).verdict();
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertEquals(Verdict.LINEARIZABLE, leaseVerdict());
  }

  @Test
  void sequentialLegalHistoryIsLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(0, 2, 3, read("a", 1));
    op(1, 4, 5, cas(1, "b", 2));
    op(1, 6, 7, cas(1, "c", 0)); // stale: lost
    op(0, 8, 9, delete(2, true));
    op(0, 10, 11, read(null, 0));
    op(1, 12, 13, create("d", 7)); // gaps in versions are fine, reuse is not
    assertEquals(Verdict.LINEARIZABLE, leaseVerdict());
  }

  @Test
  void versionReusedAfterDeleteIsNotLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(0, 2, 3, delete(1, true));
    op(0, 4, 5, create("b", 1));
    assertEquals(Verdict.NOT_LINEARIZABLE, leaseVerdict());
  }

  @Test
  void twoOverlappingCasWinsFromOneVersionAreNotLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(1, 10, 30, cas(1, "b", 2));
    op(2, 12, 28, cas(1, "c", 3));
    LinearizabilityChecker.Result r = LinearizabilityChecker.check(new LeaseRegisterSpec(), h);
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    assertTrue(r.explanation().contains("none of these can come next"), r.explanation());
  }

  @Test
  void overlappingCasOneWinnerOneLoserIsLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(1, 10, 30, cas(1, "b", 0));
    op(2, 12, 28, cas(1, "c", 3));
    op(1, 40, 41, read("c", 3));
    assertEquals(Verdict.LINEARIZABLE, leaseVerdict());
  }

  @Test
  void staleReadAfterCompletedWriteIsNotLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(0, 2, 10, cas(1, "b", 2));
    op(1, 20, 30, read("a", 1));
    assertEquals(Verdict.NOT_LINEARIZABLE, leaseVerdict());
  }

  @Test
  void readOverlappingWriteMayReturnOldOrNew() {
    op(0, 0, 1, create("a", 1));
    op(0, 10, 50, cas(1, "b", 2));
    op(1, 20, 30, read("a", 1));
    op(2, 25, 35, read("b", 2));
    assertEquals(Verdict.LINEARIZABLE, leaseVerdict());
  }

  @Test
  void newThenOldReadInversionIsNotLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(0, 10, 100, cas(1, "b", 2));
    op(1, 20, 30, read("b", 2));
    op(2, 40, 50, read("a", 1)); // starts after a read saw the new value: must not see the old
    assertEquals(Verdict.NOT_LINEARIZABLE, leaseVerdict());
  }

  @Test
  void lostCasWhileVersionMatchedIsNotLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(1, 10, 20, cas(1, "b", 0));
    assertEquals(Verdict.NOT_LINEARIZABLE, leaseVerdict());
  }

  @Test
  void blindDeleteIsNotLinearizable() {
    op(0, 0, 1, create("a", 1));
    op(0, 2, 3, cas(1, "b", 2));
    op(1, 4, 5, new LeaseOp.Delete(1, true, 1));
    assertEquals(Verdict.NOT_LINEARIZABLE, leaseVerdict());
  }

  @Test
  void twoCreateWinnersAreNotLinearizableEvenWhenOverlapping() {
    op(0, 0, 10, create("a", 1));
    op(1, 0, 10, create("b", 2));
    assertEquals(Verdict.NOT_LINEARIZABLE, leaseVerdict());
  }

  @Test
  void objectHistories() {
    List<Operation<ObjectOp>> o = new ArrayList<>();
    o.add(new Operation<>(0, 0, 10, new ObjectOp.PutIfAbsent("a", true)));
    o.add(new Operation<>(1, 5, 15, new ObjectOp.PutIfAbsent("b", false)));
    o.add(new Operation<>(2, 20, 30, new ObjectOp.Get(Optional.of("a"))));
    assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(new ObjectSpec(), o).verdict());

    o.add(new Operation<>(3, 12, 18, new ObjectOp.PutIfAbsent("c", true)));
    assertEquals(Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(new ObjectSpec(), o).verdict(),
        "two putIfAbsent wins with no delete between them");

    List<Operation<ObjectOp>> lost = new ArrayList<>();
    lost.add(new Operation<>(0, 0, 10, new ObjectOp.Put("a")));
    lost.add(new Operation<>(1, 20, 30, new ObjectOp.Put("b")));
    lost.add(new Operation<>(2, 40, 50, new ObjectOp.Get(Optional.of("a"))));
    assertEquals(Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.check(new ObjectSpec(), lost).verdict(),
        "a get after two completed puts returns the first: the second put was lost");

    List<Operation<ObjectOp>> overlapping = new ArrayList<>();
    overlapping.add(new Operation<>(0, 0, 10, new ObjectOp.Put("a")));
    overlapping.add(new Operation<>(1, 20, 60, new ObjectOp.Put("b")));
    overlapping.add(new Operation<>(2, 40, 50, new ObjectOp.Get(Optional.of("a"))));
    overlapping.add(new Operation<>(3, 70, 80, new ObjectOp.Delete()));
    overlapping.add(new Operation<>(2, 90, 95, new ObjectOp.Get(Optional.empty())));
    assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(new ObjectSpec(), overlapping).verdict());
  }

  /** Regression: a delete that is a no-op in the current state may be the one that deletes later. */
  @Test
  void deleteThatIsANoOpNowMayStillTakeEffectLater() {
    List<Operation<ObjectOp>> o = new ArrayList<>();
    o.add(new Operation<>(0, 0, 100, new ObjectOp.Delete()));
    o.add(new Operation<>(1, 10, 20, new ObjectOp.Put("a")));
    o.add(new Operation<>(2, 30, 40, new ObjectOp.Get(Optional.empty())));
    assertEquals(Verdict.LINEARIZABLE, LinearizabilityChecker.check(new ObjectSpec(), o).verdict());
  }

  @Test
  void largeGeneratedLeaseHistories() {
    for (long seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      List<Operation<LeaseOp>> ok = new ArrayList<>();
      String value = null;
      long version = 0;
      long counter = 0;
      for (int i = 0; i < 150; i++) {
        long point = i * 10L;
        long from = point - rnd.nextInt(150);
        long to = point + rnd.nextInt(150);
        String v = "v" + i;
        long expected = value == null || rnd.nextInt(3) == 0 ? Math.max(1, version - rnd.nextInt(2)) : version;
        LeaseOp op;
        switch (rnd.nextInt(4)) {
          case 0 -> op = read(value, version);
          case 1 -> {
            if (value == null) {
              counter += 1 + rnd.nextInt(3);
              value = v;
              version = counter;
              op = create(v, version);
            } else {
              op = create(v, 0);
            }
          }
          case 2 -> {
            if (value != null && expected == version) {
              counter += 1 + rnd.nextInt(3);
              value = v;
              version = counter;
              op = cas(expected, v, version);
            } else {
              op = cas(expected, v, 0);
            }
          }
          default -> {
            boolean won = value != null && expected == version;
            op = delete(expected, won);
            if (won) {
              value = null;
            }
          }
        }
        ok.add(new Operation<>(i % 16, from, to, op));
      }
      LinearizabilityChecker.Result r = LinearizabilityChecker.check(new LeaseRegisterSpec(), ok, 1_000_000);
      assertEquals(Verdict.LINEARIZABLE, r.verdict(), "seed " + seed + ": " + r.explanation());
    }
  }

  @Test
  void equalTimestampsCountAsOverlapping() {
    op(0, 0, 1, create("a", 1));
    op(0, 10, 20, cas(1, "b", 2));
    op(1, 20, 30, read("a", 1)); // invoked at the instant the CAS returned: may precede it
    assertEquals(Verdict.LINEARIZABLE, leaseVerdict());
  }

  @Test
  void budgetExhaustedIsInconclusiveNotAVerdict() {
    op(0, 0, 1, create("a", 1));
    op(1, 10, 30, cas(1, "b", 2));
    op(2, 12, 28, cas(1, "c", 3));
    LinearizabilityChecker.Result r = LinearizabilityChecker.check(new LeaseRegisterSpec(), h, 2);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
  }

  /**
   * A history generated from a sequential run with random overlapping intervals around each
   * linearization point is linearizable, and checking it stays cheap at the kit's size; the same
   * history with one read corrupted is not.
   */
  @Test
  void largeGeneratedHistories() {
    for (long seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      List<Operation<ObjectOp>> ok = new ArrayList<>();
      Optional<String> state = Optional.empty();
      int n = 120;
      for (int i = 0; i < n; i++) {
        long point = i * 10L;
        long from = point - rnd.nextInt(80);
        long to = point + rnd.nextInt(80);
        String v = "v" + i;
        ObjectOp op;
        switch (rnd.nextInt(4)) {
          case 0 -> op = new ObjectOp.Get(state);
          case 1 -> {
            op = new ObjectOp.Put(v);
            state = Optional.of(v);
          }
          case 2 -> {
            boolean created = state.isEmpty();
            op = new ObjectOp.PutIfAbsent(v, created);
            if (created) {
              state = Optional.of(v);
            }
          }
          default -> {
            op = new ObjectOp.Delete();
            state = Optional.empty();
          }
        }
        ok.add(new Operation<>(i % 16, from, to, op));
      }
      LinearizabilityChecker.Result r = LinearizabilityChecker.check(new ObjectSpec(), ok, 1_000_000);
      assertEquals(Verdict.LINEARIZABLE, r.verdict(), "seed " + seed + ": " + r.explanation());

      List<Operation<ObjectOp>> bad = new ArrayList<>(ok);
      Operation<ObjectOp> victim = bad.get(n / 2);
      bad.set(n / 2, new Operation<>(victim.process(), victim.invokedNanos(), victim.returnedNanos(),
          new ObjectOp.Get(Optional.of("never written"))));
      LinearizabilityChecker.Result b = LinearizabilityChecker.check(new ObjectSpec(), bad, 1_000_000);
      assertEquals(Verdict.NOT_LINEARIZABLE, b.verdict(), "seed " + seed);
    }
  }
}
