package io.hadb.storeprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.testservers.S3ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code target/store-probe.jar} the way a user does, {@code java -jar}, in a child JVM: the
 * shade pitfalls (unmerged META-INF/services, signed jars, engines not found) only show there.
 */
class ShadedJarTest {

  /** What one run of the jar printed and returned. */
  private record Run(int exit, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1].strip();
    }
  }

  private static Run probe(String... args) throws IOException, InterruptedException {
    Path jar = Paths.get(System.getProperty("storeprobe.jar", "target/store-probe.jar"));
    assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar + "; run 'mvn verify'");
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        // Fewer generated tries: the point here is the jar, not the stores (their modules run
        // the kit in full). C1 and the serial collector: a probe lives seconds, where C2's
        // compiler threads cost more CPU than they return (about 40% of a run's CPU).
        "-Dhadb.conformance.tries=10", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("store-probe", ".out");
    Path err = Files.createTempFile("store-probe", ".err");
    try {
      Process p = new ProcessBuilder(command)
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("store-probe did not finish within 120 s: " + command);
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void leaseKitPassesOnMemWithEveryRuleListed() throws Exception {
    Run r = probe("lease", "mem://store-probe-test");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("verdict: PASS", r.lastLine(), r.out());
    assertTrue(r.out().startsWith("probing lease store mem://store-probe-test"), r.out());
    // The Jupiter engine was found and ran every kind of rule: plain (L1.1), model-based (L5.1)
    // and optional (L7.1; mem: offers watch). Nothing but the kit's report is on stdout.
    assertTrue(r.out().matches("(?s).*\\nPASS +L1\\.1 .*"), r.out());
    assertTrue(r.out().matches("(?s).*\\nPASS +L5\\.1 .*"), r.out());
    assertTrue(r.out().matches("(?s).*\\nPASS +L7\\.1 .*"), r.out());
    assertFalse(r.out().contains("FAIL "), r.out());
    for (String line : r.out().strip().split("\n")) {
      assertTrue(line.matches("(probing |PASS |SKIP |rules: |verdict: ).*"), "not a line of the kit's report: " + line);
    }
  }

  @Test
  void storageKitPassesOnALocalDirectory(@TempDir Path dir) throws Exception {
    Run r = probe("storage", dir.toUri().toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("verdict: PASS", r.lastLine(), r.out());
    assertTrue(r.out().matches("(?s).*\\nPASS +S1\\.1 .*"), r.out());
  }

  @Test
  void helpExitsZeroAndListsEveryPlugInThroughTheMergedServiceFiles() throws Exception {
    Run r = probe("--help");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("usage: java -jar store-probe.jar"), r.out());
    assertTrue(r.out().contains("lease schemes here: etcd:, file:, mem:, nats:, s3:"), r.out());
    assertTrue(r.out().contains("storage schemes here: file:, mem:, s3:"), r.out());
    Run none = probe();
    assertEquals(StoreProbeMain.USAGE, none.exit(), none.err());
    assertTrue(none.err().contains("usage:"), none.err());
  }

  @Test
  void anUnknownSchemeIsOneClearErrorNotTwentyFailedRules() throws Exception {
    Run r = probe("lease", "zookeeper://127.0.0.1:2181?token=s3cr3t");
    assertNotRun(r, "no lease store provider for scheme 'zookeeper:'");
    assertFalse(r.err().contains("s3cr3t") || r.out().contains("s3cr3t"), "secret printed: " + r.out() + r.err());
  }

  @Test
  void aMistypedParameterIsNamed() throws Exception {
    assertNotRun(probe("lease", "nats://127.0.0.1:4222?bukcet=leases"), "'bukcet'");
  }

  @Test
  void refusedOrMissingCredentialsAreNotRunSayingWhatToSet() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.shared().createBucket("probe-creds");
    String base = "s3://probe-creds/p?endpoint=" + s3.endpoint() + "&region=" + S3ProxyServer.REGION + "&pathStyle=true";
    Run refused = probe("storage", base + "&accessKey=" + s3.accessKey() + "&secretKey=not-the-secret");
    assertNotRun(refused, "check the credentials");
    assertFalse(refused.out().contains("not-the-secret"), "secret printed: " + refused.out());
    Run refusedLease = probe("lease", base + "&accessKey=nobody&secretKey=not-the-secret");
    assertNotRun(refusedLease, "check the credentials");
    Run missing = probe("storage", base);
    assertNotRun(missing, "accessKey");
  }

  private static void assertNotRun(Run r, String reason) {
    assertEquals(StoreProbeMain.CANNOT_OPEN, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains(reason), r.out());
    assertEquals("verdict: NOT RUN", r.lastLine(), r.out());
    assertEquals(3, r.out().strip().split("\n").length, "the probing line, one reason, the verdict: " + r.out());
  }
}
