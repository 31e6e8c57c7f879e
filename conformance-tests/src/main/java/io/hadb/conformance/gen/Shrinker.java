package io.hadb.conformance.gen;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Shrinks a failing choice sequence to a simpler one that still fails: shorter first, then
 * smaller choices from the left (shortlex). Passes, repeated until none helps or the budget is
 * spent: delete halves, quarters and so on of the sequence, delete chunks of 8 down to 1 choices (drops list elements and actions, whose
 * "another?" choice and body are adjacent, whatever number of choices one takes), set chunks to 0, and lower each choice by binary
 * search towards 0. A candidate counts only if it fails the same way (the same exception type),
 * so shrinking cannot slip from one bug to another.
 */
final class Shrinker {
  /** One run of the property on a candidate: the choices it consumed and how it failed, if it did. */
  record Run(long[] consumed, Throwable failure) {
    boolean failed() {
      return failure != null;
    }
  }

  private final Function<long[], Run> property;
  private final Class<? extends Throwable> kind;
  private final int maxRuns;
  private final long deadlineNanos;
  private Run best;
  private int runs;

  Shrinker(Function<long[], Run> property, Run failing, int maxRuns, long maxNanos) {
    this.property = property;
    this.kind = failing.failure().getClass();
    this.best = failing;
    this.maxRuns = maxRuns;
    this.deadlineNanos = System.nanoTime() + maxNanos;
  }

  int runs() {
    return runs;
  }

  Run shrink() {
    boolean improved = true;
    while (improved && budgetLeft()) {
      improved = deleteHalves() | deleteChunks() | zeroChunks() | lowerEach();
    }
    return best;
  }

  private boolean budgetLeft() {
    return runs < maxRuns && System.nanoTime() < deadlineNanos;
  }

  /**
   * Deletes large blocks first (halves, quarters, … down to 16 choices), so a long failing
   * sequence loses its irrelevant bulk in a few runs before the finer passes.
   */
  private boolean deleteHalves() {
    boolean any = false;
    for (int size = best.consumed().length / 2; size >= 16 && budgetLeft(); size /= 2) {
      for (int i = 0; i + size <= best.consumed().length && budgetLeft(); ) {
        long[] cur = best.consumed();
        long[] cand = new long[cur.length - size];
        System.arraycopy(cur, 0, cand, 0, i);
        System.arraycopy(cur, i + size, cand, i, cur.length - i - size);
        if (tryCandidate(cand)) {
          any = true;
        } else {
          i += size;
        }
      }
    }
    return any;
  }

  private boolean deleteChunks() {
    boolean any = false;
    for (int size : new int[] {8, 7, 6, 5, 4, 3, 2, 1}) {
      for (int i = best.consumed().length - size; i >= 0 && budgetLeft(); i--) {
        long[] cur = best.consumed();
        if (i + size > cur.length) {
          continue;
        }
        long[] cand = new long[cur.length - size];
        System.arraycopy(cur, 0, cand, 0, i);
        System.arraycopy(cur, i + size, cand, i, cur.length - i - size);
        any |= tryCandidate(cand);
      }
    }
    return any;
  }

  private boolean zeroChunks() {
    boolean any = false;
    for (int size : new int[] {8, 4, 2}) {
      for (int i = 0; i + size <= best.consumed().length && budgetLeft(); i++) {
        long[] cand = best.consumed().clone();
        boolean changed = false;
        for (int j = i; j < i + size; j++) {
          changed |= cand[j] != 0;
          cand[j] = 0;
        }
        if (changed) {
          any |= tryCandidate(cand);
        }
      }
    }
    return any;
  }

  private boolean lowerEach() {
    boolean any = false;
    for (int i = 0; i < best.consumed().length && budgetLeft(); i++) {
      long v = best.consumed()[i];
      if (v == 0) {
        continue;
      }
      if (tryAt(i, 0)) {
        any = true;
        continue;
      }
      // Binary search for the least value that still fails, treating choices as unsigned.
      long lo = 0;
      long hi = v;
      while (Long.compareUnsigned(hi - lo, 1) > 0 && budgetLeft() && i < best.consumed().length) {
        long mid = lo + ((hi - lo) >>> 1);
        if (tryAt(i, mid)) {
          hi = mid;
          any = true;
        } else {
          lo = mid;
        }
      }
    }
    return any;
  }

  private boolean tryAt(int i, long value) {
    if (i >= best.consumed().length) {
      return false;
    }
    long[] cand = best.consumed().clone();
    cand[i] = value;
    return tryCandidate(cand);
  }

  private boolean tryCandidate(long[] cand) {
    if (!simpler(cand, best.consumed())) {
      return false;
    }
    runs++;
    Run r = property.apply(cand);
    if (r.failed() && r.failure().getClass() == kind && simpler(r.consumed(), best.consumed())) {
      best = r;
      return true;
    }
    return false;
  }

  /** Shortlex: shorter, or as long and smaller at the first difference (unsigned). */
  static boolean simpler(long[] a, long[] b) {
    if (a.length != b.length) {
      return a.length < b.length;
    }
    int i = Arrays.mismatch(a, b);
    return i >= 0 && Long.compareUnsigned(a[i], b[i]) < 0;
  }
}
