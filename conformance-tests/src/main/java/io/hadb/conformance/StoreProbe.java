package io.hadb.conformance;

import io.hadb.api.HadbUri;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Command line: runs the conformance kit against a store given by URI and prints each rule's
 * PASS/FAIL and a final {@code verdict: PASS|FAIL} line.
 *
 * <pre>
 * java -cp conformance-tests.jar:hadb-api.jar:&lt;plug-in jars&gt;:&lt;junit, jqwik&gt; \
 *     io.hadb.conformance.StoreProbe lease nats://127.0.0.1:4222?bucket=leases
 * </pre>
 *
 * <p>Exit status 0 when every rule passed, 1 when one failed, 2 on a usage error. Kit knobs
 * ({@code -Dhadb.conformance.tries=20}, …) are system properties; see SPEC.md.
 */
public final class StoreProbe {
  private StoreProbe() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The testable body of {@link #main}: returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      err.println("usage: StoreProbe lease|storage <uri>");
      err.println("  for example: StoreProbe lease mem://probe   or   StoreProbe storage file:///tmp/hadb-probe");
      return 2;
    }
    ContractRunner.Kind kind;
    try {
      kind = ContractRunner.Kind.valueOf(args[0].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("unknown store kind '" + args[0] + "': use lease or storage");
      return 2;
    }
    String shown = HadbUri.redact(args[1]);
    out.println("probing " + kind.name().toLowerCase(Locale.ROOT) + " store " + shown);
    ContractReport report = ContractRunner.run(kind, args[1], Map.of());
    out.print(report.render(true));
    out.flush();
    return report.passed() ? 0 : 1;
  }
}
