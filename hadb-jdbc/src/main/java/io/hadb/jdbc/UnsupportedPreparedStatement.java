package io.hadb.jdbc;

import java.sql.*;

/**
 * A {@link PreparedStatement} whose every method fails with {@link SQLFeatureNotSupportedException} (SQLState 0A000).
 * Written out method by method from the JDK's interface so every method is visibly accounted for;
 * the concrete class overrides what hadb supports.
 */
abstract class UnsupportedPreparedStatement implements PreparedStatement {
  @Override
  public ResultSet executeQuery() throws SQLException {
    throw unsupported("PreparedStatement.executeQuery");
  }

  @Override
  public int executeUpdate() throws SQLException {
    throw unsupported("PreparedStatement.executeUpdate");
  }

  @Override
  public void setNull(int p0, int p1) throws SQLException {
    throw unsupported("PreparedStatement.setNull");
  }

  @Override
  public void setBoolean(int p0, boolean p1) throws SQLException {
    throw unsupported("PreparedStatement.setBoolean");
  }

  @Override
  public void setByte(int p0, byte p1) throws SQLException {
    throw unsupported("PreparedStatement.setByte");
  }

  @Override
  public void setShort(int p0, short p1) throws SQLException {
    throw unsupported("PreparedStatement.setShort");
  }

  @Override
  public void setInt(int p0, int p1) throws SQLException {
    throw unsupported("PreparedStatement.setInt");
  }

  @Override
  public void setLong(int p0, long p1) throws SQLException {
    throw unsupported("PreparedStatement.setLong");
  }

  @Override
  public void setFloat(int p0, float p1) throws SQLException {
    throw unsupported("PreparedStatement.setFloat");
  }

  @Override
  public void setDouble(int p0, double p1) throws SQLException {
    throw unsupported("PreparedStatement.setDouble");
  }

  @Override
  public void setBigDecimal(int p0, java.math.BigDecimal p1) throws SQLException {
    throw unsupported("PreparedStatement.setBigDecimal");
  }

  @Override
  public void setString(int p0, String p1) throws SQLException {
    throw unsupported("PreparedStatement.setString");
  }

  @Override
  public void setBytes(int p0, byte[] p1) throws SQLException {
    throw unsupported("PreparedStatement.setBytes");
  }

  @Override
  public void setDate(int p0, Date p1) throws SQLException {
    throw unsupported("PreparedStatement.setDate");
  }

  @Override
  public void setTime(int p0, Time p1) throws SQLException {
    throw unsupported("PreparedStatement.setTime");
  }

  @Override
  public void setTimestamp(int p0, Timestamp p1) throws SQLException {
    throw unsupported("PreparedStatement.setTimestamp");
  }

