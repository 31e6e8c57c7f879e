package io.hadb.conformance;

import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outcome of one rule of the kit for one store.
 *
 * @param rule the rule number from {@code SPEC.md}, such as {@code L4.2}
 * @param test the test method that proves it, such as {@code required_L4_2_casRaceHasExactlyOneWinner}
 * @param status what happened
 * @param message the failure message (which says what to check), empty when it passed
 * @param duration how long the test ran
 */
public record RuleResult(String rule, String test, Status status, String message, Duration duration) {

  public enum Status { PASSED, FAILED, ABORTED, SKIPPED }

  private static final Pattern NAME = Pattern.compile("^(?:required|optional)_([A-Z]+)(\\d+)_(\\d+)_(\\w+)$");

  /** Orders rules by letter, then section, then number: L1.2 before L1.10 before L2.1. */
  public static final Comparator<String> RULE_ORDER = Comparator
      .comparing((String r) -> r.replaceAll("[0-9.]", ""))
      .thenComparingInt(r -> part(r, 0))
      .thenComparingInt(r -> part(r, 1));

  public boolean passed() {
    return status == Status.PASSED;
  }

  /** Whether the rule is optional (a capability a store may lack; skipped then, with a reason). */
  public boolean optional() {
    return test.startsWith("optional_");
  }

  /** Passed, or an optional rule skipped because the store lacks the capability. */
  public boolean acceptable() {
    return passed() || (optional() && status == Status.SKIPPED);
  }

  /** Whether a method name is a rule's test ({@code required_L4_2_…} or {@code optional_L7_1_…}). */
  public static boolean isRuleTest(String methodName) {
    return NAME.matcher(methodName).matches();
  }

  /** The short title from the method name: {@code casRaceHasExactlyOneWinner}. */
  public String title() {
    Matcher m = NAME.matcher(test);
    return m.matches() ? m.group(4) : test;
  }

  /** The rule number named by a kit test method, or the method name itself when it names none. */
  public static String ruleOf(String methodName) {
    Matcher m = NAME.matcher(methodName);
    return m.matches() ? m.group(1) + m.group(2) + "." + m.group(3) : methodName;
  }

  private static int part(String rule, int index) {
    String digits = rule.replaceAll("^[A-Z]+", "");
    String[] parts = digits.split("\\.");
    try {
      return index < parts.length ? Integer.parseInt(parts[index]) : 0;
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
