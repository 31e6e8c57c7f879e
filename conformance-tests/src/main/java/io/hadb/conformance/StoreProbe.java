package io.hadb.conformance;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.conformance.internal.Kit;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Command line: runs the conformance kit against a store given by URI and prints each rule's
 * PASS/FAIL/SKIP and a final {@code verdict:} line.
 *
 * <pre>
 * java -cp conformance-tests.jar:hadb-api.jar:&lt;plug-in jars&gt;:&lt;junit&gt; \
 *     io.hadb.conformance.StoreProbe lease 'nats://127.0.0.1:4222?bucket=leases'
 * </pre>
 *
 * <p>Before the kit runs, the store is opened and asked one harmless question (a read of an
 * absent register, a listing of an empty prefix). If it cannot be opened or refuses (missing or
 * refused credentials, a missing bucket, a server that does not answer), the probe prints that one
 * reason and {@code verdict: NOT RUN} instead of every rule failing with it.
 *
 * <p>Exit status {@value #PASS} when every rule passed, {@value #FAIL} when one failed,
 * {@value #USAGE} on a usage error, {@value #NOT_RUN} when the store could not be probed.
 */
public final class StoreProbe {
  public static final int PASS = 0;
  public static final int FAIL = 1;
  public static final int USAGE = 2;
  public static final int NOT_RUN = 3;

  /** Errors of a first harmless call that mean "cannot probe this store", not "the store is wrong". */
  private static final Set<ErrorCode> CANNOT_PROBE = EnumSet.of(ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT,
      ErrorCode.INVALID_ARGUMENT, ErrorCode.NOT_FOUND, ErrorCode.UNSUPPORTED);

  private StoreProbe() {}

  public static void main(String[] args) {
    System.exit(run("StoreProbe", args, System.out, System.err));
  }

  /**
   * The testable body of {@link #main}: returns the exit status.
   *
   * @param program how the user started the probe, for the usage text
   */
  public static int run(String program, String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.contains("--help") || rest.contains("-h")) {
      usage(program, out);
      return PASS;
    }
    Set<String> rules = new LinkedHashSet<>();
    int at = rest.indexOf("--rules");
    if (at >= 0) {
      if (at + 1 >= rest.size()) {
        err.println(program + ": --rules needs a list such as L4.2,L4.5");
        return USAGE;
      }
      for (String r : rest.get(at + 1).split(",")) {
        rules.add(r.strip().toUpperCase(Locale.ROOT));
      }
      rest.remove(at + 1);
      rest.remove(at);
    }
    if (rest.size() < 2) {
      usage(program, err);
      return USAGE;
    }
    ContractRunner.Kind kind;
    try {
      kind = ContractRunner.Kind.valueOf(rest.get(0).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println(program + ": unknown store kind '" + rest.get(0) + "': use lease or storage");
      usage(program, err);
      return USAGE;
    }
    List<String> uris = rest.subList(1, rest.size());
    String noun = kind == ContractRunner.Kind.LEASE ? "lease store" : "storage backend";
    out.println("probing " + noun + " " + HadbUri.redact(uris.get(0))
        + (uris.size() > 1 ? " (clients from " + uris.size() + " URIs in turn)" : ""));
    for (String uri : uris) {
      Optional<String> problem = cannotProbe(kind, uri);
      if (problem.isPresent()) {
        out.println("NOT RUN: " + noun + " " + HadbUri.redact(uri) + ": " + problem.get());
        out.println("verdict: NOT RUN");
        out.flush();
        return NOT_RUN;
      }
    }
    ContractReport report;
    try {
      report = ContractRunner.run(kind, uris, rules);
    } catch (IllegalArgumentException e) {
      err.println(program + ": " + e.getMessage());
      return USAGE;
    }
    out.print(report.render(true));
    out.flush();
    return report.passed() ? PASS : FAIL;
  }

  /**
   * Opens the store and asks it one harmless question; the reason it cannot be probed, if any.
   * Plug-in messages name the offending part of the URI (or what to set) and never its secrets.
   */
  static Optional<String> cannotProbe(ContractRunner.Kind kind, String uri) {
    String where = Kit.newPrefix();
    try {
      if (kind == ContractRunner.Kind.LEASE) {
        try (LeaseStore s = LeaseStores.open(uri)) {
          s.read(where + "probe");
        }
      } else {
        try (StorageBackend b = StorageBackends.open(uri)) {
          b.list(where, Optional.empty(), 1);
        }
      }
      return Optional.empty();
    } catch (HadbException e) {
      return CANNOT_PROBE.contains(e.code()) ? Optional.of(e.getMessage()) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage());
    }
  }

  private static void usage(String program, PrintStream to) {
    to.println("usage: " + program + " [--rules L4.2,L4.5] lease|storage <uri> [<uri> ...]");
    to.println("  Runs the conformance kit (rules in conformance-tests/SPEC.md) against the store at <uri>:");
    to.println("  one line per rule (PASS, FAIL with what to check, SKIP for an optional capability the store");
    to.println("  lacks), then 'verdict: PASS|FAIL'. More URIs of the same namespace, differing in client");
    to.println("  settings, open the kit's clients from each in turn (a protocol store's bugs may need both).");
    to.println("  for example: lease 'nats://127.0.0.1:4222?bucket=probe'");
    to.println("               storage file:///tmp/hadb-probe");
    to.println("               lease 'file:///tmp/l?keep=16' 'file:///tmp/l?keep=2&collectEvery=1'");
    to.println("  lease schemes here: " + String.join(", ", schemes(ContractRunner.Kind.LEASE)));
    to.println("  storage schemes here: " + String.join(", ", schemes(ContractRunner.Kind.STORAGE)));
    to.println("  kit settings, as java -D...: " + Kit.TRIES + " (60), " + Kit.RACE_THREADS + " (16), "
        + Kit.RACE_ROUNDS + " (6), " + Kit.LARGE_OBJECT_MIB + " (12), " + Kit.CALL_TIMEOUT_SECONDS + " (60), "
        + Kit.WATCH_SECONDS + " (10); hadb.seed=<seed> replays a model-based failure");
    to.println("  exit status: " + PASS + " every rule passed, " + FAIL + " a rule failed, " + USAGE
        + " usage error, " + NOT_RUN + " not run (the store could not be opened, or refused a first read)");
  }

  /** The URI schemes whose providers are on the class path, as {@code mem:}. */
  static List<String> schemes(ContractRunner.Kind kind) {
    var byScheme = kind == ContractRunner.Kind.LEASE
        ? LeaseStores.registry().providersByScheme()
        : StorageBackends.registry().providersByScheme();
    return byScheme.keySet().stream().sorted().map(s -> s + ":").toList();
  }
}
