package io.hadb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end: this JVM orchestrates, three child JVMs are the nodes (file: chain and
 * lease in a temp dir, SYNC, ttl 1 s to keep it short). The verdict is read back from the last
 * line the demo printed.
 */
class DemoTest {
  private static final int WRITES = 10;

  private static List<String> run(DemoOptions options) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      new Demo(options, out).run();
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    return text.lines().toList();
  }

  private static DemoResult lastLine(List<String> lines) {
    return DemoResult.parse(lines.get(lines.size() - 1));
  }

  @Test
  void killOfTheLeaderLosesNoAcknowledgedWriteAndCopiesAgree(@TempDir Path dir) throws Exception {
    List<String> lines = run(new DemoOptions(dir, Duration.ofSeconds(1), WRITES, false));
    DemoResult r = lastLine(lines);
    assertEquals(3, r.nodes());
    // 3 nodes before the kill, 2 after; every transfer is retried with its id until acknowledged
    assertEquals(5L * WRITES, r.ackedWrites(), String.join("\n", lines));
    assertEquals(0, r.lostAckedWrites(), String.join("\n", lines));
    assertTrue(r.replicasConsistent(), String.join("\n", lines));
    assertTrue(r.failoverMs() > 0, "failover_ms is measured from the kill: " + r.failoverMs());
    assertTrue(lines.stream().anyMatch(l -> l.contains("kill -9 ")), "the kill is reported");
    assertTrue(lines.stream().anyMatch(l -> l.contains("takeover: ")), "the takeover is reported");
  }

  @Test
  void onDuckdbToo(@TempDir Path dir) throws Exception {
    List<String> lines = run(new DemoOptions(dir, Duration.ofSeconds(1), WRITES, false, "duckdb"));
    DemoResult r = lastLine(lines);
    assertEquals(5L * WRITES, r.ackedWrites(), String.join("\n", lines));
    assertEquals(0, r.lostAckedWrites(), String.join("\n", lines));
    assertTrue(r.replicasConsistent(), String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.contains("engine duckdb")), "the engine is reported");
  }

  @Test
  void negativeControlAnAcknowledgedRowDeletedOnOneCopyIsReported(@TempDir Path dir) throws Exception {
    List<String> lines = run(new DemoOptions(dir, Duration.ofSeconds(1), WRITES, true));
    DemoResult r = lastLine(lines);
    assertEquals(1, r.lostAckedWrites(), String.join("\n", lines));
    assertFalse(r.replicasConsistent(), String.join("\n", lines));
    assertFalse(r.ok());
  }

  @Test
  void optionsAreCheckedAndNamed() {
    DemoOptions o = DemoOptions.parse(List.of("--ttl-ms", "1500", "--writes", "7", "--drop-acked-row"));
    assertEquals(Duration.ofMillis(1500), o.ttl());
    assertEquals(7, o.writesPerNode());
    assertTrue(o.dropAckedRow());
    assertEquals(DemoOptions.defaults(), DemoOptions.parse(List.of()));
    for (List<String> bad : List.of(List.of("--ttl-ms", "50"), List.of("--writes"), List.of("--writes", "x"),
        List.of("--nodes", "5"))) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> DemoOptions.parse(bad));
      assertTrue(e.getMessage().contains(bad.get(0)), e.getMessage());
    }
  }

  @Test
  void resultLineRoundTrips() {
    DemoResult r = new DemoResult(3, 1234, 150, 0, true);
    assertEquals("demo: nodes=3 failover_ms=1234 acked_writes=150 lost_acked_writes=0 replicas_consistent=true", r.line());
    assertEquals(r, DemoResult.parse(r.line()));
    assertTrue(r.ok());
    assertFalse(new DemoResult(3, 1, 2, 0, false).ok());
  }
}
