package io.hadb.jdbc;

import java.sql.*;

/**
 * A {@link ResultSet} whose every method fails with {@link SQLFeatureNotSupportedException} (SQLState 0A000).
 * Written out method by method from the JDK's interface so every method is visibly accounted for;
 * the concrete class overrides what hadb supports.
 */
abstract class UnsupportedResultSet implements ResultSet {
  @Override
  public boolean next() throws SQLException {
    throw unsupported("ResultSet.next");
  }

  @Override
  public void close() throws SQLException {
    throw unsupported("ResultSet.close");
  }

  @Override
  public boolean wasNull() throws SQLException {
    throw unsupported("ResultSet.wasNull");
  }

  @Override
  public String getString(int p0) throws SQLException {
    throw unsupported("ResultSet.getString");
  }

  @Override
  public boolean getBoolean(int p0) throws SQLException {
    throw unsupported("ResultSet.getBoolean");
  }

  @Override
  public byte getByte(int p0) throws SQLException {
    throw unsupported("ResultSet.getByte");
  }

  @Override
  public short getShort(int p0) throws SQLException {
    throw unsupported("ResultSet.getShort");
  }

  @Override
  public int getInt(int p0) throws SQLException {
    throw unsupported("ResultSet.getInt");
  }

  @Override
  public long getLong(int p0) throws SQLException {
    throw unsupported("ResultSet.getLong");
  }

  @Override
  public float getFloat(int p0) throws SQLException {
    throw unsupported("ResultSet.getFloat");
  }

  @Override
  public double getDouble(int p0) throws SQLException {
    throw unsupported("ResultSet.getDouble");
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int p0, int p1) throws SQLException {
    throw unsupported("ResultSet.getBigDecimal");
  }

  @Override
  public byte[] getBytes(int p0) throws SQLException {
    throw unsupported("ResultSet.getBytes");
  }

  @Override
  public Date getDate(int p0) throws SQLException {
    throw unsupported("ResultSet.getDate");
  }

  @Override
  public Time getTime(int p0) throws SQLException {
    throw unsupported("ResultSet.getTime");
  }

  @Override
  public Timestamp getTimestamp(int p0) throws SQLException {
    throw unsupported("ResultSet.getTimestamp");
  }

  @Override
  public java.io.InputStream getAsciiStream(int p0) throws SQLException {
    throw unsupported("ResultSet.getAsciiStream");
  }

  @Override
  public java.io.InputStream getUnicodeStream(int p0) throws SQLException {
    throw unsupported("ResultSet.getUnicodeStream");
  }

  @Override
  public java.io.InputStream getBinaryStream(int p0) throws SQLException {
    throw unsupported("ResultSet.getBinaryStream");
  }

  @Override
  public String getString(String p0) throws SQLException {
    throw unsupported("ResultSet.getString");
  }

  @Override
  public boolean getBoolean(String p0) throws SQLException {
    throw unsupported("ResultSet.getBoolean");
  }

  @Override
  public byte getByte(String p0) throws SQLException {
    throw unsupported("ResultSet.getByte");
  }

  @Override
  public short getShort(String p0) throws SQLException {
    throw unsupported("ResultSet.getShort");
  }

  @Override
  public int getInt(String p0) throws SQLException {
    throw unsupported("ResultSet.getInt");
  }

  @Override
  public long getLong(String p0) throws SQLException {
    throw unsupported("ResultSet.getLong");
  }

  @Override
  public float getFloat(String p0) throws SQLException {
    throw unsupported("ResultSet.getFloat");
  }

  @Override
  public double getDouble(String p0) throws SQLException {
    throw unsupported("ResultSet.getDouble");
  }

  @Override
  public java.math.BigDecimal getBigDecimal(String p0, int p1) throws SQLException {
    throw unsupported("ResultSet.getBigDecimal");
  }

  @Override
  public byte[] getBytes(String p0) throws SQLException {
    throw unsupported("ResultSet.getBytes");
  }

  @Override
  public Date getDate(String p0) throws SQLException {
    throw unsupported("ResultSet.getDate");
  }

  @Override
  public Time getTime(String p0) throws SQLException {
    throw unsupported("ResultSet.getTime");
  }

  @Override
  public Timestamp getTimestamp(String p0) throws SQLException {
    throw unsupported("ResultSet.getTimestamp");
  }

  @Override
  public java.io.InputStream getAsciiStream(String p0) throws SQLException {
    throw unsupported("ResultSet.getAsciiStream");
  }

  @Override
  public java.io.InputStream getUnicodeStream(String p0) throws SQLException {
    throw unsupported("ResultSet.getUnicodeStream");
  }

  @Override
  public java.io.InputStream getBinaryStream(String p0) throws SQLException {
    throw unsupported("ResultSet.getBinaryStream");
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    throw unsupported("ResultSet.getWarnings");
  }

