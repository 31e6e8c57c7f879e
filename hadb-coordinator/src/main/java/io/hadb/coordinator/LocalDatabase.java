package io.hadb.coordinator;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Engines;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.role.SchemaScript;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link HaDatabase#local}: one database file on one engine, no HA. Always the leader at epoch 1, no lease, no
 * forwarding. The engine runs in {@link Durability#SNAPSHOT_ONLY} with no snapshot policy, so it
 * publishes nothing into the {@code mem:} store it needs to open: its chain stays at seq 0, and on
 * every open an empty chain takes the file as it is, whether it was closed cleanly or not.
 */
final class LocalDatabase implements HaDatabase {
  private static final System.Logger LOG = System.getLogger(LocalDatabase.class.getName());

  private final String name;
  private final EngineProvider.Engine engine;
  private final StorageBackend storage;
  private final CoordinatorMetrics metrics = new CoordinatorMetrics();
  private final ShutdownClose atShutdown;
  private volatile boolean closed;

  private LocalDatabase(String name, EngineProvider.Engine engine, StorageBackend storage) {
    this.name = name;
    this.engine = engine;
    this.storage = storage;
    this.atShutdown = ShutdownClose.register(name, this);
  }

  static LocalDatabase open(String engineName, Path path, String schemaSql) {
    HadbException.requireArg(engineName, "engine");
    HadbException.requireArg(path, "path");
    SchemaScript schema = new SchemaScript(schemaSql);
    EngineProvider provider = Engines.find(engineName);
    StorageBackend storage = StorageBackends.open("mem://hadb-local-" + UUID.randomUUID());
    EngineProvider.Engine engine = null;
    try {
      engine = provider.open(path, storage, "local/", EngineOptions.defaults().withDurability(Durability.SNAPSHOT_ONLY));
      engine.replicator().startPublishing(1, engine.replicator().appliedSeq() + 1);
      schema.applyOnce(engine.executor(), engine.dialect());
      return new LocalDatabase(path.getFileName().toString(), engine, storage);
    } catch (RuntimeException e) {
      if (engine != null) {
        engine.close();
      }
      storage.close();
      throw e;
    }
  }

  @Override
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    checkOpen();
    HadbException.requireArg(statements, "statements");
    long start = System.nanoTime();
    List<ExecResult> r = engine.executor().executeBatch(statements);
    metrics.committed(System.nanoTime() - start);
    return r;
  }

  /** The engine's own transaction: local mode always leads; {@code maxLifetime} is not enforced. */
  @Override
  public io.hadb.api.engine.Transaction begin(java.time.Duration maxLifetime) {
    checkOpen();
    return engine.executor().begin();
  }

  @Override
  public List<ExecResult> executeBatch(String requestId, List<SqlStatement> statements) {
    checkOpen();
    HadbException.requireArg(requestId, "requestId");
    HadbException.requireArg(statements, "statements");
    throw HadbException.unsupported("request ids need the replicated request table of HA mode;"
        + " HaDatabase.local runs executeBatch(statements)");
  }

  @Override
  public QueryResult query(String sql, Object... params) {
    return query(ReadConsistency.LOCAL, sql, params);
  }

  /** Every consistency reads the one file: it is the leader. */
  @Override
  public QueryResult query(ReadConsistency consistency, String sql, Object... params) {
    checkOpen();
    HadbException.requireArg(consistency, "consistency");
    return engine.executor().query(sql, Arrays.stream(params).map(SqlValue::ofObject).toList());
  }

  @Override
  public io.hadb.api.engine.RowCursor cursor(String sql, List<SqlValue> params) {
    return cursor(ReadConsistency.LOCAL, sql, params);
  }

  /** Every consistency reads the one file, streamed as the engine decides (Executor#cursor). */
  @Override
  public io.hadb.api.engine.RowCursor cursor(ReadConsistency consistency, String sql, List<SqlValue> params) {
    checkOpen();
    HadbException.requireArg(consistency, "consistency");
    HadbException.requireArg(params, "params");
    return engine.executor().cursor(sql, params);
  }

  /** Ready at open: the schema ran before {@link HaDatabase#local} returned. */
  @Override
  public void awaitReady(java.time.Duration timeout) {
    HadbException.requireArg(timeout, "timeout");
    checkOpen();
  }

  @Override
  public Role role() {
    return Role.LEADER;
  }

  @Override
  public long epoch() {
    return 1;
  }

  @Override
  public long appliedSeq() {
    return engine.replicator().appliedSeq();
  }

  @Override
  public Optional<String> leaderAddress() {
    return Optional.empty();
  }

  @Override
  public String address() {
    return "";
  }

  @Override
  public CoordinatorMetrics metrics() {
    metrics.leading(appliedSeq());
    return metrics;
  }

  @Override
  public String prometheusText() {
    return metrics().prometheusText(Map.of("db", name));
  }

  @Override
  public Durability durability() {
    return Durability.SNAPSHOT_ONLY;
  }

  /** Local mode never changes role: listeners are accepted and never called. */
  @Override
  public void addRoleListener(RoleListener l) {
    HadbException.requireArg(l, "listener");
  }

  @Override
  public void removeRoleListener(RoleListener l) {}

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("database " + name);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    atShutdown.unregister();
    try {
      engine.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, name + ": closing the engine failed: " + e.getMessage());
    } finally {
      storage.close();
    }
  }

  @Override
  public String toString() {
    return "HaDatabase.local[" + name + (closed ? ", closed" : "") + "]";
  }
}
