package io.hadb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hadb replicate} as a process beside another program writing the file: the sqlite3 CLI,
 * many short sessions of single-row commits large enough that SQLite's automatic checkpoint runs
 * (every 1,000 pages), and explicit {@code wal_checkpoint(TRUNCATE)} attempts. Then
 * {@code hadb restore} must hold exactly the rows the file holds; again after writes made while
 * replicate was stopped (its start compares the file with the chain).
 */
class ReplicateCommandTest {
  @TempDir
  Path dir;

  @Test
  void aFileWrittenBySqlite3RestoresToTheSameRows() throws Exception {
    Path src = dir.resolve("app.db");
    sqlite3(src, "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB, n INTEGER);"
        + " INSERT INTO t(b, n) VALUES(randomblob(100), 0);");
    String chain = dir.resolve("chain").toUri().toString();

    Replicate r = Replicate.start(src, chain);
    long seq = r.seq();
    for (int session = 0; session < 4; session++) {
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < 150; i++) {
        sql.append("INSERT INTO t(b, n) VALUES(randomblob(3000), ").append(session).append(");");
      }
      sql.append("UPDATE t SET n = n + 100 WHERE id % 7 = 0; DELETE FROM t WHERE id % 11 = 0;");
      if (session % 2 == 1) {
        sql.append("PRAGMA wal_checkpoint(TRUNCATE);");
      }
      sqlite3(src, sql.toString());
      // Each session shipped before the next: at least five changesets, so a snapshot every four
      // is taken (on a busy machine two sessions once fell into one capture: three changesets).
      seq = r.awaitSeqAbove(seq);
    }
    r.stop();
    assertSameRows(src, restore(chain, "first.db"));
    HadbRun list = HadbRun.of("list", "--storage", chain);
    assertTrue(list.out().matches("(?s).*snapshots: +[12] at seq.*"), "snapshots taken and retained (2 at most): " + list.out());

    // written while nothing watched: the next start ships the difference
    sqlite3(src, "INSERT INTO t(b, n) VALUES(randomblob(5000), 9); DELETE FROM t WHERE id % 5 = 0;"
        + " PRAGMA wal_checkpoint(TRUNCATE);");
    Replicate again = Replicate.start(src, chain);
    sqlite3(src, "UPDATE t SET n = -1 WHERE id % 3 = 0;");
    again.stop();
    assertSameRows(src, restore(chain, "second.db"));
  }

  private Path restore(String chain, String name) {
    Path to = dir.resolve(name);
    assertEquals(0, HadbMain.run("restore", "--storage", chain, "--db", "app", "--to", to.toString()));
    return to;
  }

  private static void assertSameRows(Path expected, Path actual) throws Exception {
    List<String> want = rows(expected);
    List<String> got = rows(actual);
    assertTrue(want.size() > 300, "the writer made " + want.size() + " rows");
    assertEquals(want.size(), got.size(), "row count");
    assertEquals(want, got);
  }

  private static List<String> rows(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id, n, hex(b) FROM t ORDER BY id")) {
      while (r.next()) {
        out.add(r.getLong(1) + "|" + r.getLong(2) + "|" + r.getString(3));
      }
    }
    return out;
  }

  private static void sqlite3(Path db, String sql) throws Exception {
    Process p = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    // a TRUNCATE checkpoint that replicate's read transaction blocks answers "1|..." (busy): expected
    assertEquals(0, p.exitValue(), "sqlite3 failed: " + out);
  }

  /** {@code hadb replicate} in its own JVM, its output in a file. */
  private static final class Replicate {
    private static final Pattern SHIPPED = Pattern.compile("^hadb replicate: .*at seq (\\d+)$");

    final Process process;
    final Path log;

    private Replicate(Process p, Path log) {
      this.process = p;
      this.log = log;
    }

    List<String> output() {
      try {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return List.of("(reading " + log + " failed: " + e + ")");
      }
    }

    static Replicate start(Path src, String chain) throws Exception {
      String java = ProcessHandle.current().info().command().orElseThrow();
      Path log = Files.createTempFile(src.getParent(), "replicate", ".log");
      Process p = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), HadbMain.class.getName(), "replicate", src.toString(), "--storage", chain,
          "--poll", "50ms", "--snapshot-every", "4", "--retain-last", "2").redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Replicate r = new Replicate(p, log);
      r.await(() -> r.output().stream().anyMatch(l -> l.startsWith("hadb replicate: " + src)), "start");
      return r;
    }

    /** Polls the output until {@code done} holds; fails naming {@code what} when replicate exits or 30 s pass. */
    private void await(BooleanSupplier done, String what) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!done.getAsBoolean()) {
        assertTrue(process.isAlive() && System.nanoTime() < deadline, () -> "replicate did not " + what + ": " + output());
        Thread.sleep(20);
      }
    }

    /** The last seq replicate printed as shipped. */
    long seq() {
      long seq = -1;
      for (String line : output()) {
        Matcher m = SHIPPED.matcher(line);
        if (m.find()) {
          seq = Long.parseLong(m.group(1));
        }
      }
      return seq;
    }

    /** Waits until replicate says it shipped past {@code seq}; returns the seq it printed. */
    long awaitSeqAbove(long seq) throws InterruptedException {
      await(() -> seq() > seq, "ship past seq " + seq);
      return seq();
    }

    /** SIGTERM: replicate ships what is committed, then exits (143: ended by the signal, after its hooks). */
    void stop() throws Exception {
      process.destroy();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), () -> "replicate did not stop: " + output());
      assertEquals(143, process.exitValue(), () -> "replicate: " + output());
      assertTrue(output().stream().anyMatch(l -> l.startsWith("hadb replicate: stopped at seq ")), () -> "" + output());
    }
  }
}
