package io.hadb.coordinator;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.metrics.MetricsSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One node of a replicated database: the embeddable facade over the engine, the lease, promotion
 * and write forwarding (DESIGN §6). Open it with {@link #builder()}; {@link #local} is a
 * single-process database for development, without HA.
 *
 * <p>Writes ({@link #execute}, {@link #executeBatch}) run on the local file while this node leads
 * and its promotion finished; on a follower they are forwarded to the leader, exactly once, and
 * return its results. A write waits out a failover: while the leader is being replaced (crashed,
 * frozen, or still promoting) it retries under the same request id until the new leader answers,
 * within the forwarding deadline (see {@link HaDatabaseBuilder#forwarding}). Reads ({@link #query})
 * follow a {@link ReadConsistency}; a node that was just demoted and may still hold commits the
 * chain never got reads on the leader until its file is rebuilt from the chain. In
 * {@link io.hadb.api.Durability#SYNC} a write returns only once it is durable in storage.
 * {@link #close()} hands leadership over at once: it ships what is committed, stops publishing
 * and releases the lease, so a follower claims it without waiting for the ttl.
 *
 * <h2>Error contract (DESIGN §6.4)</h2>
 *
 * A write that fails throws {@link io.hadb.api.HadbException}, whose {@link io.hadb.api.ErrorCode}
 * says whether it applied, and never the wrong way round:
 *
 * <ul>
 *   <li>{@code SQL_ERROR}, {@code INVALID_ARGUMENT}, {@code UNSUPPORTED}: the statement was
 *       refused; nothing applied. Fix the statement.
 *   <li>{@code NOT_LEADER}, {@code UNAVAILABLE}, {@code TIMEOUT}: definitely not applied (refused
 *       before it ran, or never sent). Retry, with a new request id or the same.
 *   <li>{@code UNKNOWN_OUTCOME}: it may have applied (committed but not confirmed durable, or sent
 *       without an answer). Retry with the <em>same</em> request id,
 *       {@link #executeBatch(String, List)}: it then applies at most once. A write made without a
 *       request id has no safe retry; the message names the id a forwarded one travelled under.
 * </ul>
 *
 * Once an attempt of a write may have landed, the call never ends in a definite error, whatever
 * later attempts answer.
 *
 * <p>Thread-safe.
 */
public interface HaDatabase extends AutoCloseable {

  /** Configures a node of a replicated database. */
  static HaDatabaseBuilder builder() {
    return new HaDatabaseBuilder();
  }

  /**
   * The engine a database runs on unless the builder or {@link #local(String, Path, String)} names
   * another: the project's reference engine, found like every engine by its provider's name.
   */
  String DEFAULT_ENGINE = "sqlite";

  /**
   * Development only, <b>no HA</b>: the file at {@code path} on the default engine as a single
   * always-leading node with no lease and no forwarding. The file is the truth: nothing is
   * shipped anywhere ({@link Durability#SNAPSHOT_ONLY} without snapshots), a commit is as durable
   * as the engine makes it, and the file reopens with this call after a clean close, a SIGTERM or
   * a crash. Needs the engine's module (here {@code engine-sqlite}) and {@code storage-mem} on the
   * class path. {@code schemaSql} runs once per file, as in HA mode. Closed at JVM shutdown if
   * still open.
   */
  static HaDatabase local(Path path, String schemaSql) {
    return local(DEFAULT_ENGINE, path, schemaSql);
  }

  /** As {@link #local(Path, String)}, on the engine whose provider is named {@code engine}. */
  static HaDatabase local(String engine, Path path, String schemaSql) {
    return LocalDatabase.open(engine, path, schemaSql);
  }

  /** Runs one statement (see {@link #executeBatch}); {@code params} as {@link SqlValue#ofObject}. */
  default ExecResult execute(String sql, Object... params) {
    return executeBatch(List.of(SqlStatement.of(sql, params))).get(0);
  }

  /**
   * Runs {@code statements} in one transaction: locally while this node leads and accepts writes,
   * otherwise on the leader (forwarded once, retried with the same request id across a failover).
   * A SQL error fails the whole batch with {@code SQL_ERROR}. {@code UNKNOWN_OUTCOME} means the
   * batch committed on the leader but could not be confirmed durable (SYNC), or a forward may have
   * applied without an answer; without a request id of yours there is no safe retry, so use
   * {@link #executeBatch(String, List)} for writes that must not be lost or doubled.
   */
  List<ExecResult> executeBatch(List<SqlStatement> statements);

  /**
   * As {@link #executeBatch(List)}, applied at most once for {@code requestId} across nodes and
   * failovers (the id is recorded in the replicated request table with the batch): the retry to
   * make after {@code UNKNOWN_OUTCOME}. A known id applies nothing and returns the results
   * recorded when it first applied. On a leader that commits it but cannot confirm it (it lost
   * its lease or its place in the chain meanwhile), the write goes on to the next leader under the
   * same id before the call returns. Not in local mode (no request table there).
   */
  List<ExecResult> executeBatch(String requestId, List<SqlStatement> statements);

  /**
   * Begins an interactive transaction (DESIGN §12): on the leader a local transaction holding the
   * write lock; on a follower one run on the leader through the forwarding link. Either way a
   * read-modify-write inside it is correct, and other writes wait until it ends, so keep it short:
   * it is rolled back when it outlives {@code maxLifetime} (at most 60 s on a follower). Use it
   * from one thread at a time, and on the leader only from the thread that began it.
   *
   * <p>Errors: a statement the engine refuses ({@code SQL_ERROR}) leaves the transaction open.
   * {@code NOT_LEADER}, {@code TIMEOUT} or {@code UNAVAILABLE} from a statement or the commit
   * means the transaction ended with nothing applied (leadership moved, the leader was
   * unreachable, the lifetime passed): retry the whole transaction. {@code UNKNOWN_OUTCOME} from
   * the commit means it may have applied.
   */
  io.hadb.api.engine.Transaction begin(java.time.Duration maxLifetime);

  /** A query at the consistency configured in the builder (READ_YOUR_WRITES by default). */
  QueryResult query(String sql, Object... params);

  /**
   * A query: on the leader always local; on a follower LOCAL reads the local copy as pulled,
   * READ_YOUR_WRITES waits (bounded) until the copy holds this node's last forwarded write,
   * LEADER runs it on the leader.
   */
  QueryResult query(ReadConsistency consistency, String sql, Object... params);

  /**
   * As {@link #query(String, Object...)}, the rows read one at a time. On the leader they may
   * stream from the engine's statement ({@link io.hadb.api.engine.Executor#cursor}), holding a
   * read connection and its snapshot until the cursor is closed or passes its last row: close
   * it. A follower's reads, local or forwarded, are read whole (its file takes the leader's
   * changesets, which a long read would hold up).
   */
  default io.hadb.api.engine.RowCursor cursor(String sql, List<SqlValue> params) {
    return io.hadb.api.engine.RowCursor.of(query(sql, params.toArray()));
  }

  /** As {@link #cursor(String, List)} at {@code consistency} (see {@link #query(ReadConsistency, String, Object...)}). */
  default io.hadb.api.engine.RowCursor cursor(ReadConsistency consistency, String sql, List<SqlValue> params) {
    return io.hadb.api.engine.RowCursor.of(query(consistency, sql, params.toArray()));
  }

  /**
   * Waits until this node can serve the application: a leader accepts writes (this node, or the
   * one the lease names) and this node's copy holds the schema script, so a query of its tables
   * works here. {@code open} returns at once, before that: on a fresh cluster the first leader
   * has yet to be elected and to run the schema. Fails with {@code TIMEOUT} naming what is still
   * missing. Local mode is ready at once.
   */
  void awaitReady(java.time.Duration timeout);

  /** LEADER while this node accepts writes (lease held, promotion done), FOLLOWER otherwise. */
  Role role();

  /** The epoch this node leads, or the last one it saw a leader hold; 0 when none yet. */
  long epoch();

  /** The last changeset seq applied to (follower) or published from (leader) the local file. */
  long appliedSeq();

  /** The leader's forwarding address: this node's own while it leads, else as the lease record names it, if any. */
  Optional<String> leaderAddress();

  /** This node's forwarding address (empty in local mode). */
  String address();

  /**
   * This node's metrics (role, epoch, lease counters, applied seq, lag, forwards, fenced writes,
   * dropped commits), the applied seq refreshed on the call; see {@link MetricsSnapshot}.
   */
  CoordinatorMetrics metrics();

  /** The metrics as Prometheus text, labelled with the database and node. */
  String prometheusText();

  Durability durability();

  /** Told of every role change of this node (never called in local mode, which always leads). */
  void addRoleListener(RoleListener l);

  void removeRoleListener(RoleListener l);

  /**
   * Takes a snapshot now, on the leader (DESIGN §4, §10), as its snapshot policy would: retention
   * and the manifest write after it included. Returns the snapshot's seq. {@code NOT_LEADER} on a
   * follower (the lease names the leader, {@link #leaderAddress()}); {@code UNSUPPORTED} in local
   * mode, which ships nothing.
   */
  default long snapshot() {
    throw HadbException.unsupported("this database takes no snapshots (local mode ships nothing)");
  }

  /**
   * Graceful hand-off: stop accepting writes, ship everything committed, stop publishing, release
   * the lease (a follower claims at once), then close the forwarding server, the engine and the
   * stores. Idempotent. Also run at JVM shutdown for a database still open, unless the builder
   * was told {@code closeOnShutdown(false)}.
   */
  @Override
  void close();
}
