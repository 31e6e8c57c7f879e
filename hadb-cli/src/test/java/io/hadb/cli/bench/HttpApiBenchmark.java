package io.hadb.cli.bench;

import io.hadb.api.Durability;
import io.hadb.cli.http.ApiLimits;
import io.hadb.cli.http.ApiServer;
import io.hadb.cli.http.ServedDatabase;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.lease.LeaseTimings;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests per second through {@code hadb serve}'s HTTP API against the same operations through
 * the Java facade, in one run on one leader and one follower ({@code file:} lease and chain, SYNC),
 * with {@code bench.clients} concurrent clients (16) for {@code bench.seconds} (5) per phase; and
 * the latency of writes forwarded through the follower, both ways. Prints the figures and the
 * ratios on stdout. Run by benchmarks/http-api.sh.
 */
public final class HttpApiBenchmark {
  private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
  private static final Duration PHASE = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
  private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 2));

  private HttpApiBenchmark() {}

  /** One client's operation; returns normally when it succeeded. */
  private interface Op {
    void run(int client, long i) throws Exception;
  }

  record Result(double perSecond, long p50Micros, long p99Micros) {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("hadb-http-bench");
    String lease = dir.resolve("lease").toUri().toString();
    String chain = dir.resolve("chain").toUri().toString();
    HaDatabase leader = open("n1", dir, lease, chain);
    leader.awaitReady(Duration.ofSeconds(30));
    HaDatabase follower = open("n2", dir, lease, chain);
    follower.awaitReady(Duration.ofSeconds(30));
    if (leader.role() != Role.LEADER) {
      throw new IllegalStateException("n1 was expected to lead");
    }
    ApiLimits limits = new ApiLimits(1 << 20, 1000, CLIENTS, Optional.empty());
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    try (ApiServer leaderApi = ApiServer.start(loopback, Optional.empty(), List.of(new ServedDatabase("app", leader)),
            limits, "n1", "bench");
        ApiServer followerApi = ApiServer.start(loopback, Optional.empty(),
            List.of(new ServedDatabase("app", follower)), limits, "n2", "bench")) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String leaderUrl = "http://127.0.0.1:" + leaderApi.address().getPort();
      String followerUrl = "http://127.0.0.1:" + followerApi.address().getPort();
      for (int i = 0; i < 1000; i++) {
        leader.execute("INSERT INTO kv(k, v) VALUES(?, ?)", "seed-" + i, i);
      }
      System.out.printf(Locale.ROOT, "hadb serve HTTP API against the Java facade: %d clients, %d s per phase,"
          + " SYNC, file: lease and chain, %s%n", CLIENTS, PHASE.toSeconds(), load());

      Result facadeWrite = phase((c, i) -> leader.execute("INSERT INTO kv(k, v) VALUES(?, ?)", "f" + c + "-" + i, i));
      Result httpWrite = phase((c, i) -> post(http, leaderUrl + "/db/execute",
          "[[\"INSERT INTO kv(k, v) VALUES(?, ?)\", \"h" + c + "-" + i + "\", " + i + "]]"));
      Result facadeRead = phase((c, i) -> leader.query(ReadConsistency.LOCAL, "SELECT v FROM kv WHERE k = ?",
          "seed-" + (i % 1000)));
      Result httpRead = phase((c, i) -> post(http, leaderUrl + "/db/query?level=local",
          "[[\"SELECT v FROM kv WHERE k = ?\", \"seed-" + (i % 1000) + "\"]]"));
      Result facadeForward = phase((c, i) -> follower.execute("INSERT INTO kv(k, v) VALUES(?, ?)",
          "ff" + c + "-" + i, i));
      Result httpForward = phase((c, i) -> post(http, followerUrl + "/db/execute",
          "[[\"INSERT INTO kv(k, v) VALUES(?, ?)\", \"hf" + c + "-" + i + "\", " + i + "]]"));

      line("write on the leader", facadeWrite, httpWrite);
      line("read on the leader (local)", facadeRead, httpRead);
      line("write through the follower", facadeForward, httpForward);
      System.out.printf(Locale.ROOT, "forwarded write latency through the follower: HTTP p50 %.2f ms, p99 %.2f ms;"
          + " facade p50 %.2f ms, p99 %.2f ms%n", httpForward.p50Micros() / 1e3, httpForward.p99Micros() / 1e3,
          facadeForward.p50Micros() / 1e3, facadeForward.p99Micros() / 1e3);
    } finally {
      follower.close();
      leader.close();
    }
  }

  private static HaDatabase open(String id, Path dir, String lease, String chain) {
    return HaDatabase.builder().lease(lease).storage(chain).database("app").nodeId(id)
        .secret("bench-forwarding-secret").durability(Durability.SYNC).timings(LeaseTimings.ofTtl(Duration.ofSeconds(2)))
        .closeOnShutdown(false)
        .open(dir.resolve(id).resolve("app.db"), "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);");
  }

  /**
   * One request on {@link HttpURLConnection}, which keeps connections alive per thread and costs
   * the client side less than {@link HttpClient} (its selector thread and hand-offs), so the
   * figures are more the server's.
   */
  private static void post(HttpClient unused, String url, String body) throws Exception {
    if (Boolean.getBoolean("bench.httpClient")) {
      HttpResponse<String> r = unused.send(HttpRequest.newBuilder(URI.create(url))
          .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
      return;
    }
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    c.setFixedLengthStreamingMode(b.length);
    try (java.io.OutputStream out = c.getOutputStream()) {
      out.write(b);
    }
    int status = c.getResponseCode();
    try (java.io.InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
      byte[] answer = in.readAllBytes();
      if (status != 200) {
        throw new IllegalStateException(url + " answered " + status + ": " + new String(answer));
      }
    }
  }

  /** Runs {@code op} on every client for a warm-up, then for the phase; ops/s and latency percentiles. */
  private static Result phase(Op op) throws Exception {
    run(op, WARMUP);
    return run(op, PHASE);
  }

  /** Each run's operations number from their own range, so every key written is new. */
  private static final AtomicLong RUNS = new AtomicLong();

  private static Result run(Op op, Duration length) throws Exception {
    long first = RUNS.getAndIncrement() * 100_000_000L;
    long end = System.nanoTime() + length.toNanos();
    List<long[]> latencies = new ArrayList<>();
    AtomicLong done = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(CLIENTS);
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < CLIENTS; c++) {
      long[] mine = new long[500_000];
      latencies.add(mine);
      int client = c;
      Thread t = new Thread(() -> {
        long i = 0;
        try {
          while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            op.run(client, first + i);
            mine[(int) Math.min(i, mine.length - 1)] = (System.nanoTime() - t0) / 1000;
            i++;
          }
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          done.addAndGet(i);
          mine[mine.length - 1] = i; // the count, read back below
          finished.countDown();
        }
      });
      t.start();
    }
    finished.await();
    double secs = (System.nanoTime() - start) / 1e9;
    if (!errors.isEmpty()) {
      throw new IllegalStateException("a client failed", errors.get(0));
    }
    List<Long> all = new ArrayList<>();
    for (long[] l : latencies) {
      long n = Math.min(l[l.length - 1], l.length - 1);
      for (int k = 0; k < n; k++) {
        all.add(l[k]);
      }
    }
    long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Result(done.get() / secs, pct(sorted, 0.50), pct(sorted, 0.99));
  }

  private static long pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static void line(String what, Result facade, Result http) {
    System.out.printf(Locale.ROOT, "%-28s facade %9.0f ops/s (p50 %6.2f ms)   HTTP %9.0f req/s (p50 %6.2f ms)"
        + "   HTTP/facade %.2f%n", what, facade.perSecond(), facade.p50Micros() / 1e3, http.perSecond(),
        http.p50Micros() / 1e3, http.perSecond() / facade.perSecond());
  }

  private static String load() {
    try {
      return "load " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "load unknown";
    }
  }
}
