package io.hadb.conformance.gen;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Runs a property: a body that must hold for every generated value, tried {@link #tries(int)}
 * times with values from {@link Choices} seeded per try. On the first failure it shrinks the
 * choices to a simpler failing case and throws a {@link PropertyFailure} whose message starts with
 * the shrunk case's own failure message, then names the property, the try, the seed to replay it
 * with ({@code -Dhadb.seed=…} makes that seed the first try) and the counterexample.
 *
 * <pre>{@code
 * @Test
 * void roundTrips() {
 *   Property.named("encode then decode is the identity").tries(300)
 *       .forAll(Gen.bytes(0, 100), b -> assertArrayEquals(b, decode(encode(b))));
 * }
 * }</pre>
 *
 * <p>System properties: {@value #SEED} (replay: the seed printed by a failure), {@value #TRIES}
 * (overrides every property's tries, e.g. 1 with a seed to replay just that case),
 * {@value #SHRINK_RUNS} (most property runs spent shrinking, default 1000; 0 turns shrinking off)
 * and {@value #SHRINK_SECONDS} (time spent shrinking, default 60).
 */
public final class Property {
  public static final String SEED = "hadb.seed";
  public static final String TRIES = "hadb.tries";
  public static final String SHRINK_RUNS = "hadb.shrink.runs";
  public static final String SHRINK_SECONDS = "hadb.shrink.seconds";

  /** A property body over one generated value. */
  @FunctionalInterface
  public interface Body<T> {
    void check(T value) throws Exception;
  }

  /** A property body that draws what it needs itself, step by step (model-based sequences). */
  @FunctionalInterface
  public interface DrawingBody {
    void check(Choices choices) throws Exception;
  }

  private static final SecureRandom SEEDS = new SecureRandom();

  private final String name;
  private int tries = 100;
  private int shrinkRuns = intProperty(SHRINK_RUNS, 1000);

  private Property(String name) {
    this.name = name;
  }

  /** A property called {@code name} in failure reports. */
  public static Property named(String name) {
    return new Property(name);
  }

  /** How many generated cases must pass (default 100); {@value #TRIES} overrides it. */
  public Property tries(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("tries must be >= 1, was " + n);
    }
    this.tries = n;
    return this;
  }

  /** Turns shrinking off (for example when each run is slow and only "fails or not" matters). */
  public Property withoutShrinking() {
    this.shrinkRuns = 0;
    return this;
  }

  /** Checks {@code body} for values of {@code gen}. */
  public <T> void forAll(Gen<T> gen, Body<? super T> body) {
    check(c -> body.check(c.draw(gen)));
  }

  /** Checks a body that draws its own values from the {@link Choices} it is given. */
  public void check(DrawingBody body) {
    int n = intProperty(TRIES, tries);
    String fixed = System.getProperty(SEED);
    long base = fixed == null || fixed.isBlank() ? SEEDS.nextLong() : parseSeed(fixed);
    for (int t = 0; t < n; t++) {
      // With a fixed seed the first try uses it as is, so the seed a failure prints replays it.
      long seed = t == 0 && fixed != null && !fixed.isBlank() ? base : mix(base, t);
      Choices choices = Choices.random(seed);
      Throwable failure = run(body, choices);
      if (failure != null) {
        throw report(body, t, n, seed, new Shrinker.Run(choices.recorded(), failure), choices);
      }
    }
  }

  private PropertyFailure report(DrawingBody body, int t, int n, long seed, Shrinker.Run original, Choices drawnFirst) {
    Shrinker.Run shrunk = original;
    int runs = 0;
    Choices last = drawnFirst;
    if (shrinkRuns > 0) {
      Choices[] lastChoices = {drawnFirst};
      Shrinker s = new Shrinker(cand -> {
        Choices c = Choices.replay(cand);
        Throwable f = run(body, c);
        if (f != null) {
          lastChoices[0] = c;
        }
        return new Shrinker.Run(c.recorded(), f);
      }, original, shrinkRuns, TimeUnit.SECONDS.toNanos(intProperty(SHRINK_SECONDS, 60)));
      shrunk = s.shrink();
      runs = s.runs();
      // The values of the shrunk case, drawn once more from its choices (the body is deterministic).
      Choices again = Choices.replay(shrunk.consumed());
      Throwable f = run(body, again);
      last = f != null ? again : lastChoices[0];
      if (f != null) {
        shrunk = new Shrinker.Run(again.recorded(), f);
      }
    }
    StringBuilder m = new StringBuilder();
    m.append(String.valueOf(shrunk.failure().getMessage() == null ? shrunk.failure() : shrunk.failure().getMessage()).stripTrailing());
    m.append("\n  property '").append(name).append("' failed on try ").append(t + 1).append(" of ").append(n)
        .append("; seed ").append(seed).append(" (replay: -D").append(SEED).append('=').append(seed).append(')');
    if (shrinkRuns > 0) {
      m.append("\n  shrunk from ").append(original.consumed().length).append(" to ").append(shrunk.consumed().length)
          .append(" choices in ").append(runs).append(" runs");
    }
    if (!last.drawn().isEmpty()) {
      m.append("\n  counterexample: ").append(String.join(", ", last.drawn()));
    }
    if (shrunk != original) {
      String first = String.valueOf(original.failure().getMessage()).lines().findFirst().orElse("");
      m.append("\n  before shrinking it failed with: ").append(first);
    }
    return new PropertyFailure(m.toString(), seed, shrunk.failure());
  }

  private static Throwable run(DrawingBody body, Choices choices) {
    try {
      body.check(choices);
      return null;
    } catch (TestAbortedException discarded) {
      return null; // an assumption did not hold: this case does not count either way
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      return t;
    }
  }

  /** A well-spread seed per try (SplitMix64's finalizer), so neighbouring tries are unrelated. */
  private static long mix(long base, int t) {
    long z = base + (t + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long parseSeed(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + SEED + " must be a whole number (the seed a"
          + " failure printed), was '" + s + "'", e);
    }
  }

  private static int intProperty(String name, int defaultValue) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      return defaultValue;
    }
    try {
      return Math.max(0, Integer.parseInt(v.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + name + " must be a whole number, was '" + v + "'", e);
    }
  }
}
