package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.RequestTable;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.time.InstantSource;

/**
 * What a {@link ForwardingServer} serves: the leader's executor and the means to apply each
 * request once and to say who leads.
 *
 * @param database the database's name, as requests name it
 * @param executor the local executor; writes run on it only while {@code leader} says this node leads
 * @param requests the replicated request table in the engine's dialect
 * @param leader this node's leadership, checked before every write
 * @param commitSeq the seq a committed write is covered by, returned to the client
 * @param metrics counts accepted forwards and refused (fenced) writes
 * @param wall stamps request records (for pruning only; no decision reads it)
 */
public record LeaderEndpoint(
    String database,
    Executor executor,
    RequestTable requests,
    LeaderView leader,
    CommitSeqSource commitSeq,
    CoordinatorMetrics metrics,
    InstantSource wall) {

  public LeaderEndpoint {
    HadbException.requireArg(database, "database");
    HadbException.requireArg(executor, "executor");
    HadbException.requireArg(requests, "requests");
    HadbException.requireArg(leader, "leader");
    HadbException.requireArg(commitSeq, "commitSeq");
    HadbException.requireArg(metrics, "metrics");
    HadbException.requireArg(wall, "wall");
  }
}
