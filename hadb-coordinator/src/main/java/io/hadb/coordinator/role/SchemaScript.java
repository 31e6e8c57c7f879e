package io.hadb.coordinator.role;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The schema an {@code HaDatabase} opens with, applied once per database whatever the number of
 * nodes and failovers: the leader runs it in one transaction together with the engine's record
 * of its SHA-256 ({@link io.hadb.api.engine.SchemaRecord}, a normal replicated table). A script
 * already recorded is not run again, so even non-idempotent statements ({@code INSERT}) run once.
 * A changed script (another hash) runs once more: write it so it also works on the previous
 * schema. The engine's dialect splits the script and writes the record; no SQL is written here.
 */
public final class SchemaScript {
  private final String sql;
  private final String hash;

  public SchemaScript(String sql) {
    this.sql = HadbException.requireArg(sql, "schemaSql");
    this.hash = sha256(sql);
  }

  /** The statements of the script by the dialect's rules; fails INVALID_ARGUMENT on a malformed one. */
  public List<SqlStatement> statements(Dialect dialect) {
    return dialect.splitScript(sql).stream().map(s -> SqlStatement.of(s)).toList();
  }

  /** Whether the database {@code executor} reads holds this script (an empty script always). */
  public boolean ranOn(Executor executor, Dialect dialect) {
    return statements(dialect).isEmpty() || dialect.schemaRecord().contains(executor, hash);
  }

  /** Runs the script on the leader's executor unless it ran before; returns whether it ran. */
  public boolean applyOnce(Executor executor, Dialect dialect) {
    List<SqlStatement> statements = statements(dialect);
    if (statements.isEmpty() || dialect.schemaRecord().contains(executor, hash)) {
      return false;
    }
    List<SqlStatement> batch = new ArrayList<>(dialect.schemaRecord().record(hash, statements.size()));
    batch.addAll(statements);
    try {
      executor.executeBatch(batch);
      return true;
    } catch (HadbException e) {
      if (e.code() == ErrorCode.SQL_ERROR && dialect.schemaRecord().contains(executor, hash)) {
        return false; // recorded meanwhile: the record's key refused the second run
      }
      throw e;
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
