package io.hadb.jdbc.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.api.engine.SqlValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §12 under a crash: three node JVMs run read-modify-write transactions through JDBC
 * (SYNC, ttl 1 s); the leader is killed with {@code kill -9}; the other two go on under the new
 * leader. Then: every acknowledged transaction is in the ledger (none lost), and the counter
 * that each transaction read and incremented equals the ledger's rows (none applied twice or in
 * part).
 */
@Tag("fault")
class JdbcFailoverFaultTest {
  @TempDir Path dir;

  private static final class Node {
    final String name;
    final Process process;
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    volatile boolean leader;
    volatile boolean ready;

    Node(String name, Process process) {
      this.name = name;
      this.process = process;
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("ACK ")) {
              acked.add(line.substring(4));
            } else if (line.equals("LEADER")) {
              leader = true;
            } else if (line.equals("READY")) {
              ready = true;
            } else if (line.startsWith("GAVEUP")) {
              System.out.println(name + ": " + line);
            }
          }
        } catch (java.io.IOException e) {
          // the process ended
        }
      }, "read-" + name);
      t.setDaemon(true);
      t.start();
    }
  }

  private Node start(String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // C1 and the serial collector, like every node JVM of the fault tests: they live seconds.
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        JdbcNode.class.getName(), dir.toString(), name);
    pb.redirectError(dir.resolve(name + ".err").toFile());
    return new Node(name, pb.start());
  }

  private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void killedLeaderLosesNoCommittedTransactionAndAppliesNoneTwice() throws Exception {
    List<Node> nodes = new ArrayList<>();
    try {
      Node n1 = start("n1");
      nodes.add(n1);
      await("n1 leads", () -> n1.leader && n1.ready);
      nodes.add(start("n2"));
      nodes.add(start("n3"));
      await("every node acknowledged transactions", () -> nodes.stream().allMatch(n -> n.acked.size() >= 3));
      n1.process.destroyForcibly(); // SIGKILL
      n1.process.waitFor();
      List<Node> rest = nodes.subList(1, 3);
      long[] before = rest.stream().mapToLong(n -> n.acked.size()).toArray();
      await("the survivors acknowledged more under a new leader",
          () -> rest.get(0).acked.size() > before[0] + 5 && rest.get(1).acked.size() > before[1] + 5);
      for (Node n : rest) {
        n.process.destroy(); // SIGTERM: graceful
        n.process.waitFor();
      }
    } finally {
      nodes.forEach(n -> n.process.destroyForcibly());
    }
    // A fresh node reads the chain: what the cluster committed, and nothing else.
    try (HaDatabase check = HaDatabase.builder()
        .database("bank").nodeId("check").secret("a-shared-secret-of-32-characters")
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(1))).durability(Durability.SYNC)
        .environment(Map.of()).closeOnShutdown(false)
        .lease("file://" + dir.resolve("leases") + "?fsync=false").storage("file://" + dir.resolve("chain"))
        .open(dir.resolve("check.db"), "CREATE TABLE ledger(id TEXT PRIMARY KEY, node TEXT NOT NULL);"
            + " CREATE TABLE counter(n INTEGER NOT NULL); INSERT INTO counter VALUES (0);")) {
      check.awaitReady(Duration.ofSeconds(30));
      Set<String> ledger = ConcurrentHashMap.newKeySet();
      check.query(ReadConsistency.LOCAL, "SELECT id FROM ledger").rows()
          .forEach(r -> ledger.add(((SqlValue.Text) r.get(0)).value()));
      long counter = ((SqlValue.Int) check.query(ReadConsistency.LOCAL, "SELECT n FROM counter").rows().get(0).get(0))
          .value();
      long acked = 0;
      for (Node n : nodes) {
        for (String id : n.acked) {
          assertTrue(ledger.contains(id), "acknowledged transaction " + id + " of " + n.name + " is lost");
        }
        acked += n.acked.size();
      }
      assertEquals(ledger.size(), counter, "every transaction applied whole and once: counter == ledger rows");
      System.out.println("jdbc failover: acked=" + acked + " ledger=" + ledger.size() + " counter=" + counter);
    }
  }
}
