package io.hadb.coordinator.forward.internal;

import io.hadb.api.engine.SqlStatement;
import java.util.List;

/**
 * One forwarded request as it travels.
 *
 * @param kind a write batch (applied once per request id) or a read (run on the leader)
 * @param requestId chosen by the client, the same on every retry
 * @param statements a write's statements (one transaction), or the read's single statement
 */
public record ForwardRequest(Kind kind, String requestId, List<SqlStatement> statements) {
  public enum Kind { WRITE, READ }

  public ForwardRequest {
    statements = List.copyOf(statements);
  }
}
