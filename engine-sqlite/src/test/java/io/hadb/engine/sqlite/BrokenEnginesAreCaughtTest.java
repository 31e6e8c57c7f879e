package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.ContractReport;
import io.hadb.conformance.ContractRunner;
import io.hadb.conformance.RuleResult;
import io.hadb.conformance.gen.Property;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine contract proves it can fail: engine-sqlite with one part broken on purpose
 * ({@link BrokenEngines}) is run through the rules that must catch it, with {@link ContractRunner}
 * (the JUnit Platform Launcher), and each of those rules must fail with a message naming it. The
 * engine as it is passes the same rules ({@link EngineSqliteConformanceTest}). A bug only a race
 * shows is run {@value #RACE_RUNS} times; the catch rate is printed and must be every time.
 */
class BrokenEnginesAreCaughtTest {
  static final int RACE_RUNS = 20;
  private static String shrinkRunsBefore;

  @BeforeAll
  static void quickerFailures() {
    // These runs ask "caught or not"; a few hundred shrink runs still give short histories.
    shrinkRunsBefore = System.getProperty(Property.SHRINK_RUNS);
    System.setProperty(Property.SHRINK_RUNS, "30");
  }

  @AfterAll
  static void restoreSettings() {
    if (shrinkRunsBefore == null) {
      System.clearProperty(Property.SHRINK_RUNS);
    } else {
      System.setProperty(Property.SHRINK_RUNS, shrinkRunsBefore);
    }
  }

  static Stream<Arguments> brokenEngines() {
    return Stream.of(
        Arguments.of(BrokenEngines.DropsTheLastPage.class, List.of("E2.1"), 1),
        Arguments.of(BrokenEngines.TornApply.class, List.of("E3.1"), RACE_RUNS),
        Arguments.of(BrokenEngines.SkipsBadChangesets.class, List.of("E5.1", "E5.2", "E5.3", "E5.4"), 1),
        Arguments.of(BrokenEngines.ReusesASeq.class, List.of("E6.1"), 1),
        Arguments.of(BrokenEngines.IgnoresSync.class, List.of("E7.1"), RACE_RUNS),
        Arguments.of(BrokenEngines.ForgetsTheRequestRecord.class, List.of("E9.1"), 1),
        Arguments.of(BrokenEngines.CursorKeepsItsConnection.class, List.of("E11.2"), 1),
        Arguments.of(BrokenEngines.CursorIgnoresClose.class, List.of("E11.2"), 1),
        Arguments.of(BrokenEngines.CursorStaysOpenAfterAnError.class, List.of("E11.3"), 1),
        Arguments.of(BrokenEngines.CursorsTakeEveryConnection.class, List.of("E11.4"), 1));
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenEngines")
  void brokenEngineIsCaught(Class<?> broken, List<String> rules, int runs) {
    int caught = 0;
    StringBuilder missed = new StringBuilder();
    StringBuilder firstMessages = new StringBuilder();
    for (int run = 0; run < runs; run++) {
      ContractReport report = ContractRunner.run(broken, Set.copyOf(rules));
      Set<String> failed = new TreeSet<>(RuleResult.RULE_ORDER);
      for (RuleResult r : report.results()) {
        if (!r.passed() && r.message().startsWith("[" + r.rule() + "]")) {
          failed.add(r.rule());
        }
      }
      if (run == 0) {
        report.results().forEach(r -> firstMessages.append("\n  ").append(r.message().lines().findFirst().orElse("")));
      }
      if (failed.containsAll(rules)) {
        caught++;
      } else {
        missed.append("\nrun ").append(run + 1).append(":\n").append(report.render(true));
      }
    }
    System.out.printf("%s: caught by %s in %d of %d runs%s%n", broken.getSimpleName(), rules, caught, runs,
        firstMessages);
    assertTrue(caught == runs, broken.getSimpleName() + " was caught by " + rules + " in only " + caught + " of "
        + runs + " runs" + missed);
  }
}
