package io.hadb.coordinator;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.FollowerSession;
import io.hadb.coordinator.forward.ForwardingServer;
import io.hadb.coordinator.forward.LeaderView;
import io.hadb.coordinator.lease.Lease;
import io.hadb.coordinator.lease.ObservedLease;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.role.RoleDriver;
import io.hadb.coordinator.role.SchemaScript;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HA {@link HaDatabase}: the engine's file as one copy of a replicated database, with its
 * lease elector, role driver and follower session, on the shared parts of the {@link HaNode} that
 * hosts it (stores, port, threads). {@link HaNode#open} opens the parts and hands them over; from
 * then on this class owns and closes them, and tells the node when it closed.
 */
final class ReplicatedDatabase implements HaDatabase {
  private static final System.Logger LOG = System.getLogger(ReplicatedDatabase.class.getName());
  private static final long READY_POLL_MILLIS = 10;

  /**
   * What an open database is made of. {@code server} is the node's (this database is removed from
   * it at close); {@code closed} is told last, after everything of this database stopped.
   */
  record Parts(EngineProvider.Engine engine, Lease lease, AutoCloseable leaseRunner, RoleDriver driver, LeaderView view,
      ForwardingServer server, FollowerSession session, RequestTable requests, SchemaScript schema,
      String database, Runnable closed) {}

  private final String name;
  private final Durability durability;
  private final ReadConsistency defaultConsistency;
  private final CoordinatorMetrics metrics;
  private final Map<String, String> labels;
  private final EngineProvider.Engine engine;
  private final Lease lease;
  private final AutoCloseable leaseRunner;
  private final RoleDriver driver;
  private final LeaderView view;
  private final FollowerSession session;
  private final RequestTable requests;
  private final Parts parts;
  private final ShutdownClose atShutdown;
  private volatile boolean closed;

  ReplicatedDatabase(String name, Durability durability, ReadConsistency defaultConsistency, CoordinatorMetrics metrics,
      Map<String, String> labels, Parts parts, boolean closeOnShutdown) {
    this.name = name;
    this.durability = durability;
    this.defaultConsistency = defaultConsistency;
    this.metrics = metrics;
    this.labels = Map.copyOf(labels);
    this.parts = parts;
    this.engine = parts.engine();
    this.lease = parts.lease();
    this.leaseRunner = parts.leaseRunner();
    this.driver = parts.driver();
    this.view = parts.view();
    this.session = parts.session();
    this.requests = parts.requests();
    this.atShutdown = closeOnShutdown ? ShutdownClose.register(name, this) : null;
  }

  // ------------------------------------------------------------------ writes

  @Override
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    checkOpen();
    HadbException.requireArg(statements, "statements");
    long epoch = driver.acceptingEpoch();
    if (epoch != 0) {
      List<ExecResult> r = runAsLeader(epoch, statements, null);
      if (r != null) {
        return r;
      }
    }
    return forward(null, statements);
  }

  @Override
  public List<ExecResult> executeBatch(String requestId, List<SqlStatement> statements) {
    checkOpen();
    HadbException.requireArg(requestId, "requestId");
    HadbException.requireArg(statements, "statements");
    long epoch = driver.acceptingEpoch();
    if (epoch != 0) {
      try {
        List<ExecResult> r = runAsLeader(epoch, statements, requestId);
        if (r != null) {
          return r;
        }
      } catch (HadbException e) {
        if (e.code() != ErrorCode.UNKNOWN_OUTCOME) {
          throw e;
        }
        return retryOnLeader(requestId, statements, e);
      }
    }
    return forward(requestId, statements);
  }

  /**
   * A write this node committed as leader but could not confirm (it lost the lease or its seq
   * meanwhile) goes to whoever leads now under the same id: answered from the request table if the
   * commit reached the chain, applied there if it did not, never twice. Whatever that retry
   * answers, the first attempt may have applied, so a failure stays UNKNOWN_OUTCOME.
   */
  private List<ExecResult> retryOnLeader(String requestId, List<SqlStatement> statements, HadbException unconfirmed) {
    try {
      return forward(requestId, statements);
    } catch (HadbException e) {
      if (e.code() == ErrorCode.UNKNOWN_OUTCOME) {
        e.addSuppressed(unconfirmed);
        throw e;
      }
      HadbException u = HadbException.unknownOutcome("write " + requestId + " committed on this node, which could"
          + " not confirm it (" + unconfirmed.getMessage() + "), and its retry on the leader failed: "
          + e.getMessage() + ". It may have been applied: retry with the same request id", e);
      u.addSuppressed(unconfirmed);
      throw u;
    }
  }

  /**
   * The local write of a leader, recorded under {@code requestId} when one is given; null when
   * this node turned out not to lead (nothing applied).
   */
  private List<ExecResult> runAsLeader(long epoch, List<SqlStatement> statements, String requestId) {
    long start = System.nanoTime();
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
      if (e.code() == ErrorCode.UNKNOWN_OUTCOME) {
        metrics.unconfirmedWrite(); // committed here, not confirmed in storage (SYNC)
      }
      throw e;
    }
    if (durability == Durability.SYNC) {
      try {
        engine.replicator().sync();
      } catch (HadbException e) {
        if (e.code() == ErrorCode.FENCED) {
          metrics.fencedWrite(); // committed here, refused by the chain: dropped on demotion
          driver.publishingFailed(epoch, e);
        }
        metrics.unconfirmedWrite();
        throw HadbException.unknownOutcome("the write committed on this leader but is not confirmed"
            + " in storage: " + e.getMessage(), e);
      }
    }
    metrics.committed(System.nanoTime() - start);
    return r;
  }

  /** A write forwarded to the leader, timed. */
  private List<ExecResult> forward(String requestId, List<SqlStatement> statements) {
    long start = System.nanoTime();
    List<ExecResult> r = requestId == null ? session.executeBatch(statements).results()
        : session.executeBatch(requestId, statements).results();
    metrics.forwardedWrite(System.nanoTime() - start);
    return r;
  }

  private static boolean causedByFenced(HadbException e) {
    return e.code() == ErrorCode.UNKNOWN_OUTCOME && e.getCause() instanceof HadbException c
        && c.code() == ErrorCode.FENCED;
  }

  @Override
  public io.hadb.api.engine.Transaction begin(Duration maxLifetime) {
    checkOpen();
    HadbException.requireArg(maxLifetime, "maxLifetime");
    long epoch = driver.acceptingEpoch();
    if (epoch != 0) {
      LeaderTransaction t = LeaderTransaction.begin(engine.executor(), epoch, maxLifetime, view, driver,
          engine.replicator(), durability, metrics);
      if (t != null) {
        return t;
      }
    }
    return session.begin(maxLifetime);
  }

  // ------------------------------------------------------------------ reads

  @Override
  public QueryResult query(String sql, Object... params) {
    return query(defaultConsistency, sql, params);
  }

  @Override
  public QueryResult query(ReadConsistency consistency, String sql, Object... params) {
    checkOpen();
    HadbException.requireArg(consistency, "consistency");
    List<SqlValue> values = Arrays.stream(params).map(SqlValue::ofObject).toList();
    if (role() == Role.LEADER) {
      return engine.executor().query(sql, values);
    }
    return followerQuery(consistency, sql, values);
  }

  @Override
  public RowCursor cursor(String sql, List<SqlValue> params) {
    return cursor(defaultConsistency, sql, params);
  }

  /** Streams on the leader (the engine decides, Executor#cursor); a follower reads whole. */
  @Override
  public RowCursor cursor(ReadConsistency consistency, String sql, List<SqlValue> params) {
    checkOpen();
    HadbException.requireArg(consistency, "consistency");
    HadbException.requireArg(params, "params");
    if (role() == Role.LEADER) {
      return engine.executor().cursor(sql, params);
    }
    return RowCursor.of(followerQuery(consistency, sql, params));
  }

  private QueryResult followerQuery(ReadConsistency consistency, String sql, List<SqlValue> values) {
    if (!driver.localCopyFollowsChain()) {
      // Demoted (or demoting) with commits the chain may not have: until the file is rebuilt from
      // the chain, the leader answers, so no read shows a commit about to be dropped.
      return session.query(sql, values, ReadConsistency.LEADER);
    }
    return session.query(sql, values, consistency);
  }

  // ------------------------------------------------------------------ state

  @Override
  public void awaitReady(Duration timeout) {
    HadbException.requireArg(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      checkOpen();
      String missing = notReadyBecause();
      if (missing == null) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw HadbException.timeout("database " + name + " is not ready after " + timeout.toMillis() + " ms: "
            + missing, null);
      }
      try {
        Thread.sleep(READY_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HadbException.timeout("interrupted while waiting for " + name + " to be ready: " + missing, e);
      }
    }
  }

  /** What keeps this node from serving the application yet; null when nothing does. */
  private String notReadyBecause() {
    if (role() != Role.LEADER && leaderAddress().isEmpty()) {
      return "no node leads yet (the lease names none: is a node that may lead running, and can it reach the"
          + " lease store and storage?)";
    }
    if (!parts.schema().ranOn(engine.executor(), engine.dialect())) {
      return "the schema script has not reached this node's copy yet (it is at seq " + appliedSeq()
          + "; the leader runs the script once when it takes over)";
    }
    return null;
  }

  @Override
  public Role role() {
    // The forwarding server's own test: the lease term is current and promotion accepted it.
    return view.leadingEpoch().isPresent() ? Role.LEADER : Role.FOLLOWER;
  }

  @Override
  public long epoch() {
    long e = driver.acceptingEpoch();
    return e != 0 ? e : lease.observed().map(ObservedLease::epoch).orElse(0L);
  }

  @Override
  public long snapshot() {
    if (role() != Role.LEADER) {
      throw HadbException.notLeader("only the leader takes snapshots; the lease names "
          + leaderAddress().orElse("no leader yet"), leaderAddress().orElse(null));
    }
    return engine.replicator().snapshot(Progress.NONE);
  }

  @Override
  public long appliedSeq() {
    return engine.replicator().appliedSeq();
  }

  @Override
  public Optional<String> leaderAddress() {
    if (role() == Role.LEADER) {
      // The record this node last read may predate its own claim. Only once it accepts writes:
      // awaitReady takes a named leader for one that accepts them.
      return Optional.of(address());
    }
    return lease.observed().flatMap(o -> o.record().forwardAddress());
  }

  @Override
  public String address() {
    return parts.server().address();
  }

  @Override
  public CoordinatorMetrics metrics() {
    if (role() == Role.LEADER) {
      metrics.leading(appliedSeq());
    } else {
      metrics.setAppliedSeq(appliedSeq());
    }
    return metrics;
  }

  @Override
  public String prometheusText() {
    return metrics().prometheusText(labels);
  }

  @Override
  public Durability durability() {
    return durability;
  }

  @Override
  public void addRoleListener(RoleListener l) {
    driver.addListener(l);
  }

  @Override
  public void removeRoleListener(RoleListener l) {
    driver.removeListener(l);
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("database " + name);
    }
  }

  // ------------------------------------------------------------------ close

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (atShutdown != null) {
      atShutdown.unregister();
    }
    try {
      driver.stop();
      closeQuietly(leaseRunner, "lease");
      driver.shutdown();
      parts.server().remove(parts.database());
    } finally {
      closeQuietly(engine, "engine");
      closeQuietly(parts.closed()::run, "node's part");
    }
  }

  private void closeQuietly(AutoCloseable c, String what) {
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
