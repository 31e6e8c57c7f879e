package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.chain.Applier;
import io.hadb.chain.FileFormat;
import io.hadb.chain.PageImages;
import io.hadb.chain.PrivateFile;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.DbHeader;
import io.hadb.engine.sqlite.internal.FilePages;
import io.hadb.engine.sqlite.internal.RawApplier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** SQLite files no engine has open: restore targets and rebuild copies. */
final class SqliteFormat implements FileFormat {
  static final SqliteFormat INSTANCE = new SqliteFormat();

  private SqliteFormat() {}

  @Override
  public PrivateFile create(Path file) {
    return new Private(new DbFile(file));
  }

  /** {@code PRAGMA integrity_check} must answer {@code ok}. */
  @Override
  public void check(Path file) {
    try (Connection c = Connections.openPlain(file, 5000); Statement s = c.createStatement()) {
      String result = Connections.single(s, "PRAGMA integrity_check");
      if (!"ok".equals(result)) {
        throw HadbException.corrupt("the restored database " + file + " fails integrity_check: " + result);
      }
    } catch (SQLException e) {
      throw HadbException.corrupt("the restored database " + file + " cannot be checked: " + e.getMessage());
    }
  }

  @Override
  public List<Path> companions(Path file) {
    return List.of(file.resolveSibling(file.getFileName() + "-journal"));
  }

  /** Pages written straight in, page 1 patched as a follower's must be ({@link RawApplier}). */
  private static final class Private implements PrivateFile {
    private final DbFile file;
    private final RawApplier applier;

    Private(DbFile file) {
      this.file = file;
      this.applier = new RawApplier(file);
    }

    @Override
    public long size() {
      return file.size();
    }

    @Override
    public int stamp() {
      return DbHeader.stampOf(file);
    }

    @Override
    public Applier applier() {
      return applier;
    }

    @Override
    public PageImages pages() {
      return FilePages.of(file);
    }

    @Override
    public void force() {
      file.force();
    }

    @Override
    public void close() {
      file.close();
    }
  }
}
