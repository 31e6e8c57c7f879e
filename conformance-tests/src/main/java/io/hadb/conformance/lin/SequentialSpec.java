package io.hadb.conformance.lin;

/**
 * The sequential behaviour of one object, against which a concurrent history is checked.
 *
 * @param <S> an immutable state with value equality ({@code equals}/{@code hashCode}), since the
 *     checker memoizes on it
 * @param <O> an operation together with the result it returned
 */
public interface SequentialSpec<S, O> {

  S initial();

  /**
   * The state after {@code op} took effect in {@code state}, or {@code null} when {@code op}
   * could not have returned its recorded result in that state. Must be deterministic.
   */
  S apply(S state, O op);

  /**
   * True when {@code op} never changes the state, in any state where it is legal (a read, a lost
   * conditional write). The checker places such an operation as soon as it is legal without
   * trying alternatives. An operation that is a no-op only in some states (a delete of an absent
   * key) must answer false: placing it early could take away the state change it makes later.
   */
  default boolean isReadOnly(O op) {
    return false;
  }
}
