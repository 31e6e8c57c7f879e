package io.hadb.coordinator.forward;

import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real executor whose next batch, once armed, holds its thread after the commit: the leader has
 * applied the write but not answered, the window in which a crash loses the answer.
 */
final class GatedExecutor implements Executor {
  final Executor delegate;
  private volatile boolean armed;
  private final CountDownLatch applied = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  GatedExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  void arm() {
    armed = true;
  }

  void awaitApplied() throws InterruptedException {
    if (!applied.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the armed batch never committed");
    }
  }

  void release() {
    release.countDown();
  }

  @Override
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    List<ExecResult> r = delegate.executeBatch(statements);
    if (armed) {
      armed = false;
      applied.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the server was stopped: the answer is lost anyway
      }
    }
    return r;
  }

  @Override
  public ExecResult execute(String sql, List<SqlValue> params) {
    return delegate.execute(sql, params);
  }

  @Override
  public QueryResult query(String sql, List<SqlValue> params) {
    return delegate.query(sql, params);
  }

  @Override
  public boolean isMutation(String sql) {
    return delegate.isMutation(sql);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
