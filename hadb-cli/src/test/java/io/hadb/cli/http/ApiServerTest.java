package io.hadb.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.forward.ForwardingOptions;
import io.hadb.coordinator.lease.CoordinatorConfig;
import io.hadb.coordinator.lease.LeaseTimings;
import java.time.Duration;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API on one local-mode database in this JVM, for what needs no cluster: HTTPS from a
 * PKCS#12 keystore, the methods and paths it refuses, a statement error outside a transaction
 * after statements that applied. Driven by curl like the cluster test.
 */
class ApiServerTest {
  @TempDir
  Path dir;

  private static Curl run(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "20", "-w", "\n%{http_code}"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    int nl = out.lastIndexOf('\n');
    return new Curl(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
  }

  private record Curl(int status, String body) {}

  private SSLContext selfSigned() throws Exception {
    Path ks = dir.resolve("server.p12");
    Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "hadb", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  @Test
  void servesHttpsAndRefusesWhatItDoesNotServe() throws Exception {
    try (HaDatabase db = HaDatabase.local(dir.resolve("app.db"), "CREATE TABLE t(v INTEGER UNIQUE);");
        ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Optional.of(selfSigned()),
            List.of(new ServedDatabase("app", db)), new ApiLimits(4096, 10, 2, Optional.of("tok")), "n1", "test")) {
      String base = "https://127.0.0.1:" + api.address().getPort();
      String auth = "Authorization: Bearer tok";

      Curl ok = run("-k", "-H", auth, "-X", "POST", "--data-binary", "[[\"INSERT INTO t VALUES(?)\", 1]]",
          base + "/db/execute");
      assertEquals(200, ok.status(), ok::toString);
      assertTrue(ok.body().startsWith("{\"results\":[{\"last_insert_id\":1,\"rows_affected\":1}]"), ok::toString);
      Curl plain = run("--max-time", "3", base.replace("https", "http") + "/readyz");
      assertTrue(plain.status() != 200, () -> "plain HTTP on the HTTPS port: " + plain);

      Curl half = run("-k", "-H", auth, "-X", "POST", "--data-binary",
          "[\"INSERT INTO t VALUES(2)\", \"INSERT INTO t VALUES(1)\", \"INSERT INTO t VALUES(3)\"]", base + "/db/execute");
      assertEquals(400, half.status(), half::toString);
      assertTrue(half.body().contains("\"statement\":1,\"sql\":\"INSERT INTO t VALUES(1)\",\"results\":[{\"last_insert_id\":2"),
          () -> "without ?transaction the first statement applied, the third never ran: " + half);
      assertEquals(List.of(List.of(SqlValue.of(1L)), List.of(SqlValue.of(2L))),
          db.query("SELECT v FROM t ORDER BY v").rows());

      assertEquals(405, run("-k", "-H", auth, base + "/db/execute").status());
      assertEquals(404, run("-k", "-H", auth, base + "/nope").status());
      assertEquals(404, run("-k", "-H", auth, base + "/db/query?db=other&q=SELECT+1").status());
      assertEquals(400, run("-k", "-H", auth, base + "/db/query?level=fast&q=SELECT+1").status());
      assertEquals(401, run("-k", "-H", "Authorization: Bearer to", base + "/status").status());
      Curl page = run("-k", base + "/");
      assertEquals(200, page.status());
      assertTrue(page.body().contains("<title>hadb status</title>"), page::toString);
    }
  }

  /**
   * A node that cannot lead (a read replica) and no other node: a write waits out its forwarding
   * deadline, then answers 503 with Retry-After, saying nothing applied.
   */
  @Test
  void aWriteWithNoLeaderIs503WithARetryHint() throws Exception {
    try (HaDatabase db = HaDatabase.builder().lease(dir.resolve("lease").toUri().toString())
            .storage(dir.resolve("chain").toUri().toString()).database("app").nodeId("replica")
            .secret("forwarding-secret-0123456789").roles(CoordinatorConfig.READ_REPLICA)
            .timings(LeaseTimings.ofTtl(Duration.ofMillis(500)))
            .forwarding(ForwardingOptions.defaults().withDeadline(Duration.ofMillis(500))).closeOnShutdown(false)
            .open(dir.resolve("replica.db"), "");
        ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
            List.of(new ServedDatabase("app", db)), new ApiLimits(4096, 10, 2, Optional.empty()), "n1", "test")) {
      String base = "http://127.0.0.1:" + api.address().getPort();
      Curl r = run("-D", "-", "-X", "POST", "--data-binary", "[\"CREATE TABLE t(v)\"]", base + "/db/execute");
      System.out.println("no leader: " + r);
      assertEquals(503, r.status(), r::toString);
      assertTrue(r.body().toLowerCase(java.util.Locale.ROOT).contains("retry-after: 1"), r::toString);
      assertTrue(r.body().contains("\"applied\":false"), r::toString);
      assertTrue(r.body().contains("\"retry\":\"no leader answered"), r::toString);
      Curl ready = run(base + "/readyz");
      assertEquals(503, ready.status(), ready::toString);
      assertTrue(ready.body().contains("\"app\":"), ready::toString);
    }
  }
}
