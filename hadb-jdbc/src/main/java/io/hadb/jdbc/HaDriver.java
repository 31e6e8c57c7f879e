package io.hadb.jdbc;

import io.hadb.api.HadbException;
import io.hadb.coordinator.HaDatabase;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The {@code jdbc:hadb:<name>} driver, for tools that take a URL rather than a
 * {@link javax.sql.DataSource}. A database opened in this process is made reachable under a name
 * with {@link #register}; the URL names it. The driver never opens a database itself: opening
 * one takes the lease, storage and node settings of {@code HaDatabase.builder()}.
 *
 * <pre>{@code
 * HaDriver.register("orders", db);
 * Connection c = DriverManager.getConnection("jdbc:hadb:orders");
 * }</pre>
 */
public final class HaDriver implements Driver {
  public static final String PREFIX = "jdbc:hadb:";
  static final int MAJOR = 0;
  static final int MINOR = 1;
  static final String VERSION = MAJOR + "." + MINOR;
  private static final Map<String, HaDataSource> REGISTERED = new ConcurrentHashMap<>();

  static {
    try {
      DriverManager.registerDriver(new HaDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Makes {@code db} reachable as {@code jdbc:hadb:<name>} with default settings. */
  public static void register(String name, HaDatabase db) {
    register(name, HaDataSource.of(db));
  }

  /** Makes {@code source}'s database reachable as {@code jdbc:hadb:<name>} with its settings. */
  public static void register(String name, HaDataSource source) {
    HadbException.requireArg(name, "name");
    HadbException.requireArg(source, "source");
    if (!name.matches("[A-Za-z0-9._-]{1,128}")) {
      throw HadbException.invalidArgument("a jdbc:hadb: name is 1-128 characters of [A-Za-z0-9._-], was '" + name + "'");
    }
    REGISTERED.put(name, source.withUrl(PREFIX + name));
  }

  /** Forgets {@code name}; connections made before keep working until closed. */
  public static void unregister(String name) {
    REGISTERED.remove(name);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null; // JDBC: another driver's URL
    }
    String name = url.substring(PREFIX.length());
    int q = name.indexOf('?');
    if (q >= 0) {
      name = name.substring(0, q);
    }
    HaDataSource s = REGISTERED.get(name);
    if (s == null) {
      throw new SQLException("no database is registered as " + PREFIX + name + " in this process (registered: "
          + REGISTERED.keySet() + "); open it with HaDatabase.builder() and call HaDriver.register(\"" + name
          + "\", db)", "08001");
    }
    return s.getConnection();
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return MAJOR;
  }

  @Override
  public int getMinorVersion() {
    return MINOR;
  }

  /** Not JDBC compliant in the JDBC sense: no stored procedures, no scrollable cursors, no SQL-92 entry level promise. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("hadb-jdbc logs through System.Logger", "0A000");
  }
}
