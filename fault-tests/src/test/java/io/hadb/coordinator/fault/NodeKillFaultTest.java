package io.hadb.coordinator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of many databases killed mid-write (DESIGN §9.1), on real processes: node A leads every
 * database, node B follows them all, both write SYNC rows to every database (B's forwarded to A);
 * A gets {@code kill -9}. Then every database gets a leader again (B, after it finds A's node
 * lease expired and breaks it), no acknowledged write is lost on any of them, and a third node
 * opened afterwards holds copies identical to B's. Prints the time from the kill until the last
 * database acknowledged a write again.
 *
 * <p>{@code -Dhadb.fault.nodeDatabases=N} (default 6; the full run is 50) and
 * {@code -Dhadb.fault.nodeTtlMs} (default 1000).
 */
@Tag("fault")
@Timeout(600)
class NodeKillFaultTest {
  static final int DATABASES = Integer.getInteger("hadb.fault.nodeDatabases", 6);
  static final long TTL_MS = Long.getLong("hadb.fault.nodeTtlMs", 1000);
  static final int WRITERS = 4;
  static final Duration BOUND = Duration.ofSeconds(120);

  @TempDir Path dir;

  private NodeProcess start(String id) throws Exception {
    Files.createDirectories(dir.resolve(id));
    return NodeProcess.start(id, ManyDbNode.class, "-Xmx256m", List.of(), List.of(
        "file://" + dir.resolve("leases").toAbsolutePath() + "?fsync=false",
        "file://" + dir.resolve("chain").toAbsolutePath() + "?fsync=false",
        dir.resolve(id).toString(), id, Integer.toString(DATABASES), Long.toString(TTL_MS),
        Integer.toString(WRITERS)));
  }

  @Test
  void everyDatabaseOfAKilledNodeGetsALeaderAgainWithEveryAcknowledgedWrite() throws Exception {
    try (NodeProcess a = start("a")) {
      assertEquals(DATABASES, a.await("OPEN", BOUND).num("leading"), "the first node leads every database");
      try (NodeProcess b = start("b")) {
        assertEquals(0, b.await("OPEN", BOUND).num("leading"));
        a.send("write");
        b.send("write");
        // Writes on every database from both nodes before the kill.
        for (int i = 0; i < DATABASES; i++) {
          int db = i;
          a.await("ACK", e -> e.num("db") == db, BOUND);
          b.await("ACK", e -> e.num("db") == db, BOUND);
        }
        long killedAt = a.kill9();
        long lastBack = 0;
        for (int i = 0; i < DATABASES; i++) {
          int db = i;
          NodeProcess.Event back = b.await("ACK", e -> e.num("db") == db && e.at() > killedAt, BOUND);
          lastBack = Math.max(lastBack, back.at());
        }
        b.send("stop");
        b.await("STOPPED", BOUND);
        Map<Integer, Set<String>> acked = new HashMap<>();
        for (NodeProcess n : List.of(a, b)) {
          for (NodeProcess.Event e : n.events("ACK")) {
            acked.computeIfAbsent((int) e.num("db"), k -> new HashSet<>()).add(e.str("k"));
          }
        }
        try (NodeProcess c = start("c")) {
          assertEquals(0, c.await("OPEN", BOUND).num("leading"), "b leads every database now");
          Map<Integer, NodeProcess.Event> onB = dump(b);
          Map<Integer, NodeProcess.Event> onC = awaitSameCopies(c, onB);
          long lost = 0;
          for (int i = 0; i < DATABASES; i++) {
            Set<String> rows = keys(onB.get(i));
            Set<String> missing = new HashSet<>(acked.getOrDefault(i, Set.of()));
            missing.removeAll(rows);
            lost += missing.size();
            assertTrue(missing.isEmpty(), "db" + i + " lost acknowledged writes " + missing);
            assertEquals(onB.get(i).str("keys"), onC.get(i).str("keys"), "db" + i + ": b's and c's copies differ");
          }
          int ackedTotal = acked.values().stream().mapToInt(Set::size).sum();
          System.out.printf("node kill: dbs=%d ttl_ms=%d acked=%d lost=%d last_db_writable_after_ms=%.0f%n",
              DATABASES, TTL_MS, ackedTotal, lost, (lastBack - killedAt) / 1e6);
          c.closeGracefully();
        }
        b.closeGracefully();
      }
    }
  }

  /** {@code @DUMP} of every database on {@code n}, by database. */
  private static Map<Integer, NodeProcess.Event> dump(NodeProcess n) throws Exception {
    int before = n.events("DUMPED").size();
    n.send("dump");
    n.await("DUMPED", e -> true, BOUND);
    while (n.events("DUMPED").size() <= before) {
      Thread.sleep(10);
    }
    List<NodeProcess.Event> all = n.events("DUMP");
    Map<Integer, NodeProcess.Event> last = new HashMap<>();
    for (NodeProcess.Event e : all.subList(all.size() - DATABASES, all.size())) {
      last.put((int) e.num("db"), e);
    }
    return last;
  }

  /** Dumps {@code c} until each of its copies is at {@code b}'s seq (it follows b's chain). */
  private static Map<Integer, NodeProcess.Event> awaitSameCopies(NodeProcess c, Map<Integer, NodeProcess.Event> onB)
      throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      Map<Integer, NodeProcess.Event> onC = dump(c);
      List<Integer> behind = new ArrayList<>();
      for (int i = 0; i < DATABASES; i++) {
        if (onC.get(i).num("seq") < onB.get(i).num("seq")) {
          behind.add(i);
        }
      }
      if (behind.isEmpty()) {
        return onC;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("c did not catch up with b on databases " + behind + "\n" + c.describe());
      }
      Thread.sleep(200);
    }
  }

  private static Set<String> keys(NodeProcess.Event dump) {
    String k = dump.str("keys");
    return k == null || k.isEmpty() ? Set.of() : new HashSet<>(List.of(k.split(",")));
  }
}
