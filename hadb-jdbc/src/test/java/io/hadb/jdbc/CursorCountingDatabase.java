package io.hadb.jdbc;

import io.hadb.api.Durability;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.RoleListener;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real {@link HaDatabase} seen through a delegate that keeps every cursor it hands out, so a
 * test can ask how many are still open (holding one of the engine's read connections when they
 * stream). Everything else goes to the database unchanged.
 */
final class CursorCountingDatabase implements HaDatabase {
  private final HaDatabase db;
  private final List<RowCursor> cursors = new ArrayList<>();

  CursorCountingDatabase(HaDatabase db) {
    this.db = db;
  }

  /** Cursors handed out and not closed yet. */
  synchronized long openCursors() {
    return cursors.stream().filter(c -> !c.isClosed()).count();
  }

  private synchronized RowCursor kept(RowCursor c) {
    cursors.add(c);
    return c;
  }

  @Override
  public RowCursor cursor(String sql, List<SqlValue> params) {
    return kept(db.cursor(sql, params));
  }

  @Override
  public RowCursor cursor(ReadConsistency consistency, String sql, List<SqlValue> params) {
    return kept(db.cursor(consistency, sql, params));
  }

  @Override
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    return db.executeBatch(statements);
  }

  @Override
  public List<ExecResult> executeBatch(String requestId, List<SqlStatement> statements) {
    return db.executeBatch(requestId, statements);
  }

  @Override
  public Transaction begin(Duration maxLifetime) {
    return db.begin(maxLifetime);
  }

  @Override
  public QueryResult query(String sql, Object... params) {
    return db.query(sql, params);
  }

  @Override
  public QueryResult query(ReadConsistency consistency, String sql, Object... params) {
    return db.query(consistency, sql, params);
  }

  @Override
  public void awaitReady(Duration timeout) {
    db.awaitReady(timeout);
  }

  @Override
  public Role role() {
    return db.role();
  }

  @Override
  public long epoch() {
    return db.epoch();
  }

  @Override
  public long appliedSeq() {
    return db.appliedSeq();
  }

  @Override
  public Optional<String> leaderAddress() {
    return db.leaderAddress();
  }

  @Override
  public String address() {
    return db.address();
  }

  @Override
  public CoordinatorMetrics metrics() {
    return db.metrics();
  }

  @Override
  public String prometheusText() {
    return db.prometheusText();
  }

  @Override
  public Durability durability() {
    return db.durability();
  }

  @Override
  public void addRoleListener(RoleListener l) {
    db.addRoleListener(l);
  }

  @Override
  public void removeRoleListener(RoleListener l) {
    db.removeRoleListener(l);
  }

  @Override
  public void close() {
    db.close();
  }
}
