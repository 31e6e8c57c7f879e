package io.hadb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.cli.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code hadb serve} processes on a {@code file:} lease and chain, shared by every test of
 * the class, driven by real clients: curl, a Python script using only its standard library, and
 * headless Chromium for the status page. The kill -9 of the leader runs last; the operator
 * commands run against the chain the cluster wrote.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeClusterTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final Duration TTL = Duration.ofSeconds(1);

  @TempDir
  static Path dir;

  static final List<ServeNode> nodes = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    Files.writeString(dir.resolve("secret"), "forwarding-secret-0123456789\n");
    Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);\n"
        + "CREATE TABLE py(k TEXT NOT NULL, n INTEGER);\n");
    for (int i = 1; i <= 3; i++) {
      nodes.add(ServeNode.start("n" + i, List.of("--database", "app=" + dir.resolve("n" + i).resolve("app.db"),
          "--database", "other=" + dir.resolve("n" + i).resolve("other.db"),
          "--schema", "app=" + dir.resolve("schema.sql"), "--lease", uri("lease"), "--storage", uri("chain"),
          "--secret-file", dir.resolve("secret").toString(), "--token-file", dir.resolve("token").toString(),
          "--listen", "127.0.0.1:0", "--ttl", TTL.toMillis() + "ms", "--node-id", "n" + i,
          "--max-body-bytes", "4096", "--max-statements", "10", "--snapshot-every", "8")));
    }
    for (ServeNode n : nodes) {
      Curl.Reply r = Curl.run(n.awaitUrl(Duration.ofSeconds(60)) + "/readyz?wait=30s");
      assertEquals(200, r.status(), () -> "readyz of " + n.id + ": " + r + "\n" + describeAll());
    }
  }

  @AfterAll
  static void stopCluster() {
    for (ServeNode n : nodes) {
      n.close();
    }
  }

  private static String uri(String name) {
    return dir.resolve(name).toUri().toString();
  }

  private static String describeAll() {
    StringBuilder sb = new StringBuilder();
    nodes.forEach(n -> sb.append(n.describe()).append('\n'));
    return sb.toString();
  }

  private static Curl.Reply post(ServeNode n, String path, String body, String... headers)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-X", "POST", "-H", "Authorization: Bearer " + TOKEN,
        "-H", "Content-Type: application/json", "--data-binary", body));
    for (String h : headers) {
      args.add("-H");
      args.add(h);
    }
    args.add(n.url() + path);
    return Curl.run(args.toArray(new String[0]));
  }

  private static Curl.Reply get(ServeNode n, String path) throws IOException, InterruptedException {
    return Curl.run("-H", "Authorization: Bearer " + TOKEN, n.url() + path);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Curl.Reply r) throws Json.ParseException {
    return (Map<String, Object>) Json.parse(r.body());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> appStatus(ServeNode n) throws Exception {
    Curl.Reply r = get(n, "/status");
    assertEquals(200, r.status(), r::toString);
    return (Map<String, Object>) ((Map<String, Object>) json(r).get("databases")).get("app");
  }

  /** The live node whose /status says it leads, waiting for one (a takeover takes about a ttl). */
  private static ServeNode leader() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (ServeNode n : nodes) {
        if (n.isAlive() && "leader".equals(appStatus(n).get("role"))) {
          return n;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no node leads within 30 s\n" + describeAll());
  }

  private static boolean sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
    return true;
  }

  private static ServeNode follower() throws Exception {
    ServeNode l = leader();
    return nodes.stream().filter(n -> n != l && n.isAlive()).findFirst().orElseThrow();
  }

  /** A query's single value, read at {@code level} on {@code n}. */
  @SuppressWarnings("unchecked")
  private static Object scalar(ServeNode n, String level, String sql) throws Exception {
    Curl.Reply r = post(n, "/db/query?level=" + level, Json.write(List.of(sql)));
    assertEquals(200, r.status(), r::toString);
    List<Object> results = (List<Object>) json(r).get("results");
    return ((List<List<Object>>) ((Map<String, Object>) results.get(0)).get("values")).get(0).get(0);
  }

  @Test
  @Order(1)
  void writesThroughAFollowerAreReadAtEveryLevel() throws Exception {
    ServeNode f = follower();
    Curl.Reply w = post(f, "/db/execute?seq", "[[\"INSERT INTO t(v) VALUES(?)\", \"one\"],"
        + " [\"INSERT INTO t(v) VALUES(:v)\", {\"v\": \"two\"}]]");
    assertEquals(200, w.status(), w::toString);
    Map<String, Object> body = json(w);
    assertEquals(2, ((List<?>) body.get("results")).size(), w::toString);
    long seq = (Long) body.get("seq");
    assertTrue(seq > 0, w::toString);

    assertEquals(2L, scalar(f, "ryw", "SELECT count(*) FROM t WHERE v IN ('one', 'two')"));
    assertEquals(2L, scalar(leader(), "local", "SELECT count(*) FROM t WHERE v IN ('one', 'two')"));
    for (ServeNode n : nodes) {
      assertEquals(2L, scalar(n, "leader", "SELECT count(*) FROM t WHERE v IN ('one', 'two')"), n.id);
      Curl.Reply atSeq = get(n, "/db/query?q=SELECT+count(*)+FROM+t+WHERE+v+IN+('one','two')&level=local&seq=" + seq
          + "&associative");
      assertEquals(200, atSeq.status(), atSeq::toString);
      assertTrue(atSeq.body().contains("{\"count(*)\":2}"), () -> n.id + ": " + atSeq);
    }

    // a write on the leader names its seq at once; every follower waits for it before reading
    Curl.Reply lw = post(leader(), "/db/execute", "[[\"INSERT INTO t(v) VALUES(?)\", \"three\"]]");
    long leaderSeq = (Long) json(lw).get("seq");
    for (ServeNode n : nodes) {
      Curl.Reply r = get(n, "/db/query?q=SELECT+count(*)+FROM+t+WHERE+v='three'&level=local&seq=" + leaderSeq);
      assertTrue(r.body().contains("[[1]]"), () -> n.id + ": " + r);
    }
  }

  @Test
  @Order(2)
  void aTransactionThatFailsHalfWayLeavesNothingAndNamesTheStatement() throws Exception {
    ServeNode f = follower();
    Curl.Reply r = post(f, "/db/execute?transaction", "[[\"INSERT INTO t(v) VALUES(?)\", \"half\"],"
        + " \"INSERT INTO no_such_table VALUES(1)\"]");
    assertEquals(400, r.status(), r::toString);
    Map<String, Object> body = json(r);
    assertEquals("SQL_ERROR", body.get("code"), r::toString);
    assertEquals(false, body.get("applied"), r::toString);
    assertEquals(1L, body.get("statement"), r::toString);
    assertEquals("INSERT INTO no_such_table VALUES(1)", body.get("sql"), r::toString);
    assertEquals(0L, scalar(f, "leader", "SELECT count(*) FROM t WHERE v = 'half'"));
  }

  @Test
  @Order(3)
  void badJsonBadTokenAndOversizedBodiesAreRefusedClearly() throws Exception {
    ServeNode n = nodes.get(0);
    Curl.Reply badJson = post(n, "/db/execute", "[[\"INSERT INTO t(v) VALUES(1)\"");
    assertEquals(400, badJson.status(), badJson::toString);
    assertTrue(badJson.body().contains("malformed JSON at offset"), badJson::toString);

    Curl.Reply badToken = Curl.run("-X", "POST", "-H", "Authorization: Bearer wrong", "--data-binary", "[\"SELECT 1\"]",
        n.url() + "/db/query");
    assertEquals(401, badToken.status(), badToken::toString);
    Curl.Reply noToken = Curl.run(n.url() + "/status");
    assertEquals(401, noToken.status(), noToken::toString);

    String big = "[\"SELECT '" + "x".repeat(5000) + "'\"]";
    Curl.Reply oversized = post(n, "/db/query", big);
    assertEquals(413, oversized.status(), oversized::toString);
    assertTrue(oversized.body().contains("--max-body-bytes"), oversized::toString);

    Curl.Reply tooMany = post(n, "/db/query", Json.write(java.util.Collections.nCopies(11, "SELECT 1")));
    assertEquals(400, tooMany.status(), tooMany::toString);
    assertTrue(tooMany.body().contains("at most 10"), tooMany::toString);

    Curl.Reply notAList = post(n, "/db/execute", "{\"sql\": \"SELECT 1\"}");
    assertEquals(400, notAList.status(), notAList::toString);
  }

  @Test
  @Order(4)
  void statusMetricsOpenapiAndReadiness() throws Exception {
    ServeNode l = leader();
    // every node names the leader; a follower learns a new one within a poll, so this is waited for
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Object> named;
    String leading;
    do {
      leading = (String) appStatus(leader()).get("address");
      named = new ArrayList<>();
      for (ServeNode n : nodes) {
        named.add(appStatus(n).get("leader"));
      }
    } while (!named.stream().allMatch(leading::equals) && System.nanoTime() < deadline && sleep(50));
    assertEquals(java.util.Collections.nCopies(nodes.size(), leading), named);
    Curl.Reply m = get(l, "/metrics");
    assertEquals(200, m.status());
    assertTrue(m.body().contains("hadb_role{db=\"app\",node=\"n"), m::toString);
    assertTrue(m.body().contains("hadb_http_requests_total{path=\"/status\",status=\"200\"}"), m::toString);
    Curl.Reply api = get(l, "/openapi.yaml");
    assertEquals(200, api.status());
    assertTrue(api.body().startsWith("openapi: 3"), api::toString);
    assertEquals(200, Curl.run(l.url() + "/readyz").status());
    for (ServeNode n : nodes) {
      Curl.Reply caughtUp = Curl.run(n.url() + "/readyz?caught_up&wait=10s");
      assertEquals(200, caughtUp.status(), () -> n.id + ": " + caughtUp);
    }
  }

  /**
   * Two databases on one node: a request names one ({@code ?db}, else the first given), the
   * metrics hold both under one family each.
   */
  @Test
  @Order(5)
  void aServerOfTwoDatabasesRoutesByName() throws Exception {
    ServeNode f = follower();
    assertEquals(200, post(f, "/db/execute?db=other", "[\"CREATE TABLE IF NOT EXISTS o(x)\", \"INSERT INTO o VALUES(7)\"]")
        .status());
    assertEquals(7L, scalar(f, "leader&db=other", "SELECT x FROM o"));
    Curl.Reply unnamed = post(f, "/db/query?level=leader", "[\"SELECT x FROM o\"]");
    assertEquals(400, unnamed.status(), () -> "no ?db: the first database, app, which has no table o: " + unnamed);
    assertTrue(unnamed.body().contains("no such table: o"), unnamed::toString);
    Curl.Reply missing = post(f, "/db/query?db=nope", "[\"SELECT 1\"]");
    assertEquals(404, missing.status(), missing::toString);
    String metrics = get(f, "/metrics").body();
    assertEquals(1, metrics.split("# TYPE hadb_epoch ", -1).length - 1, metrics);
    assertTrue(metrics.contains("hadb_epoch{db=\"app\"") && metrics.contains("hadb_epoch{db=\"other\""), metrics);
  }

  /**
   * The page at / as headless Chromium renders it (after its script fetched /status), leader read
   * off it. A leadership change while the page loads (a loaded machine and a 1 s ttl) makes the
   * expectation stale, so the load is repeated until the leader is the same before and after.
   */
  @Test
  @Order(6)
  void theStatusPageShowsTheLeader() throws Exception {
    String chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium")
        .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new AssertionError("chromium is not installed: apt-get install chromium (./hadb test does)"));
    for (int attempt = 0; attempt < 5; attempt++) {
      String before = (String) appStatus(leader()).get("address");
      ServeNode f = follower();
      Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--user-data-dir=" + dir.resolve("chromium"), "--virtual-time-budget=2000", "--dump-dom",
          f.url() + "/#token=" + TOKEN).redirectError(dir.resolve("chromium.log").toFile()).start();
      String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not end");
      String after = (String) appStatus(leader()).get("address");
      if (!before.equals(after)) {
        continue;
      }
      Matcher m = Pattern.compile("data-field=\"leader\"[^>]*>([^<]*)<").matcher(dom);
      assertTrue(m.find(), () -> "no leader on the page:\n" + dom);
      assertEquals(before, m.group(1), () -> "page:\n" + dom);
      Matcher role = Pattern.compile("data-field=\"role\"[^>]*>([^<]*)<").matcher(dom);
      assertTrue(role.find(), () -> "no role on the page:\n" + dom);
      assertEquals(before.equals(appStatus(f).get("address")) ? "leader" : "follower", role.group(1), dom);
      return;
    }
    throw new AssertionError("the leader changed during each of 5 page loads\n" + describeAll());
  }

  @Test
  @Order(7)
  void restoreAtAMomentMatchesTheDataOfThatMoment() throws Exception {
    ServeNode l = leader();
    for (int i = 0; i < 8; i++) { // the leader snapshots every 8 changesets: the restore starts from one
      assertEquals(200, post(l, "/db/execute", "[[\"INSERT INTO t(v) VALUES(?)\", \"early-" + i + "\"]]").status());
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(200, post(l, "/db/execute", "[[\"INSERT INTO t(v) VALUES(?)\", \"before-" + i + "\"]]").status());
    }
    List<String> then = rows(l);
    Thread.sleep(20); // the moment lies strictly between the two groups of commits on the leader's clock
    Instant moment = Instant.now();
    Thread.sleep(20);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, post(l, "/db/execute", "[[\"INSERT INTO t(v) VALUES(?)\", \"after-" + i + "\"]]").status());
    }
    Path restored = dir.resolve("restored-at-moment.db");
    assertEquals(ExitCodes.OK, HadbMain.run("restore", "--storage", uri("chain"), "--db", "app", "--to",
        restored.toString(), "--time", moment.toString()));
    assertEquals(then, rowsOf(restored));
    assertFalse(then.stream().anyMatch(v -> v.startsWith("after-")));

    Path latest = dir.resolve("restored-latest.db");
    assertEquals(ExitCodes.OK, HadbMain.run("restore", "--storage", uri("chain"), "--db", "app", "--to",
        latest.toString()));
    assertEquals(rows(l), rowsOf(latest));
    try (Stream<Path> s = Files.walk(dir.resolve("chain"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".snap")), "the chain holds a snapshot");
    }
  }

  @Test
  @Order(8)
  void operatorCommandsExitWithTheirDocumentedCodes() throws Exception {
    assertEquals(ExitCodes.OK, HadbMain.run("verify", "--storage", uri("chain"), "--db", "app"));
    assertEquals(ExitCodes.OK, HadbMain.run("list", "--storage", uri("chain")));
    assertEquals(ExitCodes.RESTORE, HadbMain.run("restore", "--storage", uri("chain"), "--db", "app", "--to",
        dir.resolve("never.db").toString(), "--seq", "999999"));
    assertFalse(Files.exists(dir.resolve("never.db")));
    assertEquals(ExitCodes.RESTORE, HadbMain.run("verify", "--storage", uri("chain"), "--db", "nothing-here"));
    assertEquals(ExitCodes.USAGE, HadbMain.run("restore", "--storage", uri("chain"), "--db", "app", "--to",
        dir.resolve("x.db").toString(), "--time", "yesterday"));
    assertEquals(ExitCodes.USAGE, HadbMain.run("restore", "--storage", uri("chain"), "--db", "app"));
    assertEquals(ExitCodes.USAGE, HadbMain.run("list", "--storage", "nosuchscheme://x"));
    assertEquals(ExitCodes.OK, HadbMain.run("prune", "--dry-run", "--storage", uri("chain"), "--db", "app",
        "--keep-last", "1"));
    // deleting needs the manifest (--lease), whatever the policy
    assertEquals(ExitCodes.USAGE, HadbMain.run("prune", "--storage", uri("chain"), "--db", "app"));

    // a copy of the chain with one byte of one changeset flipped: verify names it and exits 4
    Path broken = dir.resolve("broken-chain");
    copyTree(dir.resolve("chain"), broken);
    Path victim;
    try (Stream<Path> s = Files.walk(broken)) {
      // the newest changeset: verify and restore read it whichever snapshot they start from
      victim = s.filter(p -> p.getFileName().toString().endsWith(".hadbp"))
          .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
    }
    byte[] b = Files.readAllBytes(victim);
    b[b.length / 2] ^= 0x40;
    Files.write(victim, b);
    assertEquals(ExitCodes.INTEGRITY, HadbMain.run("verify", "--storage", broken.toUri().toString(), "--db", "app"));
    assertEquals(ExitCodes.INTEGRITY, HadbMain.run("restore", "--storage", broken.toUri().toString(), "--db", "app",
        "--to", dir.resolve("from-broken.db").toString()));
    assertFalse(Files.exists(dir.resolve("from-broken.db")));
  }

  /**
   * The Python client writes to the leader, each row under its own idempotency key, and kills it
   * with SIGKILL a third of the way in while a write is in flight; it retries that row with the
   * same key on the next node (a follower, which forwards it to the new leader once there is
   * one): every row ends up in the table exactly once.
   */
  @Test
  @Order(9)
  void aPythonClientRetryingByKeyThroughAKill9OfTheLeaderAppliesEachRowOnce() throws Exception {
    ServeNode l = leader();
    ServeNode f = follower();
    int rows = 30;
    String urls = l.url() + "," + f.url();
    String out = pythonClient(urls, rows, rows / 3, l.pid(), "py", 0);
    assertTrue(out.startsWith("ok: " + rows + " rows acknowledged, " + rows + " in the table, doubled []"), out);
    assertFalse(out.contains(" 0 retries"), () -> "the kill during a write made the client retry: " + out);
    assertFalse(l.isAlive(), "the leader was killed");
    assertNotEquals(l, leader(), "another node leads");
  }

  /** The client's check catches a row applied twice (here written twice behind its back). */
  @Test
  @Order(10)
  void thePythonClientsCheckCatchesARowAppliedTwice() throws Exception {
    ServeNode f = follower();
    assertEquals(200, post(f, "/db/execute", "[\"CREATE TABLE py_doubled(k TEXT NOT NULL, n INTEGER)\","
        + " \"INSERT INTO py_doubled VALUES('row-1', 1)\"]").status());
    String out = pythonClient(f.url(), 3, -1, 0, "py_doubled", 1);
    assertTrue(out.startsWith("FAILED: 3 rows acknowledged, 4 in the table, doubled [['row-1', 2]]"), out);
  }

  /** Runs the Python client; its summary line, after checking its exit code. */
  private static String pythonClient(String urls, int rows, int killAfter, long leaderPid, String table,
      int exitCode) throws Exception {
    Process p = new ProcessBuilder("python3", Path.of("src/test/python/retrying_client.py").toString(), urls,
        TOKEN, Integer.toString(rows), Integer.toString(killAfter), Long.toString(leaderPid), table)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the python client did not end");
    assertEquals(exitCode, p.exitValue(), () -> "python client: " + out + "\n" + describeAll());
    System.out.println("python client on " + table + ": " + out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> rows(ServeNode n) throws Exception {
    Curl.Reply r = post(n, "/db/query?level=leader", "[\"SELECT v FROM t ORDER BY id\"]");
    assertEquals(200, r.status(), r::toString);
    Map<String, Object> result = (Map<String, Object>) ((List<Object>) json(r).get("results")).get(0);
    List<String> out = new ArrayList<>();
    for (List<Object> row : (List<List<Object>>) result.get("values")) {
      out.add((String) row.get(0));
    }
    return out;
  }

  private static List<String> rowsOf(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.createStatement().executeQuery("SELECT v FROM t ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
