package io.hadb.jdbc;

import io.hadb.api.HadbException;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over an open {@link HaDatabase} (DESIGN §12): {@code HaDataSource.of(db)}.
 * Its connections are cheap (no socket, no file handle of their own) and behave as
 * {@link HaConnection} describes on every node. The database stays the caller's to close.
 *
 * <p>It lives here rather than as {@code HaDatabase.dataSource()} so that the coordinator stays
 * free of JDBC and an application that does not use JDBC does not carry it.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return a new data source.
 */
public final class HaDataSource implements DataSource {
  /** How long a transaction may stay open before it is rolled back, unless set. */
  public static final Duration DEFAULT_TRANSACTION_LIFETIME = Duration.ofSeconds(30);

  private final HaDatabase db;
  private final Duration transactionLifetime;
  private final Optional<ReadConsistency> readLevel;
  private final String productName;
  private final String url;
  private volatile String productVersion;

  private HaDataSource(HaDatabase db, Duration transactionLifetime, Optional<ReadConsistency> readLevel,
      String productName, String url) {
    this.db = db;
    this.transactionLifetime = transactionLifetime;
    this.readLevel = readLevel;
    this.productName = productName;
    this.url = url;
  }

  /**
   * Connections to {@code db}: reads at the database's own default level, transactions of at most
   * {@link #DEFAULT_TRANSACTION_LIFETIME}, and product name "SQLite" in the metadata (the default
   * engine; {@link #withProductName} for another).
   */
  public static HaDataSource of(HaDatabase db) {
    HadbException.requireArg(db, "db");
    return new HaDataSource(db, DEFAULT_TRANSACTION_LIFETIME, Optional.empty(), "SQLite", HaDriver.PREFIX + "datasource");
  }

  /** Transactions are rolled back once they have been open this long (at most 60 s on a follower). */
  public HaDataSource withTransactionLifetime(Duration lifetime) {
    HadbException.requireArg(lifetime, "lifetime");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw HadbException.invalidArgument("the transaction lifetime must be positive, was " + lifetime);
    }
    return new HaDataSource(db, lifetime, readLevel, productName, url);
  }

  /** Auto-commit (and read-only) queries at {@code level} instead of the database's default. */
  public HaDataSource withReadConsistency(ReadConsistency level) {
    HadbException.requireArg(level, "level");
    return new HaDataSource(db, transactionLifetime, Optional.of(level), productName, url);
  }

  /** The product name {@link java.sql.DatabaseMetaData} reports, by which tools pick their dialect. */
  public HaDataSource withProductName(String name) {
    HadbException.requireArg(name, "name");
    return new HaDataSource(db, transactionLifetime, readLevel, name, url);
  }

  HaDataSource withUrl(String url) {
    return new HaDataSource(db, transactionLifetime, readLevel, productName, url);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return new HaConnection(this);
  }

  /** User and password are not used: the nodes authenticate each other with the forwarding secret. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  HaDatabase database() {
    return db;
  }

  Duration transactionLifetime() {
    return transactionLifetime;
  }

  Optional<ReadConsistency> readLevel() {
    return readLevel;
  }

  String productName() {
    return productName;
  }

  String url() {
    return url;
  }

  /** The engine's version, asked once; "3" when the engine does not answer SQLite's question. */
  String productVersion() {
    String v = productVersion;
    if (v == null) {
      v = "3";
      if (productName.equals("SQLite")) {
        try {
          io.hadb.api.engine.QueryResult r = db.query(ReadConsistency.LOCAL, "SELECT sqlite_version()");
          v = Values.string(r.rows().get(0).get(0));
        } catch (RuntimeException e) {
          // keep the generic answer
        }
      }
      productVersion = v;
    }
    return v;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("hadb-jdbc logs through System.Logger", "0A000");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    if (iface.isInstance(db)) {
      return iface.cast(db);
    }
    throw new SQLException("HaDataSource does not wrap a " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this) || iface.isInstance(db);
  }

  @Override
  public String toString() {
    return "HaDataSource[" + db + "]";
  }
}