  @Override
  public void clearWarnings() throws SQLException {
    throw unsupported("ResultSet.clearWarnings");
  }

  @Override
  public String getCursorName() throws SQLException {
    throw unsupported("ResultSet.getCursorName");
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    throw unsupported("ResultSet.getMetaData");
  }

  @Override
  public Object getObject(int p0) throws SQLException {
    throw unsupported("ResultSet.getObject");
  }

  @Override
  public Object getObject(String p0) throws SQLException {
    throw unsupported("ResultSet.getObject");
  }

  @Override
  public int findColumn(String p0) throws SQLException {
    throw unsupported("ResultSet.findColumn");
  }

  @Override
  public java.io.Reader getCharacterStream(int p0) throws SQLException {
    throw unsupported("ResultSet.getCharacterStream");
  }

  @Override
  public java.io.Reader getCharacterStream(String p0) throws SQLException {
    throw unsupported("ResultSet.getCharacterStream");
  }

  @Override
  public java.math.BigDecimal getBigDecimal(int p0) throws SQLException {
    throw unsupported("ResultSet.getBigDecimal");
  }

  @Override
  public java.math.BigDecimal getBigDecimal(String p0) throws SQLException {
    throw unsupported("ResultSet.getBigDecimal");
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    throw unsupported("ResultSet.isBeforeFirst");
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    throw unsupported("ResultSet.isAfterLast");
  }

  @Override
  public boolean isFirst() throws SQLException {
    throw unsupported("ResultSet.isFirst");
  }

  @Override
  public boolean isLast() throws SQLException {
    throw unsupported("ResultSet.isLast");
  }

  @Override
  public void beforeFirst() throws SQLException {
    throw unsupported("ResultSet.beforeFirst");
  }

  @Override
  public void afterLast() throws SQLException {
    throw unsupported("ResultSet.afterLast");
  }

  @Override
  public boolean first() throws SQLException {
    throw unsupported("ResultSet.first");
  }

  @Override
  public boolean last() throws SQLException {
    throw unsupported("ResultSet.last");
  }

  @Override
  public int getRow() throws SQLException {
    throw unsupported("ResultSet.getRow");
  }

  @Override
  public boolean absolute(int p0) throws SQLException {
    throw unsupported("ResultSet.absolute");
  }

  @Override
  public boolean relative(int p0) throws SQLException {
    throw unsupported("ResultSet.relative");
  }

  @Override
  public boolean previous() throws SQLException {
    throw unsupported("ResultSet.previous");
  }

  @Override
  public void setFetchDirection(int p0) throws SQLException {
    throw unsupported("ResultSet.setFetchDirection");
  }

  @Override
  public int getFetchDirection() throws SQLException {
    throw unsupported("ResultSet.getFetchDirection");
  }

  @Override
  public void setFetchSize(int p0) throws SQLException {
    throw unsupported("ResultSet.setFetchSize");
  }

  @Override
  public int getFetchSize() throws SQLException {
    throw unsupported("ResultSet.getFetchSize");
  }

  @Override
  public int getType() throws SQLException {
    throw unsupported("ResultSet.getType");
  }

  @Override
  public int getConcurrency() throws SQLException {
    throw unsupported("ResultSet.getConcurrency");
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    throw unsupported("ResultSet.rowUpdated");
  }

  @Override
  public boolean rowInserted() throws SQLException {
    throw unsupported("ResultSet.rowInserted");
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    throw unsupported("ResultSet.rowDeleted");
  }

  @Override
  public void updateNull(int p0) throws SQLException {
    throw unsupported("ResultSet.updateNull");
  }

  @Override
  public void updateBoolean(int p0, boolean p1) throws SQLException {
    throw unsupported("ResultSet.updateBoolean");
  }

  @Override
  public void updateByte(int p0, byte p1) throws SQLException {
    throw unsupported("ResultSet.updateByte");
  }

  @Override
  public void updateShort(int p0, short p1) throws SQLException {
    throw unsupported("ResultSet.updateShort");
  }

  @Override
  public void updateInt(int p0, int p1) throws SQLException {
    throw unsupported("ResultSet.updateInt");
  }

  @Override
  public void updateLong(int p0, long p1) throws SQLException {
    throw unsupported("ResultSet.updateLong");
  }

  @Override
  public void updateFloat(int p0, float p1) throws SQLException {
    throw unsupported("ResultSet.updateFloat");
  }

  @Override
  public void updateDouble(int p0, double p1) throws SQLException {
    throw unsupported("ResultSet.updateDouble");
  }

  @Override
  public void updateBigDecimal(int p0, java.math.BigDecimal p1) throws SQLException {
    throw unsupported("ResultSet.updateBigDecimal");
  }

  @Override
  public void updateString(int p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateString");
  }

