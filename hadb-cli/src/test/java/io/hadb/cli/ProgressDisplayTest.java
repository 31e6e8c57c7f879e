package io.hadb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  @Test
  void plainLinesNameObjectsAndBytesOfTheirTotals() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProgressDisplay p = new ProgressDisplay(new PrintStream(out, true, StandardCharsets.UTF_8), "restore app", false, 0);
    p.update(512, 4096, 1, 8);
    p.update(3 * 1024 * 1024, 6 * 1024 * 1024, 5, 9); // the total grew while listing
    p.finish();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, lines.length, out::toString);
    assertTrue(lines[0].startsWith("restore app: 1/8 objects, 512 B/4.0 KiB, "), lines[0]);
    assertTrue(lines[1].startsWith("restore app: 5/9 objects, 3.0 MiB/6.0 MiB, "), lines[1]);
    assertTrue(lines[2].endsWith("ETA 0s"), lines[2]);
  }

  @Test
  void aTerminalGetsOneBarRedrawnInPlace() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProgressDisplay p = new ProgressDisplay(new PrintStream(out, true, StandardCharsets.UTF_8), "restore app", true, 0);
    p.update(50, 100, 1, 2);
    p.finish();
    String s = out.toString(StandardCharsets.UTF_8);
    assertTrue(s.startsWith("\rrestore app [" + "#".repeat(15) + "-".repeat(15) + "] 1/2 objects"), s);
    assertTrue(s.endsWith("\n") && s.indexOf('\n') == s.length() - 1, "one newline, at the end: " + s);
  }

  @Test
  void nothingIsShownWhenTheJobReportsNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ProgressDisplay(new PrintStream(out, true, StandardCharsets.UTF_8), "restore app", false, 0).finish();
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }
}
