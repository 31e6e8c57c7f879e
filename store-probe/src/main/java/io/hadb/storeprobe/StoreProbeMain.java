package io.hadb.storeprobe;

import io.hadb.api.HadbUri;
import io.hadb.conformance.StoreProbe;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Entry point of {@code store-probe.jar}: {@code java -jar store-probe.jar lease|storage <uri>}.
 *
 * <p>It first opens the store once, so that a URI no plug-in can open (unknown scheme, a typo in
 * a parameter, a server that does not answer) is one clear error instead of every rule failing
 * with the same message; then it runs the kit through {@link StoreProbe}, which prints one line
 * per rule and a final {@code verdict: PASS|FAIL} line.
 *
 * <p>Exit status: 0 every rule passed, 1 a rule failed, 2 usage error, 3 the store could not be
 * opened.
 */
public final class StoreProbeMain {
  /** Exit status when the store cannot even be opened. */
  public static final int CANNOT_OPEN = 3;
  /** Exit status of a usage error (as {@link StoreProbe}). */
  public static final int USAGE = 2;

  private StoreProbeMain() {}

  public static void main(String[] args) {
    LineStartGuard console = new LineStartGuard(new FileOutputStream(FileDescriptor.out));
    System.setOut(console.others());
    int status = run(args, console.report(), System.err);
    System.out.flush();
    System.exit(status);
  }

  /** The testable body of {@link #main}: returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      usage(err);
      return USAGE;
    }
    Optional<StoreKind> kind = StoreKind.parse(args[0]);
    if (kind.isEmpty()) {
      err.println("store-probe: unknown store kind '" + args[0] + "': use lease or storage");
      usage(err);
      return USAGE;
    }
    Optional<String> problem = kind.get().openProblem(args[1]);
    if (problem.isPresent()) {
      err.println("store-probe: cannot open " + kind.get().description() + " "
          + HadbUri.redact(args[1]) + ": " + problem.get());
      err.println("verdict: NOT RUN (the store could not be opened)");
      return CANNOT_OPEN;
    }
    return StoreProbe.run(args, out, err);
  }

  private static void usage(PrintStream err) {
    err.println("usage: java [-Dhadb.conformance.tries=N] -jar store-probe.jar lease|storage <uri>");
    err.println("  for example: lease nats://127.0.0.1:4222?bucket=probe");
    err.println("               storage file:///tmp/hadb-probe");
    for (StoreKind k : StoreKind.values()) {
      err.println("  " + k.name().toLowerCase(Locale.ROOT) + " schemes in this jar: "
          + String.join(", ", k.schemes()));
    }
    err.println("exit status: 0 all rules passed, 1 a rule failed, 2 usage error, "
        + CANNOT_OPEN + " the store could not be opened");
  }
}
