package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.engine.sqlite.internal.Connections;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Two connections to a SQLite file other programs write, one of which always holds a read
 * transaction (Litestream's trick, DESIGN §6.5): while a reader uses the WAL, no writer can
 * restart it, so no frame is overwritten before the capture read it. {@link #move} takes a new
 * read transaction before it ends the old one, so there is no moment without one.
 */
final class WalPin implements AutoCloseable {
  private final Connection[] connections = new Connection[2];
  private int held = -1;

  /** Opens both connections; the first switches the file to WAL mode if it is not (a lasting setting). */
  WalPin(Path db, int busyTimeoutMs) {
    connections[0] = Connections.openWalWriter(db, busyTimeoutMs);
    try {
      connections[1] = Connections.openWalWriter(db, busyTimeoutMs);
    } catch (RuntimeException e) {
      Connections.closeQuietly(connections[0]);
      throw e;
    }
  }

  /**
   * Starts a read transaction at the WAL's current end on the idle connection, then ends the one
   * held. Called before each capture, when everything up to the previous capture has shipped.
   */
  void move() {
    int next = held == 0 ? 1 : 0;
    try (Statement s = connections[next].createStatement()) {
      s.execute("BEGIN");
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
        r.next();
      }
    } catch (SQLException e) {
      end(next);
      throw HadbException.unavailable("could not start the read transaction that keeps the WAL from being"
          + " restarted: " + e.getMessage(), e);
    }
    if (held >= 0) {
      end(held);
    }
    held = next;
  }

  private void end(int i) {
    try (Statement s = connections[i].createStatement()) {
      s.execute("COMMIT");
    } catch (SQLException e) {
      // not in a transaction: nothing held
    }
  }

  /**
   * Folds what SQLite may fold into the file ({@code PASSIVE}: never past a reader's snapshot, so
   * never past the pin, which is behind what shipped), on the idle connection.
   */
  void checkpointPassive() {
    int idle = held == 0 ? 1 : 0;
    try (Statement s = connections[idle].createStatement()) {
      s.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException e) {
      // busy: the next one tries again
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < 2; i++) {
      end(i);
      Connections.closeQuietly(connections[i]);
    }
  }
}
