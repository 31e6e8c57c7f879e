package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.chain.Applier;
import io.hadb.chain.FileFormat;
import io.hadb.chain.PageImages;
import io.hadb.chain.PrivateFile;
import io.hadb.engine.duckdb.internal.FileHeader;
import io.hadb.engine.duckdb.internal.FilePages;
import io.hadb.engine.duckdb.internal.Instance;
import io.hadb.engine.duckdb.internal.PageWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** DuckDB files no engine has open: restore targets and rebuild copies. */
final class DuckdbFormat implements FileFormat {
  static final DuckdbFormat INSTANCE = new DuckdbFormat();

  private DuckdbFormat() {}

  @Override
  public PrivateFile create(Path file) {
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      return new Private(file, ch);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The file starts like DuckDB's, opens read-only, and every table's rows can be counted. An
   * empty file passes: it is what a chain without pages restores to (only seals so far), the
   * same empty copy a new follower starts from; DuckDB itself cannot open it read-only, and the
   * engine opens it and applies the chain's first pages to it.
   */
  @Override
  public void check(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      FileHeader.requireDuckdb(file, ch);
      if (ch.size() == 0) {
        return;
      }
    } catch (IOException e) {
      throw HadbException.corrupt("the restored database " + file + " cannot be read: " + e.getMessage());
    }
    Instance in;
    try {
      in = Instance.open(file, true, 1);
    } catch (HadbException e) {
      throw HadbException.corrupt("the restored database " + file + " does not open: " + e.getMessage());
    }
    var c = in.borrow();
    try (Statement s = c.connection().createStatement();
        ResultSet tables = s.executeQuery("SELECT schema_name, table_name FROM duckdb_tables()")) {
      List<String> names = new java.util.ArrayList<>();
      while (tables.next()) {
        names.add('"' + tables.getString(1).replace("\"", "\"\"") + "\".\"" + tables.getString(2).replace("\"", "\"\"") + '"');
      }
      for (String t : names) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
          rs.next();
        }
      }
    } catch (SQLException e) {
      throw HadbException.corrupt("the restored database " + file + " fails its check: " + e.getMessage());
    } finally {
      in.giveBack(c);
      in.retire();
    }
  }

  @Override
  public List<Path> companions(Path file) {
    return List.of(DuckdbFile.wal(file));
  }

  /** Pages written straight in. */
  private static final class Private implements PrivateFile {
    private final Path file;
    private final FileChannel ch;

    Private(Path file, FileChannel ch) {
      this.file = file;
      this.ch = ch;
    }

    @Override
    public long size() {
      try {
        return ch.size();
      } catch (IOException e) {
        throw HadbException.unavailable("cannot read the size of " + file + ": " + e.getMessage(), e);
      }
    }

    @Override
    public int stamp() {
      return FileHeader.stamp(ch);
    }

    @Override
    public Applier applier() {
      return images -> PageWriter.write(file, ch, images);
    }

    @Override
    public PageImages pages() {
      return FilePages.of(file, ch);
    }

    @Override
    public void force() {
      try {
        ch.force(true);
      } catch (IOException e) {
        throw HadbException.unavailable("cannot sync " + file + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing left to write
      }
    }
  }
}
