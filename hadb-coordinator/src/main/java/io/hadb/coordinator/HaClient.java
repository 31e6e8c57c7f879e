package io.hadb.coordinator;

import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.ForwardingClient;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process without a local copy of the database: every write and read runs on the leader, found
 * through the lease store's record (its forwarding address) — no lease of its own, no engine, no
 * storage. Writes carry request ids and are retried with the same id across a failover, so each
 * applies at most once (DESIGN §6.4); reads have LEADER consistency (they see every write
 * acknowledged before they started). Open it with {@link #builder()}. Thread-safe.
 */
public final class HaClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HaClient.class.getName());

  private final String database;
  private final LeaseStore leaseStore;
  private final ForwardingClient client;
  private final CoordinatorMetrics metrics;
  private volatile boolean closed;

  HaClient(String database, LeaseStore leaseStore, ForwardingClient client, CoordinatorMetrics metrics) {
    this.database = database;
    this.leaseStore = leaseStore;
    this.client = client;
    this.metrics = metrics;
  }

  /** Configures a client: {@code HaClient.builder().lease(uri).database(name).secret(s).open()}. */
  public static HaClientBuilder builder() {
    return new HaClientBuilder();
  }

  /** Runs one statement on the leader (see {@link #executeBatch(List)}). */
  public ExecResult execute(String sql, Object... params) {
    return executeBatch(List.of(SqlStatement.of(sql, params))).get(0);
  }

  /**
   * Runs {@code statements} in one transaction on the leader under a fresh request id, retried
   * with that id (leader re-discovery, bounded by the forwarding options). {@code UNKNOWN_OUTCOME}
   * names the id: retry with {@link #executeBatch(String, List)} and it applies at most once.
   */
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    checkOpen();
    return client.executeBatch(statements).results();
  }

  /**
   * As {@link #executeBatch(List)}, at most once for {@code requestId} across leaders and
   * failovers; a known id applies nothing and returns the results recorded when it first applied.
   */
  public List<ExecResult> executeBatch(String requestId, List<SqlStatement> statements) {
    checkOpen();
    return client.executeBatch(requestId, statements).results();
  }

  /** A read on the leader (LEADER consistency); a statement that would write is refused. */
  public QueryResult query(String sql, Object... params) {
    checkOpen();
    HadbException.requireArg(params, "params");
    return client.query(sql, Arrays.stream(params).map(SqlValue::ofObject).toList());
  }

  /** The leader address that last answered, if any (the lease record is read again on failure). */
  public Optional<String> leaderAddress() {
    return client.knownLeader();
  }

  /** Forwards made by this client ({@code forwards}); the lease figures stay 0 here. */
  public CoordinatorMetrics metrics() {
    return metrics;
  }

  /** The metrics as Prometheus text, labelled with the database. */
  public String prometheusText() {
    return metrics.prometheusText(Map.of("db", database));
  }

  /** Closes the lease store connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      leaseStore.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "client of " + database + ": closing the lease store failed: " + e.getMessage());
    }
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("client of database " + database);
    }
  }

  @Override
  public String toString() {
    return "HaClient[" + database + (closed ? ", closed" : "") + "]";
  }
}
