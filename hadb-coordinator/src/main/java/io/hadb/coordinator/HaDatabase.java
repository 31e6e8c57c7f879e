package io.hadb.coordinator;

import io.hadb.api.Durability;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.FollowerSession;
import io.hadb.coordinator.forward.ForwardingServer;
import io.hadb.coordinator.forward.LeaderView;
import io.hadb.coordinator.forward.ReadConsistency;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One node of a replicated database: the embeddable facade over the engine, the lease, promotion
 * and write forwarding (DESIGN §6). Open it with {@link #builder()}; {@link #local} is a
 * single-process database for development, without HA.
 *
 * <p>Writes ({@link #execute}, {@link #executeBatch}) run on the local file while this node leads
 * and its promotion finished; on a follower they are forwarded to the leader, exactly once, and
 * return its results. Reads ({@link #query}) follow a {@link ReadConsistency}. In
 * {@link Durability#SYNC} a write returns only once it is durable in storage. {@link #close()}
 * hands leadership over at once: it ships what is committed, stops publishing and releases the
 * lease, so a follower claims it without waiting for the ttl.
 *
 * <p>Thread-safe.
 */
public final class HaDatabase implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HaDatabase.class.getName());

  private final String name;
  private final EngineProvider.Engine engine;
  private final StorageBackend storage;
  private final Durability durability;
  private final ReadConsistency defaultConsistency;
  private final CoordinatorMetrics metrics;
  private final Map<String, String> labels;
  // HA parts: null in local mode
  private final LeaseStore leaseStore;
  private final LeaseElector elector;
  private final RoleDriver driver;
  private final LeaderView view;
  private final ForwardingServer server;
  private final FollowerSession session;
  private final RequestTable requests;
  private volatile boolean closed;

  HaDatabase(String name, EngineProvider.Engine engine, StorageBackend storage, Durability durability,
      ReadConsistency defaultConsistency, CoordinatorMetrics metrics, Map<String, String> labels,
      LeaseStore leaseStore, LeaseElector elector, RoleDriver driver, LeaderView view, ForwardingServer server,
      FollowerSession session, RequestTable requests) {
    this.name = name;
    this.engine = engine;
    this.storage = storage;
    this.durability = durability;
    this.defaultConsistency = defaultConsistency;
    this.metrics = metrics;
    this.labels = Map.copyOf(labels);
    this.leaseStore = leaseStore;
    this.elector = elector;
    this.driver = driver;
    this.view = view;
    this.server = server;
    this.session = session;
    this.requests = requests;
  }

  /** Configures a node of a replicated database. */
  public static HaDatabaseBuilder builder() {
    return new HaDatabaseBuilder();
  }

  /**
   * Development only, <b>no HA</b>: the SQLite file at {@code path} as a single always-leading
   * node with no lease, no forwarding, and its changesets kept in a private in-memory store that
   * vanishes with the process (nothing is replicated or backed up). Needs {@code engine-sqlite}
   * and {@code storage-mem} on the class path. Writes are {@link Durability#ASYNC}. {@code
   * schemaSql} runs once per file, as in HA mode. A file left by a crash in this mode cannot be
   * reopened with it (the engine would rebuild it from a chain that is gone): reopen it with the
   * builder on real storage, or start from a copy.
   */
  public static HaDatabase local(Path path, String schemaSql) {
    HadbException.requireArg(path, "path");
    SchemaScript schema = new SchemaScript(schemaSql);
    EngineProvider provider = io.hadb.api.engine.Engines.find("sqlite");
    StorageBackend storage = StorageBackends.open("mem://hadb-local-" + UUID.randomUUID());
    EngineProvider.Engine engine = null;
    try {
      engine = provider.open(path, storage, "local/", io.hadb.api.engine.EngineOptions.defaults());
      engine.replicator().startPublishing(1, engine.replicator().appliedSeq() + 1);
      schema.applyOnce(engine.executor(), engine.dialect());
      CoordinatorMetrics metrics = new CoordinatorMetrics();
      return new HaDatabase(path.getFileName().toString(), engine, storage, Durability.ASYNC,
          ReadConsistency.LOCAL, metrics, Map.of("db", path.getFileName().toString()),
          null, null, null, null, null, null, null);
    } catch (RuntimeException e) {
      if (engine != null) {
        engine.close();
      }
      storage.close();
      throw e;
    }
  }

  // ------------------------------------------------------------------ writes

  /** Runs one statement (see {@link #executeBatch}); {@code params} as {@link SqlValue#ofObject}. */
  public ExecResult execute(String sql, Object... params) {
    return executeBatch(List.of(SqlStatement.of(sql, params))).get(0);
  }

  /**
   * Runs {@code statements} in one transaction: locally while this node leads and accepts writes,
   * otherwise on the leader (forwarded once, retried with the same request id across a failover).
   * A SQL error fails the whole batch with {@code SQL_ERROR}. {@code UNKNOWN_OUTCOME} means the
   * batch committed on the leader but could not be confirmed durable (SYNC), or a forward may have
   * applied without an answer.
   */
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    checkOpen();
    HadbException.requireArg(statements, "statements");
    if (driver == null) {
      return engine.executor().executeBatch(statements);
    }
    long epoch = driver.acceptingEpoch();
    if (epoch != 0) {
      List<ExecResult> r = runAsLeader(epoch, statements);
      if (r != null) {
        return r;
      }
    }
    return session.executeBatch(statements).results();
  }

  /**
   * As {@link #executeBatch(List)}, applied at most once for {@code requestId} across nodes and
   * failovers (the id is recorded in the replicated request table with the batch): the retry to
   * make after {@code UNKNOWN_OUTCOME}. A known id applies nothing and returns the results
   * recorded when it first applied. Not in local mode (no request table there).
   */
  public List<ExecResult> executeBatch(String requestId, List<SqlStatement> statements) {
    checkOpen();
    HadbException.requireArg(requestId, "requestId");
    HadbException.requireArg(statements, "statements");
    if (driver == null) {
      throw HadbException.unsupported("request ids need the replicated request table of HA mode;"
          + " HaDatabase.local runs executeBatch(statements)");
    }
    long epoch = driver.acceptingEpoch();
    if (epoch != 0) {
      List<ExecResult> r = runAsLeader(epoch, statements, requestId);
      if (r != null) {
        return r;
      }
    }
    return session.executeBatch(requestId, statements).results();
  }

  private List<ExecResult> runAsLeader(long epoch, List<SqlStatement> statements) {
    return runAsLeader(epoch, statements, null);
  }

  /**
   * The local write of a leader, recorded under {@code requestId} when one is given; null when
   * this node turned out not to lead (nothing applied).
   */
  private List<ExecResult> runAsLeader(long epoch, List<SqlStatement> statements, String requestId) {
    List<ExecResult> r;
    try {
      view.requireLeader(epoch);
      r = requestId == null ? engine.executor().executeBatch(statements)
          : requests.applyOnce(engine.executor(), requestId, statements, System.currentTimeMillis()).results();
    } catch (HadbException e) {
      if (e.code() == ErrorCode.FENCED || causedByFenced(e)) {
        driver.publishingFailed(epoch, e);
      }
      if (e.code() == ErrorCode.NOT_LEADER || e.code() == ErrorCode.FENCED) {
        metrics.fencedWrite();
        return null; // refused before it ran: forward it instead
      }
      if (causedByFenced(e)) {
        metrics.fencedWrite(); // committed here, refused by the chain: dropped on demotion
      }
      throw e; // UNKNOWN_OUTCOME: committed here, not confirmed in storage (SYNC)
    }
    if (durability == Durability.SYNC) {
      try {
        engine.replicator().sync();
      } catch (HadbException e) {
        if (e.code() == ErrorCode.FENCED) {
          metrics.fencedWrite(); // committed here, refused by the chain: dropped on demotion
          driver.publishingFailed(epoch, e);
        }
        throw HadbException.unknownOutcome("the write committed on this leader but is not confirmed"
            + " in storage: " + e.getMessage(), e);
      }
    }
    return r;
  }

  private static boolean causedByFenced(HadbException e) {
    return e.code() == ErrorCode.UNKNOWN_OUTCOME && e.getCause() instanceof HadbException c
        && c.code() == ErrorCode.FENCED;
  }

  // ------------------------------------------------------------------ reads

  /** A query at the consistency configured in the builder (READ_YOUR_WRITES by default). */
  public QueryResult query(String sql, Object... params) {
    return query(defaultConsistency, sql, params);
  }

  /**
   * A query: on the leader always local; on a follower LOCAL reads the local copy as pulled,
   * READ_YOUR_WRITES waits (bounded) until the copy holds this node's last forwarded write,
   * LEADER runs it on the leader.
   */
  public QueryResult query(ReadConsistency consistency, String sql, Object... params) {
    checkOpen();
    HadbException.requireArg(consistency, "consistency");
    List<SqlValue> values = Arrays.stream(params).map(SqlValue::ofObject).toList();
    if (driver == null || role() == Role.LEADER) {
      return engine.executor().query(sql, values);
    }
    return session.query(sql, values, consistency);
  }

  // ------------------------------------------------------------------ state

  /** LEADER while this node accepts writes (lease held, promotion done), FOLLOWER otherwise. */
  public Role role() {
    if (driver == null) {
      return Role.LEADER;
    }
    // The forwarding server's own test: the lease term is current and promotion accepted it.
    return view.leadingEpoch().isPresent() ? Role.LEADER : Role.FOLLOWER;
  }

  /** The epoch this node leads, or the last one it saw a leader hold; 0 when none yet. */
  public long epoch() {
    if (driver == null) {
      return 1;
    }
    long e = driver.acceptingEpoch();
    return e != 0 ? e : elector.lease().observed().map(ObservedLease::epoch).orElse(0L);
  }

  /** The last changeset seq applied to (follower) or published from (leader) the local file. */
  public long appliedSeq() {
    return engine.replicator().appliedSeq();
  }

  /** The leader's forwarding address as the lease record names it, if any. */
  public Optional<String> leaderAddress() {
    if (driver == null) {
      return Optional.empty();
    }
    return elector.lease().observed().flatMap(o -> o.record().forwardAddress());
  }

  /** This node's forwarding address (empty in local mode). */
  public String address() {
    return server == null ? "" : server.address();
  }

  /**
   * This node's metrics (role, epoch, lease counters, applied seq, lag, forwards, fenced writes,
   * dropped commits), the applied seq refreshed on the call; see {@link MetricsSnapshot}.
   */
  public CoordinatorMetrics metrics() {
    if (role() == Role.LEADER) {
      metrics.leading(appliedSeq());
    } else {
      metrics.setAppliedSeq(appliedSeq());
    }
    return metrics;
  }

  /** The metrics as Prometheus text, labelled with the database and node. */
  public String prometheusText() {
    return metrics().prometheusText(labels);
  }

  public Durability durability() {
    return durability;
  }

  public void addRoleListener(RoleListener l) {
    if (driver != null) {
      driver.addListener(l);
    }
  }

  public void removeRoleListener(RoleListener l) {
    if (driver != null) {
      driver.removeListener(l);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("database " + name);
    }
  }

  // ------------------------------------------------------------------ close

  /**
   * Graceful hand-off: stop accepting writes, ship everything committed, stop publishing, release
   * the lease (a follower claims at once), then close the forwarding server, the engine and the
   * stores. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (driver != null) {
        driver.stop();
        closeQuietly(elector, "lease");
        driver.shutdown();
        closeQuietly(server, "forwarding server");
      }
    } finally {
      closeQuietly(engine, "engine");
      closeQuietly(leaseStore, "lease store");
      closeQuietly(storage, "storage");
    }
  }

  private void closeQuietly(AutoCloseable c, String what) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, name + ": closing the " + what + " failed: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "HaDatabase[" + name + ", " + (closed ? "closed" : role()) + "]";
  }
}