  @Override
  public void updateBytes(int p0, byte[] p1) throws SQLException {
    throw unsupported("ResultSet.updateBytes");
  }

  @Override
  public void updateDate(int p0, Date p1) throws SQLException {
    throw unsupported("ResultSet.updateDate");
  }

  @Override
  public void updateTime(int p0, Time p1) throws SQLException {
    throw unsupported("ResultSet.updateTime");
  }

  @Override
  public void updateTimestamp(int p0, Timestamp p1) throws SQLException {
    throw unsupported("ResultSet.updateTimestamp");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateObject(int p0, Object p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void updateObject(int p0, Object p1) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void updateNull(String p0) throws SQLException {
    throw unsupported("ResultSet.updateNull");
  }

  @Override
  public void updateBoolean(String p0, boolean p1) throws SQLException {
    throw unsupported("ResultSet.updateBoolean");
  }

  @Override
  public void updateByte(String p0, byte p1) throws SQLException {
    throw unsupported("ResultSet.updateByte");
  }

  @Override
  public void updateShort(String p0, short p1) throws SQLException {
    throw unsupported("ResultSet.updateShort");
  }

  @Override
  public void updateInt(String p0, int p1) throws SQLException {
    throw unsupported("ResultSet.updateInt");
  }

  @Override
  public void updateLong(String p0, long p1) throws SQLException {
    throw unsupported("ResultSet.updateLong");
  }

  @Override
  public void updateFloat(String p0, float p1) throws SQLException {
    throw unsupported("ResultSet.updateFloat");
  }

  @Override
  public void updateDouble(String p0, double p1) throws SQLException {
    throw unsupported("ResultSet.updateDouble");
  }

  @Override
  public void updateBigDecimal(String p0, java.math.BigDecimal p1) throws SQLException {
    throw unsupported("ResultSet.updateBigDecimal");
  }

  @Override
  public void updateString(String p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateString");
  }

  @Override
  public void updateBytes(String p0, byte[] p1) throws SQLException {
    throw unsupported("ResultSet.updateBytes");
  }

  @Override
  public void updateDate(String p0, Date p1) throws SQLException {
    throw unsupported("ResultSet.updateDate");
  }

  @Override
  public void updateTime(String p0, Time p1) throws SQLException {
    throw unsupported("ResultSet.updateTime");
  }

  @Override
  public void updateTimestamp(String p0, Timestamp p1) throws SQLException {
    throw unsupported("ResultSet.updateTimestamp");
  }

  @Override
  public void updateAsciiStream(String p0, java.io.InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBinaryStream(String p0, java.io.InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateCharacterStream(String p0, java.io.Reader p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateObject(String p0, Object p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void updateObject(String p0, Object p1) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void insertRow() throws SQLException {
    throw unsupported("ResultSet.insertRow");
  }

  @Override
  public void updateRow() throws SQLException {
    throw unsupported("ResultSet.updateRow");
  }

  @Override
  public void deleteRow() throws SQLException {
    throw unsupported("ResultSet.deleteRow");
  }

  @Override
  public void refreshRow() throws SQLException {
    throw unsupported("ResultSet.refreshRow");
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    throw unsupported("ResultSet.cancelRowUpdates");
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    throw unsupported("ResultSet.moveToInsertRow");
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    throw unsupported("ResultSet.moveToCurrentRow");
  }

  @Override
  public Statement getStatement() throws SQLException {
    throw unsupported("ResultSet.getStatement");
  }

  @Override
  public Object getObject(int p0, java.util.Map<String, Class<?>> p1) throws SQLException {
    throw unsupported("ResultSet.getObject");
  }

  @Override
  public Ref getRef(int p0) throws SQLException {
    throw unsupported("ResultSet.getRef");
  }

  @Override
  public Blob getBlob(int p0) throws SQLException {
    throw unsupported("ResultSet.getBlob");
  }

  @Override
  public Clob getClob(int p0) throws SQLException {
    throw unsupported("ResultSet.getClob");
  }

  @Override
  public Array getArray(int p0) throws SQLException {
    throw unsupported("ResultSet.getArray");
  }

  @Override
  public Object getObject(String p0, java.util.Map<String, Class<?>> p1) throws SQLException {
    throw unsupported("ResultSet.getObject");
  }

  @Override
  public Ref getRef(String p0) throws SQLException {
    throw unsupported("ResultSet.getRef");
  }

  @Override
  public Blob getBlob(String p0) throws SQLException {
    throw unsupported("ResultSet.getBlob");
  }

  @Override
  public Clob getClob(String p0) throws SQLException {
    throw unsupported("ResultSet.getClob");
  }

  @Override
  public Array getArray(String p0) throws SQLException {
    throw unsupported("ResultSet.getArray");
  }

  @Override
  public Date getDate(int p0, java.util.Calendar p1) throws SQLException {
    throw unsupported("ResultSet.getDate");
  }

  @Override
  public Date getDate(String p0, java.util.Calendar p1) throws SQLException {
    throw unsupported("ResultSet.getDate");
  }

  @Override
  public Time getTime(int p0, java.util.Calendar p1) throws SQLException {
    throw unsupported("ResultSet.getTime");
  }

  @Override
  public Time getTime(String p0, java.util.Calendar p1) throws SQLException {
    throw unsupported("ResultSet.getTime");
  }

  @Override
  public Timestamp getTimestamp(int p0, java.util.Calendar p1) throws SQLException {
    throw unsupported("ResultSet.getTimestamp");
  }

  @Override
  public Timestamp getTimestamp(String p0, java.util.Calendar p1) throws SQLException {
    throw unsupported("ResultSet.getTimestamp");
  }

  @Override
  public java.net.URL getURL(int p0) throws SQLException {
    throw unsupported("ResultSet.getURL");
  }

  @Override
  public java.net.URL getURL(String p0) throws SQLException {
    throw unsupported("ResultSet.getURL");
  }

  @Override
  public void updateRef(int p0, Ref p1) throws SQLException {
    throw unsupported("ResultSet.updateRef");
  }

  @Override
  public void updateRef(String p0, Ref p1) throws SQLException {
    throw unsupported("ResultSet.updateRef");
  }

  @Override
  public void updateBlob(int p0, Blob p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(String p0, Blob p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateClob(int p0, Clob p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(String p0, Clob p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateArray(int p0, Array p1) throws SQLException {
    throw unsupported("ResultSet.updateArray");
  }

  @Override
  public void updateArray(String p0, Array p1) throws SQLException {
    throw unsupported("ResultSet.updateArray");
  }

  @Override
  public RowId getRowId(int p0) throws SQLException {
    throw unsupported("ResultSet.getRowId");
  }

  @Override
  public RowId getRowId(String p0) throws SQLException {
    throw unsupported("ResultSet.getRowId");
  }

  @Override
  public void updateRowId(int p0, RowId p1) throws SQLException {
    throw unsupported("ResultSet.updateRowId");
  }

  @Override
  public void updateRowId(String p0, RowId p1) throws SQLException {
    throw unsupported("ResultSet.updateRowId");
  }

  @Override
  public int getHoldability() throws SQLException {
    throw unsupported("ResultSet.getHoldability");
  }

  @Override
  public boolean isClosed() throws SQLException {
    throw unsupported("ResultSet.isClosed");
  }

  @Override
  public void updateNString(int p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateNString");
  }

  @Override
  public void updateNString(String p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateNString");
  }

  @Override
  public void updateNClob(int p0, NClob p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(String p0, NClob p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public NClob getNClob(int p0) throws SQLException {
    throw unsupported("ResultSet.getNClob");
  }

  @Override
  public NClob getNClob(String p0) throws SQLException {
    throw unsupported("ResultSet.getNClob");
  }

  @Override
  public SQLXML getSQLXML(int p0) throws SQLException {
    throw unsupported("ResultSet.getSQLXML");
  }

  @Override
  public SQLXML getSQLXML(String p0) throws SQLException {
    throw unsupported("ResultSet.getSQLXML");
  }

  @Override
  public void updateSQLXML(int p0, SQLXML p1) throws SQLException {
    throw unsupported("ResultSet.updateSQLXML");
  }

  @Override
  public void updateSQLXML(String p0, SQLXML p1) throws SQLException {
    throw unsupported("ResultSet.updateSQLXML");
  }

  @Override
  public String getNString(int p0) throws SQLException {
    throw unsupported("ResultSet.getNString");
  }

  @Override
  public String getNString(String p0) throws SQLException {
    throw unsupported("ResultSet.getNString");
  }

  @Override
  public java.io.Reader getNCharacterStream(int p0) throws SQLException {
    throw unsupported("ResultSet.getNCharacterStream");
  }

  @Override
  public java.io.Reader getNCharacterStream(String p0) throws SQLException {
    throw unsupported("ResultSet.getNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateAsciiStream(String p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBinaryStream(String p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateCharacterStream(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateBlob(int p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(String p0, java.io.InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateNClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(String p0, java.io.Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(String p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateAsciiStream(int p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBinaryStream(int p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateAsciiStream(String p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBinaryStream(String p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateCharacterStream(String p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateBlob(int p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(String p0, java.io.InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateClob(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(String p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateNClob(int p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(String p0, java.io.Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public <T> T getObject(int p0, Class<T> p1) throws SQLException {
    throw unsupported("ResultSet.getObject");
  }

  @Override
  public <T> T getObject(String p0, Class<T> p1) throws SQLException {
    throw unsupported("ResultSet.getObject");
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
