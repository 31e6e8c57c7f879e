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
}
