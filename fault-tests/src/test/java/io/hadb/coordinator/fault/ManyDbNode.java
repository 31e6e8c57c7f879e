package io.hadb.coordinator.fault;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.HaNode;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.lease.LeaseTimings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One node JVM of {@link NodeKillFaultTest}: an {@link HaNode} (node lease) hosting {@code dbs}
 * databases {@code db0..}. Prints {@code @OPEN leading=n} once every database is ready; on
 * {@code write} its writer threads commit SYNC rows round-robin over the databases, each under a
 * request id, printing {@code @ACK db= k=} for each acknowledged one; {@code stop} ends the
 * writing ({@code @STOPPED}); {@code dump} prints {@code @DUMP db= rows= seq= keys=} for each
 * database from the local copy, then {@code @DUMPED}; {@code close} closes the node and exits.
 *
 * <p>Arguments: lease URI, storage URI, directory, node id, databases, ttl in ms, writers.
 */
public final class ManyDbNode {
  static final String SCHEMA = "CREATE TABLE t(k TEXT PRIMARY KEY, n INTEGER NOT NULL);";

  public static void main(String[] a) throws Exception {
    String lease = a[0];
    String storage = a[1];
    Path dir = Path.of(a[2]);
    String id = a[3];
    int n = Integer.parseInt(a[4]);
    Duration ttl = Duration.ofMillis(Long.parseLong(a[5]));
    int writers = Integer.parseInt(a[6]);
    HaNode node = HaDatabase.builder()
        .nodeId(id).lease(lease).storage(storage).secret("a-fault-test-secret-of-32-chars!")
        .timings(LeaseTimings.ofTtl(ttl)).durability(Durability.SYNC).environment(Map.of())
        .openNode();
    List<HaDatabase> dbs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dbs.add(node.open("db" + i, dir.resolve(id + "-db" + i + ".db"), SCHEMA));
    }
    for (HaDatabase db : dbs) {
      db.awaitReady(Duration.ofSeconds(60));
    }
    NodeMains.emit("OPEN", "node=" + id + " leading=" + dbs.stream().filter(d -> d.role() == Role.LEADER).count());
    AtomicBoolean writing = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.trim()) {
        case "write" -> {
          writing.set(true);
          for (int w = 0; w < writers; w++) {
            int first = w;
            threads.add(NodeMains.daemon("writer-" + w, () -> write(id, dbs, first, writers, writing)));
          }
        }
        case "stop" -> {
          writing.set(false);
          for (Thread t : threads) {
            t.join();
          }
          NodeMains.emit("STOPPED", "node=" + id);
        }
        case "dump" -> {
          for (int i = 0; i < dbs.size(); i++) {
            QueryResult r = dbs.get(i).query(ReadConsistency.LOCAL, "SELECT k FROM t ORDER BY k");
            StringBuilder keys = new StringBuilder();
            for (List<SqlValue> row : r.rows()) {
              keys.append(keys.length() == 0 ? "" : ",").append(((SqlValue.Text) row.get(0)).value());
            }
            NodeMains.emit("DUMP", "db=" + i + " rows=" + r.rows().size() + " seq=" + dbs.get(i).appliedSeq()
                + " keys=" + keys);
          }
          NodeMains.emit("DUMPED", "node=" + id);
        }
        case "close" -> {
          node.close();
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown command " + line);
      }
    }
  }

  /** Round-robin over the databases from {@code first}; an error is fine, only acknowledged rows count. */
  private static void write(String id, List<HaDatabase> dbs, int first, int step, AtomicBoolean writing) {
    long counter = 0;
    int i = first % dbs.size();
    while (writing.get()) {
      String k = id + "-" + first + "-" + counter++;
      String requestId = UUID.randomUUID().toString();
      try {
        dbs.get(i).executeBatch(requestId, List.of(SqlStatement.of("INSERT INTO t(k, n) VALUES (?, ?)", k, counter)));
        NodeMains.emit("ACK", "db=" + i + " k=" + k + " n=" + counter);
      } catch (HadbException e) {
        NodeMains.emit("FAILED", "db=" + i + " k=" + k + " code=" + e.code());
      }
      i = (i + step) % dbs.size();
    }
  }
}
