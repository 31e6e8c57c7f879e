package io.hadb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.gen.Property;
import io.hadb.conformance.internal.Kit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What {@link BrokenLeaseStoresAreCaughtTest} and {@link BrokenStorageBackendsAreCaughtTest} share
 * (they extend it): quicker failures while broken stores run, and the checks that a report caught a defect or passed
 * every rule. Two classes so that surefire's two forks run them at once (the kit's runner takes
 * one contract run at a time per JVM: it passes the store through system properties).
 */
abstract class BrokenStoreRuns {
  /** Runs of the rule that must catch a bug only a race shows: it must catch it every time. */
  static final int RACE_RUNS = 20;

  private static String watchSecondsBefore;
  private static String shrinkRunsBefore;

  @BeforeAll
  static void quickerFailures() {
    // A broken watch is caught when the callback does not come; waiting the default 10 s for
    // each of them would only slow these runs down (the reference store calls back at once).
    watchSecondsBefore = System.getProperty(Kit.WATCH_SECONDS);
    System.setProperty(Kit.WATCH_SECONDS, "2");
    // These runs ask "caught or not"; a few hundred shrink runs still give short sequences.
    shrinkRunsBefore = System.getProperty(Property.SHRINK_RUNS);
    System.setProperty(Property.SHRINK_RUNS, "150");
  }

  @AfterAll
  static void restoreSettings() {
    restore(Kit.WATCH_SECONDS, watchSecondsBefore);
    restore(Property.SHRINK_RUNS, shrinkRunsBefore);
  }

  static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  /** Runs {@code rule} {@link #RACE_RUNS} times on fresh namespaces of {@code scheme}; all must fail it. */
  static void assertCaughtEveryRun(ContractRunner.Kind kind, String scheme, String rule) {
    int caught = 0;
    for (int run = 0; run < RACE_RUNS; run++) {
      ContractReport report = ContractRunner.run(kind, List.of(scheme + "://kit-rate-" + run), Set.of(rule));
      if (report.failedRules().contains(rule)) {
        caught++;
      }
    }
    System.out.println("catch rate: " + scheme + " by " + rule + ": " + caught + "/" + RACE_RUNS);
    assertEquals(RACE_RUNS, caught, scheme + " was caught by " + rule + " in " + caught + " of " + RACE_RUNS + " runs");
  }

  static void assertCaught(String defect, ContractReport report, List<String> expectedRules) {
    System.out.println("== " + defect + " ==\n" + report.render(false));
    assertFalse(report.passed(), defect + " passed the whole contract:\n" + report.render(true));
    assertTrue(report.kitErrors().isEmpty(), "kit errors: " + report.kitErrors());
    for (RuleResult failed : report.results()) {
      if (!failed.acceptable()) {
        assertTrue(failed.message().startsWith("[" + failed.rule() + "]"),
            "a failure message must start with its rule number: " + failed.message());
        assertTrue(failed.message().contains("check:"), "a failure message must say what to check: " + failed.message());
      }
    }
    for (String rule : expectedRules) {
      RuleResult r = report.result(rule).orElseThrow(() -> new AssertionError("rule " + rule + " did not run"));
      assertEquals(RuleResult.Status.FAILED, r.status(),
          defect + " was expected to fail rule " + rule + " (" + r.test() + "), but it " + r.status()
              + "; rules that failed: " + report.failedRules());
    }
  }

  static void assertPassesAll(ContractReport report, String letter) {
    System.out.println(report.render(false));
    assertTrue(report.passed(), "the correct reference store failed:\n" + report.render(true));
    Set<String> ran = new TreeSet<>(RuleResult.RULE_ORDER);
    report.results().forEach(r -> ran.add(r.rule()));
    assertEquals(SpecRules.rules(letter), ran, "every rule of SPEC.md must run");
    assertTrue(report.skippedRules().isEmpty(), "the reference store has every capability: " + report.skippedRules());
  }
}