  @Override
  public void setAsciiStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    throw unsupported("PreparedStatement.setAsciiStream");
  }

  @Override
  public void setUnicodeStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    throw unsupported("PreparedStatement.setUnicodeStream");
  }

  @Override
  public void setBinaryStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    throw unsupported("PreparedStatement.setBinaryStream");
  }

  @Override
  public void clearParameters() throws SQLException {
    throw unsupported("PreparedStatement.clearParameters");
  }

  @Override
  public void setObject(int p0, Object p1, int p2) throws SQLException {
    throw unsupported("PreparedStatement.setObject");
  }

  @Override
  public void setObject(int p0, Object p1) throws SQLException {
    throw unsupported("PreparedStatement.setObject");
  }

  @Override
  public boolean execute() throws SQLException {
    throw unsupported("PreparedStatement.execute");
  }

  @Override
  public void addBatch() throws SQLException {
    throw unsupported("PreparedStatement.addBatch");
  }

  @Override
  public void setCharacterStream(int p0, java.io.Reader p1, int p2) throws SQLException {
    throw unsupported("PreparedStatement.setCharacterStream");
  }

  @Override
  public void setRef(int p0, Ref p1) throws SQLException {
    throw unsupported("PreparedStatement.setRef");
  }

  @Override
  public void setBlob(int p0, Blob p1) throws SQLException {
    throw unsupported("PreparedStatement.setBlob");
  }

  @Override
  public void setClob(int p0, Clob p1) throws SQLException {
    throw unsupported("PreparedStatement.setClob");
  }

  @Override
  public void setArray(int p0, Array p1) throws SQLException {
    throw unsupported("PreparedStatement.setArray");
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    throw unsupported("PreparedStatement.getMetaData");
  }

  @Override
  public void setDate(int p0, Date p1, java.util.Calendar p2) throws SQLException {
    throw unsupported("PreparedStatement.setDate");
  }

  @Override
  public void setTime(int p0, Time p1, java.util.Calendar p2) throws SQLException {
    throw unsupported("PreparedStatement.setTime");
  }

  @Override
  public void setTimestamp(int p0, Timestamp p1, java.util.Calendar p2) throws SQLException {
    throw unsupported("PreparedStatement.setTimestamp");
  }

  @Override
  public void setNull(int p0, int p1, String p2) throws SQLException {
    throw unsupported("PreparedStatement.setNull");
  }

  @Override
  public void setURL(int p0, java.net.URL p1) throws SQLException {
    throw unsupported("PreparedStatement.setURL");
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    throw unsupported("PreparedStatement.getParameterMetaData");
  }

  @Override
  public void setRowId(int p0, RowId p1) throws SQLException {
    throw unsupported("PreparedStatement.setRowId");
  }

  @Override
  public void setNString(int p0, String p1) throws SQLException {
    throw unsupported("PreparedStatement.setNString");
  }

  @Override
  public void setNCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("PreparedStatement.setNCharacterStream");
  }

  @Override
  public void setNClob(int p0, NClob p1) throws SQLException {
    throw unsupported("PreparedStatement.setNClob");
  }

  @Override
  public void setClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("PreparedStatement.setClob");
  }

  @Override
  public void setBlob(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("PreparedStatement.setBlob");
  }

  @Override
  public void setNClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("PreparedStatement.setNClob");
  }

  @Override
  public void setSQLXML(int p0, SQLXML p1) throws SQLException {
    throw unsupported("PreparedStatement.setSQLXML");
  }

  @Override
  public void setObject(int p0, Object p1, int p2, int p3) throws SQLException {
    throw unsupported("PreparedStatement.setObject");
  }

  @Override
  public void setAsciiStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("PreparedStatement.setAsciiStream");
  }

  @Override
  public void setBinaryStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("PreparedStatement.setBinaryStream");
  }

  @Override
  public void setCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("PreparedStatement.setCharacterStream");
  }

  @Override
  public void setAsciiStream(int p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("PreparedStatement.setAsciiStream");
  }

  @Override
  public void setBinaryStream(int p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("PreparedStatement.setBinaryStream");
  }

  @Override
  public void setCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("PreparedStatement.setCharacterStream");
  }

  @Override
  public void setNCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("PreparedStatement.setNCharacterStream");
  }

  @Override
  public void setClob(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("PreparedStatement.setClob");
  }

  @Override
  public void setBlob(int p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("PreparedStatement.setBlob");
  }

  @Override
  public void setNClob(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("PreparedStatement.setNClob");
  }

  @Override
  public ResultSet executeQuery(String p0) throws SQLException {
    throw unsupported("PreparedStatement.executeQuery");
  }

  @Override
  public int executeUpdate(String p0) throws SQLException {
    throw unsupported("PreparedStatement.executeUpdate");
  }

  @Override
  public void close() throws SQLException {
    throw unsupported("PreparedStatement.close");
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    throw unsupported("PreparedStatement.getMaxFieldSize");
  }

  @Override
  public void setMaxFieldSize(int p0) throws SQLException {
    throw unsupported("PreparedStatement.setMaxFieldSize");
  }

  @Override
  public int getMaxRows() throws SQLException {
    throw unsupported("PreparedStatement.getMaxRows");
  }

  @Override
  public void setMaxRows(int p0) throws SQLException {
    throw unsupported("PreparedStatement.setMaxRows");
  }

  @Override
  public void setEscapeProcessing(boolean p0) throws SQLException {
    throw unsupported("PreparedStatement.setEscapeProcessing");
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    throw unsupported("PreparedStatement.getQueryTimeout");
  }

  @Override
  public void setQueryTimeout(int p0) throws SQLException {
    throw unsupported("PreparedStatement.setQueryTimeout");
  }

  @Override
  public void cancel() throws SQLException {
    throw unsupported("PreparedStatement.cancel");
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    throw unsupported("PreparedStatement.getWarnings");
  }

  @Override
  public void clearWarnings() throws SQLException {
    throw unsupported("PreparedStatement.clearWarnings");
  }

  @Override
  public void setCursorName(String p0) throws SQLException {
    throw unsupported("PreparedStatement.setCursorName");
  }

  @Override
  public boolean execute(String p0) throws SQLException {
    throw unsupported("PreparedStatement.execute");
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    throw unsupported("PreparedStatement.getResultSet");
  }

  @Override
  public int getUpdateCount() throws SQLException {
    throw unsupported("PreparedStatement.getUpdateCount");
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    throw unsupported("PreparedStatement.getMoreResults");
  }

  @Override
  public void setFetchDirection(int p0) throws SQLException {
    throw unsupported("PreparedStatement.setFetchDirection");
  }

  @Override
  public int getFetchDirection() throws SQLException {
    throw unsupported("PreparedStatement.getFetchDirection");
  }

  @Override
  public void setFetchSize(int p0) throws SQLException {
    throw unsupported("PreparedStatement.setFetchSize");
  }

  @Override
  public int getFetchSize() throws SQLException {
    throw unsupported("PreparedStatement.getFetchSize");
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    throw unsupported("PreparedStatement.getResultSetConcurrency");
  }

  @Override
  public int getResultSetType() throws SQLException {
    throw unsupported("PreparedStatement.getResultSetType");
  }

  @Override
  public void addBatch(String p0) throws SQLException {
    throw unsupported("PreparedStatement.addBatch");
  }

  @Override
  public void clearBatch() throws SQLException {
    throw unsupported("PreparedStatement.clearBatch");
  }

  @Override
  public int[] executeBatch() throws SQLException {
    throw unsupported("PreparedStatement.executeBatch");
  }

  @Override
  public Connection getConnection() throws SQLException {
    throw unsupported("PreparedStatement.getConnection");
  }

  @Override
  public boolean getMoreResults(int p0) throws SQLException {
    throw unsupported("PreparedStatement.getMoreResults");
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    throw unsupported("PreparedStatement.getGeneratedKeys");
  }

  @Override
  public int executeUpdate(String p0, int p1) throws SQLException {
    throw unsupported("PreparedStatement.executeUpdate");
  }

  @Override
  public int executeUpdate(String p0, int[] p1) throws SQLException {
    throw unsupported("PreparedStatement.executeUpdate");
  }

  @Override
  public int executeUpdate(String p0, String[] p1) throws SQLException {
    throw unsupported("PreparedStatement.executeUpdate");
  }

  @Override
  public boolean execute(String p0, int p1) throws SQLException {
    throw unsupported("PreparedStatement.execute");
  }

  @Override
  public boolean execute(String p0, int[] p1) throws SQLException {
    throw unsupported("PreparedStatement.execute");
  }

  @Override
  public boolean execute(String p0, String[] p1) throws SQLException {
    throw unsupported("PreparedStatement.execute");
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    throw unsupported("PreparedStatement.getResultSetHoldability");
  }

  @Override
  public boolean isClosed() throws SQLException {
    throw unsupported("PreparedStatement.isClosed");
  }

  @Override
  public void setPoolable(boolean p0) throws SQLException {
    throw unsupported("PreparedStatement.setPoolable");
  }

  @Override
  public boolean isPoolable() throws SQLException {
    throw unsupported("PreparedStatement.isPoolable");
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    throw unsupported("PreparedStatement.closeOnCompletion");
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    throw unsupported("PreparedStatement.isCloseOnCompletion");
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
