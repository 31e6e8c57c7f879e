package io.hadb.coordinator.forward;

import io.hadb.api.engine.ExecResult;
import java.util.List;

/**
 * What the leader did with a forwarded write.
 *
 * @param results one per statement, as the leader's executor reported them when it applied them
 * @param seq a changeset seq at or after which the write is visible on a follower whose applied
 *     seq has reached it (READ_YOUR_WRITES waits for it); 0 when the leader does not know one
 * @param replayed true when the leader had already applied this request id (a retry, possibly on
 *     a new leader after a failover) and answered from its request table without applying again
 */
public record ForwardedWrite(List<ExecResult> results, long seq, boolean replayed) {
  public ForwardedWrite {
    results = List.copyOf(results);
  }
}
