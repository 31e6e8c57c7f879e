package io.hadb.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Versioned migrations (DESIGN §12): the schema as ordered scripts, each applied once, on the
 * leader, and recorded in the replicated table {@value #TABLE} (version, description, checksum,
 * when). Run {@link #migrate} on any node at start: each pending version runs in one transaction
 * that first looks the version up, so two nodes migrating at once apply it once (the transaction
 * holds the leader's write lock from the look-up to the commit). A version applied earlier whose
 * script changed since fails the run: migrations are append-only. A transaction that ends with
 * SQLState 40001 (leadership moved) is retried.
 *
 * <p>For the simple case the builder's run-once schema script is enough; for Flyway, point it at
 * an {@link HaDataSource} (tested with Flyway 13).
 */
public final class Migrations {
  public static final String TABLE = "hadb_schema_version";
  private static final System.Logger LOG = System.getLogger(Migrations.class.getName());
  private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
  private static final int ATTEMPTS = 5;

  /**
   * One version.
   *
   * @param version applied in increasing order, each once
   * @param script statements separated by semicolons (see {@link ScriptSplitter})
   */
  public record Migration(long version, String description, String script) {
    public Migration {
      if (version < 1) {
        throw new IllegalArgumentException("a migration version is at least 1, was " + version);
      }
      if (description == null || script == null) {
        throw new IllegalArgumentException("migration V" + version + " needs a description and a script");
      }
    }

    String checksum() {
      try {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final List<Migration> migrations;

  private Migrations(List<Migration> migrations) {
    List<Migration> sorted = new ArrayList<>(migrations);
    sorted.sort(Comparator.comparingLong(Migration::version));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).version() == sorted.get(i - 1).version()) {
        throw new IllegalArgumentException("two migrations have version " + sorted.get(i).version());
      }
    }
    this.migrations = List.copyOf(sorted);
  }

  public static Migrations of(List<Migration> migrations) {
    return new Migrations(migrations);
  }

  /**
   * The scripts named {@code V<version>__<description>.sql} listed, one per line, in the class
   * path resource {@code <location>/index.txt} (a jar cannot be listed portably, so the list is
   * explicit).
   */
  public static Migrations fromClasspath(ClassLoader loader, String location) {
    String index = read(loader, location + "/index.txt");
    List<Migration> found = new ArrayList<>();
    for (String line : index.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalArgumentException(location + "/index.txt names '" + name
            + "', which is not V<version>__<description>.sql");
      }
      found.add(new Migration(Long.parseLong(m.group(1)), m.group(2).replace('_', ' '),
          read(loader, location + "/" + name)));
    }
    return new Migrations(found);
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no class path resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Applies every pending version in order; returns the versions this call applied. */
  public List<Long> migrate(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE IF NOT EXISTS " + TABLE + " (version INTEGER PRIMARY KEY,"
            + " description TEXT NOT NULL, checksum TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)");
      }
      List<Long> applied = new ArrayList<>();
      for (Migration m : migrations) {
        if (applyOnce(c, m)) {
          applied.add(m.version());
        }
      }
      return applied;
    }
  }

  private boolean applyOnce(Connection c, Migration m) throws SQLException {
    List<String> statements = ScriptSplitter.split(m.script(), "migration V" + m.version());
    for (int attempt = 1; ; attempt++) {
      c.setAutoCommit(false);
      try {
        String recorded = recordedChecksum(c, m.version());
        if (recorded != null) {
          c.rollback();
          if (!recorded.equals(m.checksum())) {
            throw new SQLException("migration V" + m.version() + " (" + m.description() + ") changed after it was"
                + " applied (checksum " + recorded + " recorded, " + m.checksum() + " now): add a new version"
                + " instead of editing an applied one", "42000");
          }
          return false;
        }
        try (Statement s = c.createStatement()) {
          for (String sql : statements) {
            s.execute(sql);
          }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + TABLE
            + " (version, description, checksum, applied_at_ms) VALUES (?, ?, ?, ?)")) {
          ins.setLong(1, m.version());
          ins.setString(2, m.description());
          ins.setString(3, m.checksum());
          ins.setLong(4, System.currentTimeMillis());
          ins.executeUpdate();
        }
        c.commit();
        LOG.log(Level.INFO, "applied migration V" + m.version() + " (" + m.description() + ")");
        return true;
      } catch (SQLException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the transaction is over either way
        }
        if (!SqlStates.SERIALIZATION_FAILURE.equals(e.getSQLState()) || attempt >= ATTEMPTS) {
          throw e;
        }
        LOG.log(Level.INFO, "migration V" + m.version() + " retried: " + e.getMessage());
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private static String recordedChecksum(Connection c, long version) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT checksum FROM " + TABLE + " WHERE version = ?")) {
      q.setLong(1, version);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
