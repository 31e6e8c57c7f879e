package io.hadb.coordinator.forward;

import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlStatement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deliberately broken request table that remembers ids in this process's memory instead of in
 * the replicated database: retries to the same leader are caught, retries after a failover are
 * not. The negative control proving the exactly-once test catches a leader whose dedup does not
 * travel with the data (it sees the write applied twice).
 */
final class LocalOnlyRequestTable implements RequestTable {
  private final Map<String, List<ExecResult>> seen = new ConcurrentHashMap<>();

  @Override
  public List<ExecResult> apply(Executor executor, String requestId, List<SqlStatement> statements, long atMillis) {
    List<ExecResult> r = executor.executeBatch(statements);
    seen.put(requestId, r);
    return r;
  }

  @Override
  public Optional<List<ExecResult>> lookup(Executor executor, String requestId) {
    return Optional.ofNullable(seen.get(requestId));
  }

  @Override
  public long prune(Executor executor, long beforeMillis) {
    return 0;
  }
}
