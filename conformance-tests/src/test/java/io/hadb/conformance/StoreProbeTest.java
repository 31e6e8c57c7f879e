package io.hadb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.broken.LeaseDefect;
import io.hadb.conformance.broken.StorageDefect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command-line probe prints a line per rule and a verdict, and exits 0, 1, 2 or 3. */
class StoreProbeTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int probe(String... args) {
    return StoreProbe.run("StoreProbe", args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void correctStorePasses() {
    assertEquals(StoreProbe.PASS, probe("lease", LeaseDefect.NONE.scheme() + "://probe"), out());
    String text = out();
    for (String rule : SpecRules.rules("L")) {
      assertTrue(text.matches("(?s).*\\nPASS +" + rule.replace(".", "\\.") + " .*"), rule + " not passed:\n" + text);
    }
    assertTrue(text.strip().endsWith("verdict: PASS"), text);
  }

  @Test
  void brokenStoreFailsWithTheRuleAndWhatToCheck() {
    assertEquals(StoreProbe.FAIL, probe("storage", StorageDefect.LIVE_STREAM.scheme() + "://probe"), out());
    String text = out();
    assertTrue(text.contains("FAIL    S4.2   openStreamIsSnapshot"), text);
    assertTrue(text.contains("check:"), text);
    assertTrue(text.strip().endsWith("verdict: FAIL"), text);
  }

  @Test
  void aStoreThatCannotBeOpenedIsNotRunWithOneReason() {
    assertEquals(StoreProbe.NOT_RUN, probe("storage", "nosuchscheme://x"), out());
    String text = out();
    assertTrue(text.contains("no storage backend provider for scheme 'nosuchscheme:'"), text);
    assertFalse(text.contains("FAIL"), text);
    assertTrue(text.strip().endsWith("verdict: NOT RUN"), text);
  }

  @Test
  void aStoreThatRefusesItsFirstRequestIsNotRunSayingWhatToSet() {
    assertEquals(StoreProbe.NOT_RUN, probe("storage", StorageDefect.NONE.scheme() + "://x?refuse=access%20denied"),
        out());
    String text = out();
    assertTrue(text.contains("set accessKey and secretKey"), text);
    assertEquals(3, text.strip().lines().count(), "the probing line, one reason, the verdict:\n" + text);
    assertTrue(text.strip().endsWith("verdict: NOT RUN"), text);
  }

  @Test
  void rulesCanBeChosenAndMoreClientUrisGiven() {
    String scheme = LeaseDefect.SETTING_CHANGES_FORMAT.scheme() + "://probe-uris";
    assertEquals(StoreProbe.PASS, probe("--rules", "L1.2,L2.2", "lease", scheme), out());
    assertTrue(out().contains("rules: 2, failed: 0"), out());
    assertEquals(StoreProbe.FAIL, probe("--rules", "L1.2", "lease", scheme, scheme + "?format=reversed"), out());
    assertTrue(out().contains("(clients from 2 URIs in turn)"), out());
    assertTrue(out().contains("FAIL    L1.2"), out());
  }

  @Test
  void helpExitsZeroAndUsageErrorsTwo() {
    assertEquals(StoreProbe.PASS, probe("--help"));
    assertTrue(out().contains("usage: StoreProbe [--rules L4.2,L4.5] lease|storage <uri> [<uri> ...]"), out());
    assertTrue(out().contains("lease schemes here:"), out());
    assertEquals(StoreProbe.USAGE, probe());
    assertEquals(StoreProbe.USAGE, probe("queue", "mem://x"));
    assertEquals(StoreProbe.USAGE, probe("--rules", "L99.1", "lease", LeaseDefect.NONE.scheme() + "://probe"));
    assertTrue(err().contains("no rule L99.1"), err());
  }
}
