package io.hadb.conformance.gen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The source every generator draws from: a sequence of choices, each a whole number between 0 and
 * a bound. A fresh source draws them at random from a seed and records them; a replaying source
 * hands back a recorded (and possibly shrunk) sequence, and 0 once it runs out. Generators map a
 * choice of 0 to their simplest value (the smallest number, the shortest list), so shrinking a
 * sequence (deleting choices, lowering them) shrinks whatever was generated from it.
 *
 * <p>Property bodies that must generate step by step, because what comes next depends on what
 * happened (model-based action sequences), draw from it directly with {@link #draw(Gen)} and
 * {@link #another(int, int, int)}. Not thread-safe: one property try, one thread.
 */
public final class Choices {
  private static final int INITIAL = 64;

  private final SplittableRandom random;
  private final long[] replay;
  private long[] recorded = new long[INITIAL];
  private int size;
  private final List<String> drawn = new ArrayList<>();

  private Choices(SplittableRandom random, long[] replay) {
    this.random = random;
    this.replay = replay;
  }

  /** Random choices from {@code seed}: the same seed gives the same choices. */
  public static Choices random(long seed) {
    return new Choices(new SplittableRandom(seed), null);
  }

  /** The given choices, then 0 for every draw beyond them. */
  public static Choices replay(long[] choices) {
    return new Choices(null, choices.clone());
  }

  /**
   * One raw choice in {@code [0, max]}, {@code max} read as unsigned (so {@code -1} means any of
   * the 2^64 values). A replayed choice above {@code max} is clamped to it.
   */
  public long choose(long max) {
    long v;
    if (replay != null) {
      v = size < replay.length ? replay[size] : 0;
      if (Long.compareUnsigned(v, max) > 0) {
        v = max;
      }
    } else {
      v = randomChoice(max);
    }
    record(v);
    return v;
  }

  private long randomChoice(long max) {
    // Edges now and then: the simplest value, the far bound and their neighbours find
    // off-by-one bugs that uniform draws over a wide range almost never hit.
    int edge = random.nextInt(28);
    if (edge == 0) {
      return 0;
    }
    if (edge == 1) {
      return max;
    }
    if (edge == 2 && max != 0) {
      return 1;
    }
    if (edge == 3 && max != 0) {
      return max - 1;
    }
    if (edge == 4 && Long.compareUnsigned(max, 1) > 0) {
      return max - 2; // with the two above: both ends of a range that spans 0 (see Ranges)
    }
    if (max == -1) {
      return random.nextLong();
    }
    if (max >= 0 && max < Long.MAX_VALUE) {
      return random.nextLong(max + 1);
    }
    if (max == Long.MAX_VALUE) {
      return random.nextLong() & Long.MAX_VALUE;
    }
    long r;
    do {
      r = random.nextLong();
    } while (Long.compareUnsigned(r, max) > 0);
    return r;
  }

  private void record(long v) {
    if (size == recorded.length) {
      recorded = Arrays.copyOf(recorded, size * 2);
    }
    recorded[size++] = v;
  }

  /** A value from {@code gen}, remembered for the failure report of a property. */
  public <T> T draw(Gen<T> gen) {
    T value = gen.generate(this);
    drawn.add(Describe.value(value));
    return value;
  }

  /**
   * Whether a sequence that already has {@code done} elements gets another: always below
   * {@code min}, never at {@code max}, otherwise a draw that continues about as often as needed
   * for an average length halfway between the two. Drawing the decision before each element
   * (rather than a length up front) is what lets shrinking delete any element, not only the last.
   */
  public boolean another(int done, int min, int max) {
    if (done < min) {
      return true;
    }
    if (done >= max) {
      return false;
    }
    // P(continue) = 1 - 1/(1 + mean extra elements): a geometric length with that mean.
    long meanExtra = Math.max(1, (max - min) / 2);
    return choose(meanExtra) != 0;
  }

  /** The choices made so far, in order. */
  public long[] recorded() {
    return Arrays.copyOf(recorded, size);
  }

  /** What {@link #draw(Gen)} returned so far, described. */
  public List<String> drawn() {
    return List.copyOf(drawn);
  }
}
