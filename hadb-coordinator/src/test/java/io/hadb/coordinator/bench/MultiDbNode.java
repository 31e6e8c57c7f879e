package io.hadb.coordinator.bench;

import io.hadb.api.Durability;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.HaNode;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.Role;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One JVM of the multi-database benchmark ({@link MultiDbBench} starts it). Opens {@code dbs}
 * databases on the given lease and storage URIs, waits until each is ready, prints
 * {@code @OPEN <figures>}, then obeys commands on stdin: {@code idle <seconds>} counts what the
 * lease store and storage were asked while nothing is written and prints {@code @IDLE}; {@code
 * lag-write <n> <ms>} (one database) commits n rows, one every ms, printing {@code @COMMIT};
 * {@code lag-watch} prints {@code @SEEN} as rows arrive; {@code roles} prints {@code @ROLES} (databases
 * leading, demotions and fences since open); {@code close} closes everything and exits.
 *
 * <p>Arguments {@code key=value}: lease, storage, dir, dbs, prefix (database names
 * {@code <prefix><i>}), from (the first i, default 0), readIdleMs (the SQLite engine's setting:
 * close read connections unused this long), node (node id), shape ({@code node}, the default: one {@link HaNode}
 * hosting every database; {@code each}: every database a node of its own, as before nodes
 * hosted many).
 */
public final class MultiDbNode {
  static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, at INTEGER NOT NULL);";
  static final String SECRET = "a-benchmark-secret-of-32-characters";

  private final Map<String, String> args;
  private final List<HaDatabase> dbs = new ArrayList<>();
  private HaNode node;

  private MultiDbNode(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String s : argv) {
      int eq = s.indexOf('=');
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    new MultiDbNode(a).run();
  }

  private void run() throws Exception {
    int n = Integer.parseInt(args.get("dbs"));
    long start = System.nanoTime();
    open(n);
    for (HaDatabase db : dbs) {
      db.awaitReady(Duration.ofMinutes(10));
    }
    double openSeconds = (System.nanoTime() - start) / 1e9;
    long leading = dbs.stream().filter(d -> d.role() == Role.LEADER).count();
    emit("OPEN", ProcessFigures.now().line(n, openSeconds) + " leading=" + leading);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "idle" -> idle(Integer.parseInt(cmd[1]));
        case "roles" -> roles();
        case "lag-write" -> lagWrite(Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]));
        case "lag-watch" -> lagWatch(Integer.parseInt(cmd[1]));
        case "close" -> {
          dbs.forEach(HaDatabase::close);
          if (node != null) {
            node.close();
          }
          emit("CLOSED", "");
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown command " + line);
      }
    }
  }

  /** Opens {@code n} databases on one node, or each a node of its own ({@code shape=each}). */
  private void open(int n) {
    String prefix = args.getOrDefault("prefix", "db");
    Path dir = Path.of(args.get("dir"));
    int from = Integer.parseInt(args.getOrDefault("from", "0"));
    if (!"each".equals(args.getOrDefault("shape", "node"))) {
      var builder = HaDatabase.builder()
          .nodeId(args.get("node"))
          .lease(args.get("lease"))
          .storage(args.get("storage"))
          .secret(SECRET)
          .durability(Durability.SYNC)
          .environment(Map.of());
      if (args.containsKey("readIdleMs")) {
        builder.engineSetting("readIdleMs", args.get("readIdleMs"));
      }
      node = builder.openNode();
      for (int i = from; i < from + n; i++) {
        dbs.add(node.open(prefix + i, dir.resolve(prefix + i + ".db"), SCHEMA));
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      String name = prefix + i;
      dbs.add(HaDatabase.builder()
          .database(name)
          .nodeId(args.get("node"))
          .lease(args.get("lease"))
          .storage(args.get("storage"))
          .secret(SECRET)
          .durability(Durability.SYNC)
          .environment(Map.of())
          .open(dir.resolve(name + ".db"), SCHEMA));
    }
  }

  private void idle(int seconds) throws InterruptedException {
    Map<String, Long> before = Counted.snapshot();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double measured = (System.nanoTime() - start) / 1e9;
    Map<String, Long> d = Counted.minus(Counted.snapshot(), before);
    long leading = dbs.stream().filter(db -> db.role() == Role.LEADER).count();
    emit("IDLE", "dbs=" + dbs.size() + " leading=" + leading + " seconds=" + String.format("%.1f", measured)
        + " storage=" + Counted.total(d, "storage") + " lease=" + Counted.total(d, "lease") + " detail=" + d
            .toString().replace(" ", ""));
  }

  /** How many databases lead now, and the demotions and fences since open, summed. */
  private void roles() {
    long leading = dbs.stream().filter(db -> db.role() == Role.LEADER).count();
    long demotions = dbs.stream().mapToLong(db -> db.metrics().snapshot().demotions()).sum();
    long fenced = dbs.stream().mapToLong(db -> db.metrics().snapshot().fenced()).sum();
    emit("ROLES", "dbs=" + dbs.size() + " leading=" + leading + " demotions=" + demotions + " fenced=" + fenced
        + " t=" + System.nanoTime());
  }

  private void lagWrite(int rows, int everyMs) throws InterruptedException {
    HaDatabase db = dbs.get(0);
    for (int i = 1; i <= rows; i++) {
      db.execute("INSERT INTO t(id, at) VALUES (?, ?)", i, System.nanoTime());
      emit("COMMIT", "id=" + i + " t=" + System.nanoTime());
      Thread.sleep(everyMs);
    }
    emit("WROTE", "rows=" + rows);
  }

  private void lagWatch(int rows) {
    HaDatabase db = dbs.get(0);
    long seen = 0;
    while (seen < rows) {
      QueryResult r = db.query(ReadConsistency.LOCAL, "SELECT max(id) FROM t");
      SqlValue v = r.rows().get(0).get(0);
      long max = v instanceof SqlValue.Int iv ? iv.value() : 0;
      if (max > seen) {
        long now = System.nanoTime();
        for (long i = seen + 1; i <= max; i++) {
          emit("SEEN", "id=" + i + " t=" + now);
        }
        seen = max;
      } else {
        Thread.onSpinWait();
        try {
          Thread.sleep(0, 200_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    emit("WATCHED", "rows=" + rows);
  }

  static void emit(String event, String fields) {
    System.out.println("@" + event + " " + fields);
    System.out.flush();
  }
}
