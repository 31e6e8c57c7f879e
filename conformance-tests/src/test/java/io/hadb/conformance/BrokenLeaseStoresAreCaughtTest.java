package io.hadb.conformance;

import static io.hadb.conformance.BrokenStoreRuns.assertCaught;
import static io.hadb.conformance.BrokenStoreRuns.assertPassesAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.broken.LeaseDefect;
import java.util.Set;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit proves it can fail, lease half: each deliberately broken lease store of {@code
 * io.hadb.conformance.broken} is run through the whole lease contract with {@link ContractRunner}
 * (the JUnit Platform Launcher), and the rules expected to catch its bug must fail; the correct
 * reference store must pass every rule, so the kit has no false positives. Bugs that only a race
 * shows are run {@value BrokenStoreRuns#RACE_RUNS} times more through the rule that must catch
 * them, and the catch rate is printed and must be every time. The storage half is {@link
 * BrokenStorageBackendsAreCaughtTest}.
 */
class BrokenLeaseStoresAreCaughtTest extends BrokenStoreRuns {
  static Stream<Arguments> brokenLeaseStores() {
    return Stream.of(
        Arguments.of(LeaseDefect.RACY_CAS, List.of("L4.2", "L4.5")),
        Arguments.of(LeaseDefect.RACY_CREATE, List.of("L4.1")),
        Arguments.of(LeaseDefect.VERSION_REUSED_AFTER_DELETE, List.of("L3.2")),
        Arguments.of(LeaseDefect.CREATE_OVERWRITES, List.of("L2.3")),
        Arguments.of(LeaseDefect.STALE_READ_CACHE, List.of("L2.10")),
        Arguments.of(LeaseDefect.BLIND_DELETE, List.of("L2.7")),
        Arguments.of(LeaseDefect.CACHED_VERSION_CAS, List.of("L4.5")),
        Arguments.of(LeaseDefect.LAX_INPUT, List.of("L6.1", "L6.2", "L6.3", "L6.4", "L7.3")),
        Arguments.of(LeaseDefect.CLOSE_IGNORED, List.of("L1.3")),
        Arguments.of(LeaseDefect.THROWS_ON_LOST, List.of("L2.3", "L2.5", "L2.7")),
        Arguments.of(LeaseDefect.CAS_SAME_VALUE_KEEPS_VERSION, List.of("L2.4", "L2.8")),
        Arguments.of(LeaseDefect.READ_BY_PREFIX, List.of("L2.9")),
        Arguments.of(LeaseDefect.WATCH_MISSES_DELETES, List.of("L7.1")),
        Arguments.of(LeaseDefect.WATCH_IGNORES_CLOSE, List.of("L7.2")));
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenLeaseStores")
  void brokenLeaseStoreIsCaught(LeaseDefect defect, List<String> expectedRules) {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.LEASE, defect.scheme() + "://kit");
    assertCaught(defect.name(), report, expectedRules);
  }

  /**
   * A setting that changes the stored format passes when every client has the same setting, and
   * is caught as soon as the kit opens clients of one namespace with different settings.
   */
  @Test
  void clientsWithDifferentSettingsCatchWhatOneSettingHides() {
    String plain = LeaseDefect.SETTING_CHANGES_FORMAT.scheme() + "://kit-settings";
    ContractReport same = ContractRunner.run(ContractRunner.Kind.LEASE, List.of(plain + "?format=reversed"), Set.of());
    assertTrue(same.passed(), "with one setting for all clients the store is consistent:\n" + same.render(true));
    ContractReport mixed = ContractRunner.run(ContractRunner.Kind.LEASE, List.of(plain, plain + "?format=reversed"),
        Set.of());
    assertCaught(LeaseDefect.SETTING_CHANGES_FORMAT.name() + " (clients with both settings)", mixed, List.of("L1.2"));
  }

  /** A failing model-based rule reports a shrunk sequence: the two steps that show a blind delete. */
  @Test
  void aModelFailureShrinksToTheStepsThatShowTheBug() {
    // A fixed seed: how short 150 shrinking runs get depends on the failing sequence, and one
    // random seed in CI (-8711136320359287030) stopped at four steps. Seed 1 is replayed first.
    String before = System.getProperty("hadb.seed");
    System.setProperty("hadb.seed", "1");
    ContractReport report;
    try {
      report = ContractRunner.run(ContractRunner.Kind.LEASE, List.of(LeaseDefect.BLIND_DELETE.scheme()
          + "://kit-shrink"), Set.of("L5.1"));
    } finally {
      if (before == null) {
        System.clearProperty("hadb.seed");
      } else {
        System.setProperty("hadb.seed", before);
      }
    }
    RuleResult r = report.result("L5.1").orElseThrow();
    assertEquals(RuleResult.Status.FAILED, r.status(), r.message());
    String steps = r.message().lines().filter(l -> l.strip().startsWith("steps so far:")).findFirst().orElseThrow();
    System.out.println("L5.1 on BLIND_DELETE, shrunk: " + steps.strip());
    assertTrue(steps.split(";").length <= 3, "expected at most 3 steps after shrinking: " + r.message());
    assertTrue(steps.contains("delete("), steps);
    assertTrue(r.message().contains("replay: -Dhadb.seed="), r.message());
  }

  static Stream<Arguments> raceDependentDefects() {
    return Stream.of(
        Arguments.of(LeaseDefect.RACY_CAS.scheme(), "L4.2"),
        Arguments.of(LeaseDefect.RACY_CAS.scheme(), "L4.5"),
        Arguments.of(LeaseDefect.RACY_CREATE.scheme(), "L4.1"),
        Arguments.of(LeaseDefect.CACHED_VERSION_CAS.scheme(), "L4.5"));
  }

  /** Races too short to lose would let these pass some runs; the kit makes them long enough to lose every run. */
  @ParameterizedTest(name = "{0} is caught by {1} in every run")
  @MethodSource("raceDependentDefects")
  void raceDependentDefectIsCaughtEveryRun(String scheme, String rule) {
    BrokenStoreRuns.assertCaughtEveryRun(ContractRunner.Kind.LEASE, scheme, rule);
  }

  @Test
  void referenceLeaseStorePassesEveryRule() {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.LEASE, LeaseDefect.NONE.scheme() + "://kit");
    assertPassesAll(report, "L");
  }
}
