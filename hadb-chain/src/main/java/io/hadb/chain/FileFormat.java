package io.hadb.chain;

import java.nio.file.Path;
import java.util.List;

/** An engine's database files where no engine has them open: restore targets and rebuild copies. */
public interface FileFormat {
  /** Creates (or truncates) {@code file} as a private file to build a database in. */
  PrivateFile create(Path file);

  /**
   * Checks a restored file before it is renamed into place (SQLite: {@code PRAGMA
   * integrity_check} answers {@code ok}); CORRUPT naming what failed otherwise.
   */
  void check(Path file);

  /** Files the engine may leave beside {@code file} (SQLite: its {@code -journal}), removed with it. */
  List<Path> companions(Path file);
}
