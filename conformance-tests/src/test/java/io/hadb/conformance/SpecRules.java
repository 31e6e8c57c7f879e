package io.hadb.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rule numbers of conformance-tests/SPEC.md (headings "### L4.2 …"). */
final class SpecRules {
  private static final Pattern HEADING = Pattern.compile("^### ([ELS]\\d+\\.\\d+) ", Pattern.MULTILINE);

  private SpecRules() {}

  static String text() {
    try {
      return Files.readString(Path.of("SPEC.md"));
    } catch (IOException e) {
      throw new UncheckedIOException("SPEC.md must be in the module directory (surefire's working directory)", e);
    }
  }

  static Set<String> rules(String letter) {
    Set<String> rules = new TreeSet<>(RuleResult.RULE_ORDER);
    Matcher m = HEADING.matcher(text());
    while (m.find()) {
      if (m.group(1).startsWith(letter)) {
        rules.add(m.group(1));
      }
    }
    return rules;
  }
}
