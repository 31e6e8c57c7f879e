package io.hadb.coordinator.testengine;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.util.List;
import java.util.function.Supplier;

/**
 * Negative control only: sqlite with the answer engines gave before the error contract, a write
 * that committed and could not be confirmed durable reported as NOT_LEADER ("not applied")
 * instead of UNKNOWN_OUTCOME. The forwarding server then answers it 421, and the facade takes it
 * for a refusal.
 */
public final class UnconfirmedAsNotLeaderEngine extends WrappingEngineProvider {
  public static final String NAME = "sqlite-unconfirmed-as-not-leader";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  protected Executor wrap(Executor inner) {
    return new Executor() {
      @Override
      public ExecResult execute(String sql, List<SqlValue> params) {
        return lie(() -> inner.execute(sql, params));
      }

      @Override
      public QueryResult query(String sql, List<SqlValue> params) {
        return lie(() -> inner.query(sql, params));
      }

      @Override
      public List<ExecResult> executeBatch(List<SqlStatement> statements) {
        return lie(() -> inner.executeBatch(statements));
      }

      @Override
      public boolean isMutation(String sql) {
        return inner.isMutation(sql);
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  private static <T> T lie(Supplier<T> call) {
    try {
      return call.get();
    } catch (HadbException e) {
      if (e.code() == ErrorCode.UNKNOWN_OUTCOME) {
        throw HadbException.notLeader("publishing stopped: " + e.getMessage(), null);
      }
      throw e;
    }
  }
}
