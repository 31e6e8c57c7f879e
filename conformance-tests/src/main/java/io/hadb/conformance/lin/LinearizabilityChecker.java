package io.hadb.conformance.lin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a history of one object is linearizable (Herlihy &amp; Wing): whether every
 * operation can be given one instant between its invocation and its return such that, taken in
 * that order, the results are those of {@link SequentialSpec}.
 *
 * <p>The search is Wing &amp; Gong's, with Lowe's memoization of (set of linearized operations,
 * state): a configuration already found to be a dead end is never explored again. One more
 * pruning keeps real histories cheap: an operation that is legal in the current state and leaves
 * it unchanged (a read, a lost CAS) is linearized at once without trying the alternatives, which
 * is safe because placing it earlier can only relax the constraints on the others.
 *
 * <p>Linearizability is local (Herlihy &amp; Wing, Theorem 1): check each key's history on its
 * own.
 */
public final class LinearizabilityChecker {
  /** Default budget of search steps before the checker gives up with {@link Verdict#INCONCLUSIVE}. */
  public static final long DEFAULT_MAX_STEPS = 5_000_000;

  private LinearizabilityChecker() {}

  public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, INCONCLUSIVE }

  /**
   * @param explanation for {@link Verdict#NOT_LINEARIZABLE}: the longest legal order found, the
   *     state it left and the operations none of which could come next
   */
  public record Result(Verdict verdict, int operations, long steps, String explanation) {
    public boolean linearizable() {
      return verdict == Verdict.LINEARIZABLE;
    }
  }

  public static <S, O> Result check(SequentialSpec<S, O> spec, List<Operation<O>> history) {
    return check(spec, history, DEFAULT_MAX_STEPS);
  }

  public static <S, O> Result check(SequentialSpec<S, O> spec, List<Operation<O>> history, long maxSteps) {
    return new Search<>(spec, history, maxSteps).run();
  }

  private static final class Entry<O> {
    final int id;
    final boolean call;
    final long time;
    final Operation<O> op;
    Entry<O> match;
    Entry<O> prev;
    Entry<O> next;

    Entry(int id, boolean call, long time, Operation<O> op) {
      this.id = id;
      this.call = call;
      this.time = time;
      this.op = op;
    }
  }

  private record Frame<S, O>(Entry<O> call, S stateBefore, boolean forced) {}

  private record Memo(BitSet linearized, Object state) {}

  private static final class Search<S, O> {
    private final SequentialSpec<S, O> spec;
    private final List<Operation<O>> history;
    private final long maxSteps;
    private final Entry<O> head = new Entry<>(-1, false, Long.MIN_VALUE, null);

    private int bestDepth = -1;
    private List<Operation<O>> bestOrder = List.of();
    private S bestState;
    private List<Operation<O>> bestStuck = List.of();

    Search(SequentialSpec<S, O> spec, List<Operation<O>> history, long maxSteps) {
      this.spec = spec;
      this.history = List.copyOf(history);
      this.maxSteps = maxSteps;
    }

    Result run() {
      int n = history.size();
      List<Entry<O>> events = new ArrayList<>(2 * n);
      for (int i = 0; i < n; i++) {
        Operation<O> op = history.get(i);
        Entry<O> call = new Entry<>(i, true, op.invokedNanos(), op);
        Entry<O> ret = new Entry<>(i, false, op.returnedNanos(), op);
        call.match = ret;
        ret.match = call;
        events.add(call);
        events.add(ret);
      }
      // At equal timestamps calls go first: the two calls are then taken as overlapping, which
      // is the permissive reading of a tie the clock cannot resolve.
      events.sort(Comparator.<Entry<O>>comparingLong(e -> e.time).thenComparing(e -> e.call ? 0 : 1));
      Entry<O> last = head;
      for (Entry<O> e : events) {
        last.next = e;
        e.prev = last;
        last = e;
      }

      S state = spec.initial();
      BitSet linearized = new BitSet(n);
      Deque<Frame<S, O>> stack = new ArrayDeque<>();
      Set<Memo> seen = new HashSet<>();
      Entry<O> entry = head.next;
      long steps = 0;
      noteProgress(stack, state);
      while (head.next != null) {
        if (++steps > maxSteps) {
          return new Result(Verdict.INCONCLUSIVE, n, steps,
              "gave up after " + maxSteps + " search steps; the history is too concurrent to decide");
        }
        if (entry.call) {
          S next = spec.apply(state, entry.op.op());
          boolean backtrack = false;
          if (next != null) {
            boolean forced = spec.isReadOnly(entry.op.op());
            BitSet after = (BitSet) linearized.clone();
            after.set(entry.id);
            if (seen.add(new Memo(after, next))) {
              stack.push(new Frame<>(entry, state, forced));
              state = next;
              linearized.set(entry.id);
              lift(entry);
              noteProgress(stack, state);
              entry = head.next;
              continue;
            }
            // A state-preserving op legal here whose successor is a known dead end: so is this.
            backtrack = forced;
          }
          if (!backtrack) {
            entry = entry.next;
            continue;
          }
        }
        // Reached the return of an operation not yet placed (or a dead end): undo the last choice.
        while (true) {
          if (stack.isEmpty()) {
            return new Result(Verdict.NOT_LINEARIZABLE, n, steps, explain());
          }
          Frame<S, O> f = stack.pop();
          state = f.stateBefore();
          linearized.clear(f.call().id);
          unlift(f.call());
          if (!f.forced()) {
            entry = f.call().next;
            break;
          }
        }
      }
      return new Result(Verdict.LINEARIZABLE, n, steps, "");
    }

    private void lift(Entry<O> call) {
      call.prev.next = call.next;
      if (call.next != null) {
        call.next.prev = call.prev;
      }
      Entry<O> ret = call.match;
      ret.prev.next = ret.next;
      if (ret.next != null) {
        ret.next.prev = ret.prev;
      }
    }

    private void unlift(Entry<O> call) {
      Entry<O> ret = call.match;
      ret.prev.next = ret;
      if (ret.next != null) {
        ret.next.prev = ret;
      }
      call.prev.next = call;
      if (call.next != null) {
        call.next.prev = call;
      }
    }

    private void noteProgress(Deque<Frame<S, O>> stack, S state) {
      if (stack.size() <= bestDepth) {
        return;
      }
      bestDepth = stack.size();
      List<Operation<O>> order = new ArrayList<>();
      stack.descendingIterator().forEachRemaining(f -> order.add(f.call().op));
      bestOrder = order;
      bestState = state;
      List<Operation<O>> stuck = new ArrayList<>();
      for (Entry<O> e = head.next; e != null && e.call; e = e.next) {
        stuck.add(e.op);
      }
      // The first return in the list bounds which calls may come next; that call is stuck too.
      for (Entry<O> e = head.next; e != null; e = e.next) {
        if (!e.call) {
          if (!stuck.contains(e.op)) {
            stuck.add(e.op);
          }
          break;
        }
      }
      bestStuck = stuck;
    }

    private String explain() {
      StringBuilder b = new StringBuilder();
      b.append("no order of the ").append(history.size()).append(" operations fits their real-time order and results. ");
      b.append("The longest legal order found places ").append(bestOrder.size()).append(" operations");
      int from = Math.max(0, bestOrder.size() - 8);
      if (!bestOrder.isEmpty()) {
        b.append(" (").append(from > 0 ? "…, " : "");
        b.append(String.join(", ", bestOrder.subList(from, bestOrder.size()).stream().map(Object::toString).toList()));
        b.append(")");
      }
      b.append(" and leaves state ").append(bestState);
      b.append("; none of these can come next: ");
      b.append(String.join(", ", bestStuck.stream().limit(20).map(Object::toString).toList()));
      if (bestStuck.size() > 20) {
        b.append(", … (").append(bestStuck.size()).append(" in all)");
      }
      return b.toString();
    }
  }
}
