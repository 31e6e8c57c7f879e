package io.hadb.engine.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A follower's file stays locked against writers in other processes while its readers use it
 * (DESIGN §6.6: one read-write process or many read-only ones, never both). POSIX locks belong
 * to the process and closing any descriptor of a file drops them all, so a follower that reads
 * its file's header through a channel it then closes (every apply reads the stamp) would let
 * another process open the file read-write under its readers. Checked from a second JVM.
 */
class FollowerFileLockTest extends LocalChainTest {
  private static final DuckdbOptions SYNC = DuckdbOptions.defaults().withDurability(Durability.SYNC);

  /** Child JVM: opens the file read-write and prints OPENED, or REFUSED and DuckDB's message. */
  public static void main(String[] args) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      System.out.println("OPENED");
    } catch (Exception e) {
      System.out.println("REFUSED " + e.getMessage());
    }
  }

  private static String openFromAnotherProcess(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), FollowerFileLockTest.class.getName(), file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end: " + out);
    return out;
  }

  @Test
  void anotherProcessCannotOpenAFollowersFileReadWriteAfterItsApplies() throws Exception {
    try (DuckdbEngine leader = leader("a.duckdb", SYNC); DuckdbEngine follower = open("b.duckdb", SYNC)) {
      leader.executor().execute("CREATE TABLE t(id BIGINT PRIMARY KEY)", List.of());
      for (int i = 0; i < 3; i++) {
        leader.executor().execute("INSERT INTO t VALUES (" + i + ")", List.of());
        follower.replicator().pull(); // each apply swaps the file and reads its stamp
      }
      assertEquals(3L, ((io.hadb.api.engine.SqlValue.Int) follower.executor()
          .query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0)).value());
      String answer = openFromAnotherProcess(dir.resolve("b.duckdb"));
      assertTrue(answer.startsWith("REFUSED") && answer.toLowerCase().contains("lock"),
          "a second process opened the follower's file read-write while its readers use it: " + answer);
    }
  }
}
