package io.hadb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SPEC.md and the contracts name the same rules with the same titles, each exactly once. */
class SpecConsistencyTest {

  private static Map<String, String> specTitles() {
    Map<String, String> titles = new TreeMap<>(RuleResult.RULE_ORDER);
    Matcher m = Pattern.compile("^### ([ELMS]\\d+\\.\\d+) (\\w+)$", Pattern.MULTILINE).matcher(SpecRules.text());
    while (m.find()) {
      String previous = titles.put(m.group(1), m.group(2));
      assertEquals(null, previous, "rule " + m.group(1) + " appears twice in SPEC.md");
    }
    return titles;
  }

  private static Map<String, String> testTitles(Class<?> contract) {
    Map<String, String> titles = new TreeMap<>(RuleResult.RULE_ORDER);
    for (Method method : contract.getDeclaredMethods()) {
      if (method.getName().startsWith("required_") || method.getName().startsWith("optional_")) {
        String rule = RuleResult.ruleOf(method.getName());
        assertTrue(rule.matches("[ELMS]\\d+\\.\\d+"), "test name does not carry a rule number: " + method.getName());
        String title = method.getName().replaceFirst("^(required|optional)_[A-Z]+\\d+_\\d+_", "");
        assertEquals(null, titles.put(rule, title), "rule " + rule + " is proved by two tests");
      }
    }
    return titles;
  }

  @Test
  void everySpecRuleHasOneTestOfTheSameTitleAndViceVersa() {
    Map<String, String> fromTests = new TreeMap<>(RuleResult.RULE_ORDER);
    fromTests.putAll(testTitles(LeaseStoreContract.class));
    fromTests.putAll(testTitles(StorageBackendContract.class));
    fromTests.putAll(testTitles(EngineContract.class));
    fromTests.putAll(testTitles(ManifestContract.class));
    assertEquals(specTitles(), fromTests);
  }

  @Test
  void ruleNumbersAreOrderedLikeTheSpec() {
    assertTrue(RuleResult.RULE_ORDER.compare("L2.9", "L2.10") < 0);
    assertTrue(RuleResult.RULE_ORDER.compare("L6.4", "S1.1") < 0);
    assertEquals("L4.2", RuleResult.ruleOf("required_L4_2_casRaceHasExactlyOneWinner"));
    assertEquals("L2.10", RuleResult.ruleOf("required_L2_10_readAfterWriteAcrossClients"));
  }
}
