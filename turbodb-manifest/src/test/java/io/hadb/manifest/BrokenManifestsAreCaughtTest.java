package io.hadb.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.ContractReport;
import io.hadb.conformance.ContractRunner;
import io.hadb.conformance.RuleResult;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifest contract can fail: each broken manifest store fails the rules meant to catch it,
 * the race-dependent one in every one of {@value #RACE_RUNS} runs of its rule, and the correct
 * store passes every rule.
 */
class BrokenManifestsAreCaughtTest {
  static final int RACE_RUNS = 20;

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        Arguments.of(BrokenManifestStore.Defect.IGNORES_EPOCH, List.of("M3.1", "M3.2", "M3.3", "M5.3")),
        Arguments.of(BrokenManifestStore.Defect.ACCEPTS_STALE_VERSION, List.of("M2.3", "M2.5", "M5.2")),
        Arguments.of(BrokenManifestStore.Defect.REUSES_VERSION, List.of("M4.1")),
        Arguments.of(BrokenManifestStore.Defect.LOSES_UPDATE_UNDER_RACE, List.of("M5.1", "M5.2")),
        Arguments.of(BrokenManifestStore.Defect.REPLACES_HEALTHY_MANIFEST, List.of("M7.1", "M7.3")),
        Arguments.of(BrokenManifestStore.Defect.READS_DAMAGE_AS_ABSENT, List.of("M7.2")));
  }

  @ParameterizedTest(name = "{0} is caught by {1}")
  @MethodSource("brokenManifests")
  void brokenManifestIsCaught(BrokenManifestStore.Defect defect, List<String> expected) {
    ContractReport report = run(defect, Set.of());
    System.out.println("== " + defect + " ==\n" + report.render(false));
    assertFalse(report.passed(), defect + " passed the whole contract");
    for (String rule : expected) {
      RuleResult r = report.result(rule).orElseThrow(() -> new AssertionError("rule " + rule + " did not run"));
      assertEquals(RuleResult.Status.FAILED, r.status(), defect + " was expected to fail " + rule + "; failed: "
          + report.failedRules());
      assertTrue(r.message().startsWith("[" + rule + "]") && r.message().contains("check:"), r.message());
    }
  }

  @Test
  void lostUpdatesAreCaughtEveryRun() {
    int caught = 0;
    for (int i = 0; i < RACE_RUNS; i++) {
      if (run(BrokenManifestStore.Defect.LOSES_UPDATE_UNDER_RACE, Set.of("M5.2")).failedRules().contains("M5.2")) {
        caught++;
      }
    }
    System.out.println("catch rate: LOSES_UPDATE_UNDER_RACE by M5.2: " + caught + "/" + RACE_RUNS);
    assertEquals(RACE_RUNS, caught);
  }

  @Test
  void theCorrectStorePassesEveryRule() {
    ContractReport report = run(BrokenManifestStore.Defect.NONE, Set.of());
    assertTrue(report.passed(), report.render(true));
    assertEquals(20, report.results().size(), report.render(false));
  }

  private static ContractReport run(BrokenManifestStore.Defect defect, Set<String> rules) {
    String before = System.getProperty(BrokenManifestContract.DEFECT);
    System.setProperty(BrokenManifestContract.DEFECT, defect.name());
    try {
      return ContractRunner.run(BrokenManifestContract.class, rules);
    } finally {
      if (before == null) {
        System.clearProperty(BrokenManifestContract.DEFECT);
      } else {
        System.setProperty(BrokenManifestContract.DEFECT, before);
      }
    }
  }
}
