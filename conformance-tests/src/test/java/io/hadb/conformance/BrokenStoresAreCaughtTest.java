package io.hadb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.broken.LeaseDefect;
import io.hadb.conformance.broken.StorageDefect;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit proves it can fail: each deliberately broken store of {@code io.hadb.conformance.broken}
 * is run through the whole contract with {@link ContractRunner} (the JUnit Platform Launcher),
 * and the rules expected to catch its bug must fail. The correct reference stores must pass
 * every rule, so the kit has no false positives.
 */
class BrokenStoresAreCaughtTest {
  /** Shrinking off: these runs only ask "caught or not", and shrinking a racy store is slow. */
  private static final Map<String, String> FAST = Map.of("jqwik.shrinking.default", "OFF");

  static Stream<Arguments> brokenLeaseStores() {
    return Stream.of(
        Arguments.of(LeaseDefect.RACY_CAS, List.of("L4.2", "L4.5")),
        Arguments.of(LeaseDefect.RACY_CREATE, List.of("L4.1")),
        Arguments.of(LeaseDefect.VERSION_REUSED_AFTER_DELETE, List.of("L3.2")),
        Arguments.of(LeaseDefect.CREATE_OVERWRITES, List.of("L2.3")),
        Arguments.of(LeaseDefect.STALE_READ_CACHE, List.of("L2.10")),
        Arguments.of(LeaseDefect.BLIND_DELETE, List.of("L2.7")),
        Arguments.of(LeaseDefect.CACHED_VERSION_CAS, List.of("L4.5")),
        Arguments.of(LeaseDefect.LAX_INPUT, List.of("L6.1", "L6.2", "L6.3", "L6.4")),
        Arguments.of(LeaseDefect.CLOSE_IGNORED, List.of("L1.3")),
        Arguments.of(LeaseDefect.THROWS_ON_LOST, List.of("L2.3", "L2.5", "L2.7")));
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
        Arguments.of(StorageDefect.TORN_WRITE, List.of("S4.3")));
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenLeaseStores")
  void brokenLeaseStoreIsCaught(LeaseDefect defect, List<String> expectedRules) {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.LEASE, defect.scheme() + "://kit", FAST);
    assertCaught(defect.name(), report, expectedRules);
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenStorageBackends")
  void brokenStorageBackendIsCaught(StorageDefect defect, List<String> expectedRules) {
    ContractReport report = ContractRunner.run(ContractRunner.Kind.STORAGE, defect.scheme() + "://kit", FAST);
    assertCaught(defect.name(), report, expectedRules);
  }

  private static void assertCaught(String defect, ContractReport report, List<String> expectedRules) {
    System.out.println("== " + defect + " ==\n" + report.render(false));
    assertFalse(report.passed(), defect + " passed the whole contract:\n" + report.render(true));
    assertTrue(report.kitErrors().isEmpty(), "kit errors: " + report.kitErrors());
    for (RuleResult failed : report.results()) {
      if (!failed.passed()) {
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
    ContractReport report = ContractRunner.run(ContractRunner.Kind.LEASE, LeaseDefect.NONE.scheme() + "://kit", FAST);
    assertPassesAll(report, "L");
  }

  @Test
  void referenceStorageBackendPassesEveryRule() {
    ContractReport report =
        ContractRunner.run(ContractRunner.Kind.STORAGE, StorageDefect.NONE.scheme() + "://kit", FAST);
    assertPassesAll(report, "S");
  }

  private static void assertPassesAll(ContractReport report, String letter) {
    System.out.println(report.render(false));
    assertTrue(report.passed(), "the correct reference store failed:\n" + report.render(true));
    Set<String> ran = new TreeSet<>(RuleResult.RULE_ORDER);
    report.results().forEach(r -> ran.add(r.rule()));
    assertEquals(SpecRules.rules(letter), ran, "every rule of SPEC.md must run, none skipped");
  }
}
