package io.hadb.engine.sqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Plain sqlite-jdbc: one connection with the engine's pragmas (see {@link OverheadBench}). */
final class RawDb implements AutoCloseable {
  private final Connection c;

  private RawDb(Connection c) {
    this.c = c;
  }

  static RawDb open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setGetGeneratedKeys(false); // as the engine: no hidden second query per insert
    Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA cache_size=-65536");
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA wal_autocheckpoint=1000");
    }
    return new RawDb(c);
  }

  Connection connection() {
    return c;
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
