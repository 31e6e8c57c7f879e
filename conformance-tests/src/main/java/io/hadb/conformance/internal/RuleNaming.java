package io.hadb.conformance.internal;

import io.hadb.conformance.RuleResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Makes an unexpected exception from the store fail with the rule's number and a hint, like the
 * kit's own assertions, so a report never shows a bare stack trace without saying which rule
 * broke.
 */
public final class RuleNaming implements TestExecutionExceptionHandler {
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    if (thrown instanceof AssertionError a && String.valueOf(a.getMessage()).startsWith("[")) {
      throw thrown;
    }
    if (thrown instanceof TestAbortedException) {
      throw thrown; // an optional rule skipped with its reason
    }
    String rule = RuleResult.ruleOf(context.getRequiredTestMethod().getName());
    throw new AssertionFailedError(Check.message(rule, "the store threw " + thrown + " during this rule's test",
        "a call the rule expects to answer threw instead: losing a race or a failed condition must be returned"
            + " (CasResult.lost(), putIfAbsent false), not thrown (DESIGN §3.1 L-result); any other exception"
            + " means the store could not answer a valid call"), thrown);
  }
}
