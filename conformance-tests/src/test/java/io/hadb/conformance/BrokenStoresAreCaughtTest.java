package io.hadb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.broken.LeaseDefect;
import io.hadb.conformance.broken.StorageDefect;
import io.hadb.conformance.gen.Property;
import io.hadb.conformance.internal.Kit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit proves it can fail: each deliberately broken store of {@code io.hadb.conformance.broken}
 * is run through the whole contract with {@link ContractRunner} (the JUnit Platform Launcher),
 * and the rules expected to catch its bug must fail. The correct reference stores must pass
 * every rule, so the kit has no false positives. Bugs that only a race shows are run
 * {@value #RACE_RUNS} times more through the rule that must catch them, and the catch rate is
 * printed and must be every time.
 */
class BrokenStoresAreCaughtTest {
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

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

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

  static Stream<Arguments> brokenStorageBackends() {
    return Stream.of(
        Arguments.of(StorageDefect.PUT_IF_ABSENT_OVERWRITES, List.of("S2.4")),
        Arguments.of(StorageDefect.RACY_PUT_IF_ABSENT, List.of("S5.1")),
        Arguments.of(StorageDefect.LIST_IGNORES_START_AFTER, List.of("S3.2", "S3.3")),
        Arguments.of(StorageDefect.LIST_UNORDERED, List.of("S3.1")),
        Arguments.of(StorageDefect.STALE_GET_CACHE, List.of("S2.6")),
        Arguments.of(StorageDefect.LIVE_STREAM, List.of("S4.2")),
        Arguments.of(StorageDefect.SHORT_READ_PUT, List.of("S4.1")),
        Arguments.of(StorageDefect.PREFIX_BY_SEGMENT, List.of("S3.4")),
        Arguments.of(StorageDefect.TORN_WRITE, List.of("S4.3")),
        Arguments.of(StorageDefect.LAST_PAGE_SAYS_MORE, List.of("S3.6")),
        Arguments.of(StorageDefect.LIST_LIMIT_IGNORED, List.of("S3.2", "S3.6")),
        Arguments.of(StorageDefect.LOSER_REPLACES, List.of("S5.1")),
        Arguments.of(StorageDefect.PUT_IF_ABSENT_SAME_BYTES_WINS, List.of("S2.4")));
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenLeaseStores")
  void brokenLeaseStoreIsCaught(LeaseDefect defect, List<String> expectedRules) {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.LEASE, defect.scheme() + "://kit");
    assertCaught(defect.name(), report, expectedRules);
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenStorageBackends")
  void brokenStorageBackendIsCaught(StorageDefect defect, List<String> expectedRules) {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.STORAGE, defect.scheme() + "://kit");
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
        Arguments.of(ContractRunner.Kind.LEASE, LeaseDefect.RACY_CAS.scheme(), "L4.2"),
        Arguments.of(ContractRunner.Kind.LEASE, LeaseDefect.RACY_CAS.scheme(), "L4.5"),
        Arguments.of(ContractRunner.Kind.LEASE, LeaseDefect.RACY_CREATE.scheme(), "L4.1"),
        Arguments.of(ContractRunner.Kind.LEASE, LeaseDefect.CACHED_VERSION_CAS.scheme(), "L4.5"),
        Arguments.of(ContractRunner.Kind.STORAGE, StorageDefect.RACY_PUT_IF_ABSENT.scheme(), "S5.1"),
        Arguments.of(ContractRunner.Kind.STORAGE, StorageDefect.LOSER_REPLACES.scheme(), "S5.1"),
        Arguments.of(ContractRunner.Kind.STORAGE, StorageDefect.TORN_WRITE.scheme(), "S4.3"));
  }

  /** Races too short to lose would let these pass some runs; the kit makes them long enough to lose every run. */
  @ParameterizedTest(name = "{1} is caught by {2} in every run")
  @MethodSource("raceDependentDefects")
  void raceDependentDefectIsCaughtEveryRun(ContractRunner.Kind kind, String scheme, String rule) {
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

  private static void assertCaught(String defect, ContractReport report, List<String> expectedRules) {
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

  @Test
  void referenceLeaseStorePassesEveryRule() {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.LEASE, LeaseDefect.NONE.scheme() + "://kit");
    assertPassesAll(report, "L");
  }

  @Test
  void referenceStorageBackendPassesEveryRule() {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.STORAGE, StorageDefect.NONE.scheme() + "://kit");
    assertPassesAll(report, "S");
  }

  private static void assertPassesAll(ContractReport report, String letter) {
    System.out.println(report.render(false));
    assertTrue(report.passed(), "the correct reference store failed:\n" + report.render(true));
    Set<String> ran = new TreeSet<>(RuleResult.RULE_ORDER);
    report.results().forEach(r -> ran.add(r.rule()));
    assertEquals(SpecRules.rules(letter), ran, "every rule of SPEC.md must run");
    assertTrue(report.skippedRules().isEmpty(), "the reference store has every capability: " + report.skippedRules());
  }
}
