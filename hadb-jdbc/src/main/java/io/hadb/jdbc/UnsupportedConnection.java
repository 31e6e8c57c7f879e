package io.hadb.jdbc;

import java.sql.*;

/**
 * A {@link Connection} whose every method fails with {@link SQLFeatureNotSupportedException} (SQLState 0A000).
 * Written out method by method from the JDK's interface so every method is visibly accounted for;
 * the concrete class overrides what hadb supports.
 */
abstract class UnsupportedConnection implements Connection {
  @Override
  public Statement createStatement() throws SQLException {
    throw unsupported("Connection.createStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0) throws SQLException {
    throw unsupported("Connection.prepareStatement");
  }

  @Override
  public CallableStatement prepareCall(String p0) throws SQLException {
    throw unsupported("Connection.prepareCall");
  }

  @Override
  public String nativeSQL(String p0) throws SQLException {
    throw unsupported("Connection.nativeSQL");
  }

  @Override
  public void setAutoCommit(boolean p0) throws SQLException {
    throw unsupported("Connection.setAutoCommit");
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    throw unsupported("Connection.getAutoCommit");
  }

  @Override
  public void commit() throws SQLException {
    throw unsupported("Connection.commit");
  }

  @Override
  public void rollback() throws SQLException {
    throw unsupported("Connection.rollback");
  }

  @Override
  public void close() throws SQLException {
    throw unsupported("Connection.close");
  }

  @Override
  public boolean isClosed() throws SQLException {
    throw unsupported("Connection.isClosed");
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    throw unsupported("Connection.getMetaData");
  }

  @Override
  public void setReadOnly(boolean p0) throws SQLException {
    throw unsupported("Connection.setReadOnly");
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    throw unsupported("Connection.isReadOnly");
  }

  @Override
  public void setCatalog(String p0) throws SQLException {
    throw unsupported("Connection.setCatalog");
  }

  @Override
  public String getCatalog() throws SQLException {
    throw unsupported("Connection.getCatalog");
  }

  @Override
  public void setTransactionIsolation(int p0) throws SQLException {
    throw unsupported("Connection.setTransactionIsolation");
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    throw unsupported("Connection.getTransactionIsolation");
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    throw unsupported("Connection.getWarnings");
  }

  @Override
  public void clearWarnings() throws SQLException {
    throw unsupported("Connection.clearWarnings");
  }

  @Override
  public Statement createStatement(int p0, int p1) throws SQLException {
    throw unsupported("Connection.createStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int p1, int p2) throws SQLException {
    throw unsupported("Connection.prepareStatement");
  }

  @Override
  public CallableStatement prepareCall(String p0, int p1, int p2) throws SQLException {
    throw unsupported("Connection.prepareCall");
  }

  @Override
  public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
    throw unsupported("Connection.getTypeMap");
  }

  @Override
  public void setTypeMap(java.util.Map<String, Class<?>> p0) throws SQLException {
    throw unsupported("Connection.setTypeMap");
  }

  @Override
  public void setHoldability(int p0) throws SQLException {
    throw unsupported("Connection.setHoldability");
  }

  @Override
  public int getHoldability() throws SQLException {
    throw unsupported("Connection.getHoldability");
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw unsupported("Connection.setSavepoint");
  }

  @Override
  public Savepoint setSavepoint(String p0) throws SQLException {
    throw unsupported("Connection.setSavepoint");
  }

  @Override
  public void rollback(Savepoint p0) throws SQLException {
    throw unsupported("Connection.rollback");
  }

  @Override
  public void releaseSavepoint(Savepoint p0) throws SQLException {
    throw unsupported("Connection.releaseSavepoint");
  }

  @Override
  public Statement createStatement(int p0, int p1, int p2) throws SQLException {
    throw unsupported("Connection.createStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int p1, int p2, int p3) throws SQLException {
    throw unsupported("Connection.prepareStatement");
  }

  @Override
  public CallableStatement prepareCall(String p0, int p1, int p2, int p3) throws SQLException {
    throw unsupported("Connection.prepareCall");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int p1) throws SQLException {
    throw unsupported("Connection.prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, int[] p1) throws SQLException {
    throw unsupported("Connection.prepareStatement");
  }

  @Override
  public PreparedStatement prepareStatement(String p0, String[] p1) throws SQLException {
    throw unsupported("Connection.prepareStatement");
  }

  @Override
  public Clob createClob() throws SQLException {
    throw unsupported("Connection.createClob");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw unsupported("Connection.createBlob");
  }

  @Override
  public NClob createNClob() throws SQLException {
    throw unsupported("Connection.createNClob");
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw unsupported("Connection.createSQLXML");
  }

  @Override
  public boolean isValid(int p0) throws SQLException {
    throw unsupported("Connection.isValid");
  }

  @Override
  public void setClientInfo(String p0, String p1) throws SQLClientInfoException {
    throw new UnsupportedOperationException("Connection.setClientInfo is not supported by hadb-jdbc");
  }

  @Override
  public void setClientInfo(java.util.Properties p0) throws SQLClientInfoException {
    throw new UnsupportedOperationException("Connection.setClientInfo is not supported by hadb-jdbc");
  }

  @Override
  public String getClientInfo(String p0) throws SQLException {
    throw unsupported("Connection.getClientInfo");
  }

  @Override
  public java.util.Properties getClientInfo() throws SQLException {
    throw unsupported("Connection.getClientInfo");
  }

  @Override
  public Array createArrayOf(String p0, Object[] p1) throws SQLException {
    throw unsupported("Connection.createArrayOf");
  }

  @Override
  public Struct createStruct(String p0, Object[] p1) throws SQLException {
    throw unsupported("Connection.createStruct");
  }

  @Override
  public void setSchema(String p0) throws SQLException {
    throw unsupported("Connection.setSchema");
  }

  @Override
  public String getSchema() throws SQLException {
    throw unsupported("Connection.getSchema");
  }

  @Override
  public void abort(java.util.concurrent.Executor p0) throws SQLException {
    throw unsupported("Connection.abort");
  }

  @Override
  public void setNetworkTimeout(java.util.concurrent.Executor p0, int p1) throws SQLException {
    throw unsupported("Connection.setNetworkTimeout");
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    throw unsupported("Connection.getNetworkTimeout");
  }

  static SQLFeatureNotSupportedException unsupported(String what) {
    return new SQLFeatureNotSupportedException(what + " is not supported by hadb-jdbc (see the hadb-jdbc README for what is)",
        "0A000");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException(getClass().getSimpleName() + " does not wrap a " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
