package io.hadb.api;

/**
 * The outcome of a conditional write on a {@link LeaseStore}. Losing a race is a result, not an
 * exception (DESIGN §3.1 L-result).
 */
public sealed interface CasResult permits CasResult.Won, CasResult.Lost {

  /**
   * The write took effect.
   *
   * @param version for create and compareAndSet, the new version of the key; for delete, the
   *     version that was deleted
   */
  record Won(long version) implements CasResult {}

  /** The condition did not hold (the key existed, was absent, or had another version). */
  record Lost() implements CasResult {}

  Lost LOST = new Lost();

  static CasResult won(long version) {
    return new Won(version);
  }

  static CasResult lost() {
    return LOST;
  }

  default boolean isWon() {
    return this instanceof Won;
  }

  /** The version written; throws {@link IllegalStateException} on a lost race. */
  default long version() {
    if (this instanceof Won w) {
      return w.version();
    }
    throw new IllegalStateException("a lost CAS has no version");
  }
}
