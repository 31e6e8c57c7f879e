package io.hadb.jdbc;

import io.hadb.api.engine.QueryResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.util.List;

/**
 * What tools ask of the database before using it: the product (the engine's, so Flyway and jOOQ
 * pick their SQLite support), the driver, and what is supported. Catalogue queries
 * ({@code getTables} and friends) answer empty results; query the engine's catalogue instead.
 */
final class HaDatabaseMetaData extends DefaultDatabaseMetaData {
  private final HaConnection conn;
  private final HaDataSource source;

  HaDatabaseMetaData(HaConnection conn, HaDataSource source) {
    this.conn = conn;
    this.source = source;
  }

  @Override
  Connection connection() {
    return conn;
  }

  @Override
  ResultSet emptyResultSet() {
    return new HaResultSet(null, new QueryResult(List.of(), List.of()));
  }

  @Override
  public String getDatabaseProductName() {
    return source.productName();
  }

  @Override
  public String getDatabaseProductVersion() {
    return source.productVersion();
  }

  @Override
  public int getDatabaseMajorVersion() {
    return versionPart(0);
  }

  @Override
  public int getDatabaseMinorVersion() {
    return versionPart(1);
  }

  private int versionPart(int i) {
    String[] parts = source.productVersion().split("\\.");
    try {
      return i < parts.length ? Integer.parseInt(parts[i].replaceAll("\\D.*", "")) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public String getDriverName() {
    return "hadb-jdbc";
  }

  @Override
  public String getDriverVersion() {
    return HaDriver.VERSION;
  }

  @Override
  public int getDriverMajorVersion() {
    return HaDriver.MAJOR;
  }

  @Override
  public int getDriverMinorVersion() {
    return HaDriver.MINOR;
  }

  @Override
  public int getJDBCMajorVersion() {
    return 4;
  }

  @Override
  public int getJDBCMinorVersion() {
    return 2;
  }

  @Override
  public String getURL() {
    return source.url();
  }

  @Override
  public String getUserName() {
    return "";
  }

  @Override
  public boolean supportsTransactions() {
    return true;
  }

  @Override
  public int getDefaultTransactionIsolation() {
    return Connection.TRANSACTION_SERIALIZABLE;
  }

  @Override
  public boolean supportsTransactionIsolationLevel(int level) {
    return level == Connection.TRANSACTION_SERIALIZABLE;
  }

  @Override
  public boolean supportsDataManipulationTransactionsOnly() {
    return false;
  }

  @Override
  public boolean supportsDataDefinitionAndDataManipulationTransactions() {
    return true;
  }

  @Override
  public boolean supportsBatchUpdates() {
    return true;
  }

  @Override
  public boolean supportsGetGeneratedKeys() {
    return true;
  }

  @Override
  public boolean supportsResultSetType(int type) {
    return type == ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public boolean supportsResultSetConcurrency(int type, int concurrency) {
    return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public boolean supportsResultSetHoldability(int holdability) {
    return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public int getResultSetHoldability() {
    return ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public String getIdentifierQuoteString() {
    return "\"";
  }

  @Override
  public String getCatalogSeparator() {
    return ".";
  }

  @Override
  public String getSearchStringEscape() {
    return "\\";
  }

  @Override
  public int getSQLStateType() {
    return sqlStateSQL;
  }

  @Override
  public boolean supportsMixedCaseQuotedIdentifiers() {
    return true;
  }

  @Override
  public boolean storesMixedCaseIdentifiers() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public RowIdLifetime getRowIdLifetime() {
    return RowIdLifetime.ROWID_UNSUPPORTED;
  }
}
