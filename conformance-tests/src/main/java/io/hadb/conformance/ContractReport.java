package io.hadb.conformance;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What running one contract against one store found.
 *
 * @param target what was tested (a URI, or a contract subclass)
 * @param results one result per rule, in rule order
 * @param kitErrors failures outside any rule (the contract class could not even start, for
 *     example because {@code uri()} threw); any entry makes the verdict FAIL
 */
public record ContractReport(String target, List<RuleResult> results, List<String> kitErrors) {
  public ContractReport {
    results = results.stream().sorted((a, b) -> RuleResult.RULE_ORDER.compare(a.rule(), b.rule())).toList();
    kitErrors = List.copyOf(kitErrors);
  }

  /**
   * True when at least one rule ran, every required rule passed, every optional rule passed or was
   * skipped for a capability the store lacks, and the kit itself ran cleanly.
   */
  public boolean passed() {
    return !results.isEmpty() && kitErrors.isEmpty() && results.stream().allMatch(RuleResult::acceptable);
  }

  /** Rules that neither passed nor were skipped as optional. */
  public Set<String> failedRules() {
    Set<String> failed = new TreeSet<>(RuleResult.RULE_ORDER);
    results.stream().filter(r -> !r.acceptable()).forEach(r -> failed.add(r.rule()));
    return failed;
  }

  /** Optional rules skipped because the store lacks the capability. */
  public Set<String> skippedRules() {
    Set<String> skipped = new TreeSet<>(RuleResult.RULE_ORDER);
    results.stream().filter(r -> r.acceptable() && !r.passed()).forEach(r -> skipped.add(r.rule()));
    return skipped;
  }

  public Optional<RuleResult> result(String rule) {
    return results.stream().filter(r -> r.rule().equals(rule)).findFirst();
  }

  /** One line per rule ({@code PASS L1.1 providerIsRegisteredForScheme}), then {@code verdict: PASS|FAIL}. */
  public String render(boolean withMessages) {
    StringBuilder b = new StringBuilder();
    for (RuleResult r : results) {
      String tag = switch (r.status()) {
        case PASSED -> "PASS";
        case FAILED -> "FAIL";
        case ABORTED -> "ABORTED";
        case SKIPPED -> "SKIP";
      };
      b.append(String.format("%-7s %-6s %s (%.2f s)%n", tag, r.rule(), r.title(), r.duration().toMillis() / 1000.0));
      if (r.status() == RuleResult.Status.SKIPPED && !r.message().isEmpty()) {
        // The reason is short and always worth a line: it says what the store lacks.
        b.append("          ").append(r.message().lines().findFirst().orElse("")).append(System.lineSeparator());
      } else if (withMessages && !r.passed() && !r.message().isEmpty()) {
        for (String line : r.message().split("\n")) {
          b.append("          ").append(line).append(System.lineSeparator());
        }
      }
    }
    for (String e : kitErrors) {
      b.append("ERROR   ").append(e).append(System.lineSeparator());
    }
    b.append("rules: ").append(results.size()).append(", failed: ").append(failedRules().size());
    if (!skippedRules().isEmpty()) {
      b.append(", optional skipped: ").append(skippedRules().size());
    }
    b.append(System.lineSeparator());
    b.append("verdict: ").append(passed() ? "PASS" : "FAIL").append(System.lineSeparator());
    return b.toString();
  }
}
