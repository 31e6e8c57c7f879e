package io.hadb.conformance.gen;

import org.opentest4j.AssertionFailedError;

/**
 * A property that failed: the message starts with the (shrunk) case's own failure message and goes
 * on with the seed that replays it and the counterexample; the cause is that case's failure.
 */
public final class PropertyFailure extends AssertionFailedError {
  private static final long serialVersionUID = 1L;

  private final long seed;

  PropertyFailure(String message, long seed, Throwable cause) {
    super(message, cause);
    this.seed = seed;
  }

  /** The seed of the failing try: {@code -Dhadb.seed=<this>} replays it as the first try. */
  public long seed() {
    return seed;
  }
}
