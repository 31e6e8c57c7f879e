package io.hadb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.broken.LeaseDefect;
import io.hadb.conformance.broken.StorageDefect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command-line probe prints a line per rule and a verdict, and exits 0, 1 or 2. */
class StoreProbeTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int probe(String... args) {
    return StoreProbe.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void correctStorePasses() {
    assertEquals(0, probe("lease", LeaseDefect.NONE.scheme() + "://probe"), out());
    String text = out();
    for (String rule : SpecRules.rules("L")) {
      assertTrue(text.matches("(?s).*\\nPASS +" + rule.replace(".", "\\.") + " .*"), rule + " not passed:\n" + text);
    }
    assertTrue(text.strip().endsWith("verdict: PASS"), text);
  }

  @Test
  void brokenStoreFailsWithTheRuleAndWhatToCheck() {
    assertEquals(1, probe("storage", StorageDefect.LIVE_STREAM.scheme() + "://probe"), out());
    String text = out();
    assertTrue(text.contains("FAIL    S4.2   openStreamIsSnapshot"), text);
    assertTrue(text.contains("check:"), text);
    assertTrue(text.strip().endsWith("verdict: FAIL"), text);
  }

  @Test
  void unknownSchemeFailsEveryRuleThatOpensAClient() {
    assertEquals(1, probe("storage", "nosuchscheme://x"), out());
    String text = out();
    assertTrue(text.contains("FAIL    S1.1"), text);
    assertTrue(text.contains("no storage backend provider for scheme 'nosuchscheme:'"), text);
    assertTrue(text.strip().endsWith("verdict: FAIL"), text);
  }

  @Test
  void usageErrors() {
    assertEquals(2, probe());
    assertEquals(2, probe("queue", "mem://x"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: StoreProbe lease|storage <uri>"));
  }
}
