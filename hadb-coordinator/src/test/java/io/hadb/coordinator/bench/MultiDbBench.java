package io.hadb.coordinator.bench;

import io.hadb.testservers.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The many-databases benchmark ({@code benchmarks/multi-db.sh}, DESIGN §9): for each count, a
 * leader JVM opens that many databases and leads them, then a follower JVM opens the same ones and
 * follows; each prints what it holds ({@link ProcessFigures}). At one count both then sit idle for
 * a measured window while counting stores count what the lease store and storage were asked, per
 * idle database-hour. Last, the lag from a commit on the leader to the row being visible on a
 * follower in another JVM, over storage-local and over S3Proxy.
 *
 * <p>Arguments {@code key=value}: {@code counts} (default 100,1000), {@code idleAt} (the count
 * whose idle window is measured, default the largest), {@code idle} (seconds, default 120),
 * {@code lagRows} (default 300), {@code lagEveryMs} (default 20), {@code fsync} (storage-local and
 * the file: lease, default true), {@code dir} (default a temporary directory), {@code heap}
 * (the -Xmx of each JVM, default the JVM's own), {@code shape}
 * ({@code node}: one node per JVM hosting every database, the default; {@code each}: a node per
 * database, the shape before nodes hosted many), {@code pauseMs} (the leader JVM's stop after the
 * idle window, default 1000; 0 skips it), {@code leadersPerJvm} (default 2500: a count above it
 * is led by several leader JVMs, each printing its line, and followed by one JVM; an idle leader
 * holds six files open, measured: its database three times, its log twice, the shared memory once,
 * and a process may open at most {@code ulimit -n}, 20,000 here), {@code readIdleMs} (the SQLite setting, read
 * connections closed after this long unused; default 2000 here, so that a JVM opening thousands
 * of databases does not hold every one's first reader at once).
 */
public final class MultiDbBench {
  private static final Duration OPEN_BOUND = Duration.ofMinutes(30);

  private final Map<String, String> args;
  private final Path base;

  private MultiDbBench(Map<String, String> args) throws Exception {
    this.args = args;
    this.base = args.containsKey("dir") ? Path.of(args.get("dir")) : Files.createTempDirectory("hadb-multidb");
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String s : argv) {
      int eq = s.indexOf('=');
      a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    new MultiDbBench(a).run();
  }

  private void run() throws Exception {
    List<Integer> counts = Arrays.stream(args.getOrDefault("counts", "100,1000").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    int idleAt = Integer.parseInt(args.getOrDefault("idleAt", Integer.toString(counts.get(counts.size() - 1))));
    for (int n : counts) {
      scale(n, n == idleAt ? Integer.parseInt(args.getOrDefault("idle", "120")) : 0);
    }
    int rows = Integer.parseInt(args.getOrDefault("lagRows", "300"));
    if (rows > 0) {
      lag("local", fileUri(base.resolve("lag-local/chain")), rows);
      try (S3ProxyServer s3 = S3ProxyServer.start()) {
        s3.createBucket("hadb-lag");
        lag("s3proxy", s3.uri("hadb-lag", "lag", "filesystemCompat=true"), rows);
      }
    }
  }

  private String fileUri(Path dir) {
    return "file://" + dir.toAbsolutePath() + "?fsync=" + args.getOrDefault("fsync", "true");
  }

  private List<String> jvmFlags() {
    List<String> f = new ArrayList<>();
    if (args.containsKey("heap")) {
      f.add("-Xmx" + args.get("heap"));
    }
    return f;
  }

  private List<String> nodeArgs(String node, Path dir, String storage, int dbs, String prefix) {
    return nodeArgs(node, dir, storage, dbs, prefix, 0);
  }

  private List<String> nodeArgs(String node, Path dir, String storage, int dbs, String prefix, int from) {
    return List.of("node=" + node, "dir=" + dir.resolve(node), "dbs=" + dbs, "prefix=" + prefix, "from=" + from,
        "lease=counting+" + fileUri(dir.resolve("leases")), "storage=" + storage,
        "shape=" + args.getOrDefault("shape", "node"), "readIdleMs=" + args.getOrDefault("readIdleMs", "2000"));
  }

  /**
   * Opens {@code n} databases as leaders (in one JVM, or {@code leadersPerJvm} to a JVM) and as
   * followers in one other JVM.
   */
  private void scale(int n, int idleSeconds) throws Exception {
    Path dir = base.resolve("scale-" + n);
    String storage = "counting+" + fileUri(dir.resolve("chain"));
    int perJvm = Integer.parseInt(args.getOrDefault("leadersPerJvm", "2500"));
    int jvms = (n + perJvm - 1) / perJvm;
    List<BenchProcess> leaders = new ArrayList<>();
    try {
      for (int j = 0; j < jvms; j++) {
        int from = j * n / jvms;
        int count = (j + 1) * n / jvms - from;
        String id = jvms == 1 ? "L" : "L" + j;
        leaders.add(new BenchProcess("leader-" + n + (jvms == 1 ? "" : "-" + j), jvmFlags(),
            nodeArgs(id, dir, storage, count, "db", from)));
      }
      for (int j = 0; j < jvms; j++) {
        String l = leaders.get(j).await("OPEN", OPEN_BOUND);
        System.out.println(l + " role=leader" + (jvms == 1 ? "" : " jvm=" + (j + 1) + "/" + jvms));
      }
      BenchProcess leader = leaders.get(0);
      try (BenchProcess follower = new BenchProcess("follower-" + n, jvmFlags(), nodeArgs("F", dir, storage, n, "db", 0))) {
        String f = follower.await("OPEN", OPEN_BOUND);
        System.out.println(f + " role=follower");
        if (idleSeconds > 0 && jvms == 1) {
          leader.send("idle " + idleSeconds);
          follower.send("idle " + idleSeconds);
          Duration bound = Duration.ofSeconds(idleSeconds + 600);
          printIdle("leader", leader.await("IDLE", bound));
          printIdle("follower", follower.await("IDLE", bound));
          pause(leader, follower, n);
        }
      }
    } finally {
      for (BenchProcess l : leaders) {
        l.close();
      }
    }
  }

  /**
   * The leader JVM stopped for {@code pause} ms (SIGSTOP, then SIGCONT): how many databases lost
   * their lease (demotions on the leader, plus any the follower took), and how long until every
   * database is led again, by either JVM (polled every 250 ms, up to 60 s).
   */
  private void pause(BenchProcess leader, BenchProcess follower, int n) throws Exception {
    long pauseMs = Long.parseLong(args.getOrDefault("pauseMs", "1000"));
    if (pauseMs <= 0) {
      return;
    }
    leader.send("roles");
    long demotionsBefore = Long.parseLong(BenchProcess.field(leader.await("ROLES", Duration.ofMinutes(2)), "demotions"));
    long start = System.nanoTime();
    leader.signal("STOP");
    Thread.sleep(pauseMs);
    leader.signal("CONT");
    long allLed = -1;
    long lost = 0;
    long settleBound = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long quietUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos(); // long enough for a late demotion to show
    while (System.nanoTime() < settleBound) {
      leader.send("roles");
      follower.send("roles");
      String l = leader.await("ROLES", Duration.ofMinutes(2));
      String f = follower.await("ROLES", Duration.ofMinutes(2));
      long led = Long.parseLong(BenchProcess.field(l, "leading")) + Long.parseLong(BenchProcess.field(f, "leading"));
      lost = Long.parseLong(BenchProcess.field(l, "demotions")) - demotionsBefore;
      if (led == n && allLed < 0) {
        allLed = System.nanoTime();
      } else if (led != n) {
        allLed = -1;
      }
      if (allLed >= 0 && System.nanoTime() > quietUntil) {
        break;
      }
      Thread.sleep(250);
    }
    System.out.printf(Locale.ROOT, "pause_ms=%d dbs=%d lost_leases=%d all_led_again_s=%s%n", pauseMs, n, lost,
        allLed < 0 ? "never(60s)" : String.format(Locale.ROOT, "%.1f", Math.max(0, allLed - start - pauseMs * 1_000_000L) / 1e9));
  }

  private static void printIdle(String role, String fields) {
    double dbs = Double.parseDouble(BenchProcess.field(fields, "dbs"));
    double hours = Double.parseDouble(BenchProcess.field(fields, "seconds")) / 3600;
    long storage = Long.parseLong(BenchProcess.field(fields, "storage"));
    long lease = Long.parseLong(BenchProcess.field(fields, "lease"));
    System.out.printf(Locale.ROOT, "role=%s storage_requests_per_idle_db_hour=%.1f lease_ops_per_idle_db_hour=%.1f"
            + " (dbs=%d leading=%s window_s=%s storage=%d lease=%d %s)%n", role, storage / dbs / hours,
        lease / dbs / hours, (long) dbs, BenchProcess.field(fields, "leading"), BenchProcess.field(fields, "seconds"),
        storage, lease, BenchProcess.field(fields, "detail"));
  }

  /** Commit on a leader JVM, visible on a follower JVM: p50 and p99 over {@code rows} commits. */
  private void lag(String label, String storage, int rows) throws Exception {
    Path dir = base.resolve("lag-" + label);
    int every = Integer.parseInt(args.getOrDefault("lagEveryMs", "20"));
    try (BenchProcess leader = new BenchProcess("lag-leader", jvmFlags(), nodeArgs("L", dir, storage, 1, "lag"));
        BenchProcess follower = awaitOpen(leader, dir, storage)) {
      follower.send("lag-watch " + rows);
      leader.send("lag-write " + rows + " " + every);
      Duration bound = Duration.ofSeconds(120 + rows * (long) every / 1000);
      Map<Long, Long> commits = times(leader.collect("COMMIT", "WROTE", bound));
      Map<Long, Long> seen = times(follower.collect("SEEN", "WATCHED", bound));
      long[] lags = commits.entrySet().stream().mapToLong(e -> seen.get(e.getKey()) - e.getValue()).sorted().toArray();
      System.out.printf(Locale.ROOT, "storage=%s lag_ms_p50=%.1f lag_ms_p99=%.1f (rows=%d every_ms=%d max_ms=%.1f)%n",
          label, lags[lags.length / 2] / 1e6, lags[(int) Math.ceil(lags.length * 0.99) - 1] / 1e6, rows, every,
          lags[lags.length - 1] / 1e6);
    }
  }

  private BenchProcess awaitOpen(BenchProcess leader, Path dir, String storage) throws Exception {
    leader.await("OPEN", OPEN_BOUND);
    BenchProcess follower = new BenchProcess("lag-follower", jvmFlags(), nodeArgs("F", dir, storage, 1, "lag"));
    follower.await("OPEN", OPEN_BOUND);
    return follower;
  }

  private static Map<Long, Long> times(List<String> events) {
    Map<Long, Long> m = new HashMap<>();
    for (String e : events) {
      m.put(Long.parseLong(BenchProcess.field(e, "id")), Long.parseLong(BenchProcess.field(e, "t")));
    }
    return m;
  }
}
