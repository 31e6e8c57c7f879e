package io.hadb.storeprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // the kit in full).
        "-Dhadb.conformance.tries=10", "-jar", jar.toString()));
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
    assertTrue(r.out().contains("probing lease store mem://store-probe-test"), r.out());
    // Both engines were found: L1.1 is a Jupiter test, L5.1 (model-based sequences) a jqwik
    // property. Every rule line starts a line, whatever else printed to stdout before it.
    assertTrue(r.out().matches("(?s).*\\nPASS +L1\\.1 .*"), r.out());
    assertTrue(r.out().matches("(?s).*\\nPASS +L5\\.1 .*"), r.out());
    assertFalse(r.out().contains("FAIL "), r.out());
  }

  @Test
  void storageKitPassesOnALocalDirectory(@TempDir Path dir) throws Exception {
    Run r = probe("storage", dir.toUri().toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("verdict: PASS", r.lastLine(), r.out());
    assertTrue(r.out().matches("(?s).*\\nPASS +S1\\.1 .*"), r.out());
  }

  @Test
  void everyPlugInIsFoundThroughTheMergedServiceFiles() throws Exception {
    Run r = probe();
    assertEquals(StoreProbeMain.USAGE, r.exit(), r.err());
    assertTrue(r.err().contains("lease schemes in this jar: etcd:, file:, mem:, nats:, s3:"), r.err());
    assertTrue(r.err().contains("storage schemes in this jar: file:, mem:, s3:"), r.err());
  }

  @Test
  void anUnknownSchemeIsOneClearErrorNotTwentyFailedRules() throws Exception {
    Run r = probe("lease", "zookeeper://127.0.0.1:2181?token=s3cr3t");
    assertCannotOpen(r, "no lease store provider for scheme 'zookeeper:'");
    assertFalse(r.err().contains("s3cr3t") || r.out().contains("s3cr3t"), "secret printed: " + r.err());
  }

  @Test
  void aMistypedParameterIsNamed() throws Exception {
    assertCannotOpen(probe("lease", "nats://127.0.0.1:4222?bukcet=leases"), "'bukcet'");
  }

  private static void assertCannotOpen(Run r, String reason) {
    assertEquals(StoreProbeMain.CANNOT_OPEN, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains(reason), r.err());
    assertTrue(r.err().contains("verdict: NOT RUN"), r.err());
    assertFalse(r.out().contains("verdict: PASS"), r.out());
  }
}
