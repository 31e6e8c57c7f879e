package io.hadb.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.hadb.conformance.internal.Kit;
import io.hadb.conformance.probe.LeaseStoreProbe;
import io.hadb.conformance.probe.StorageBackendProbe;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.TestAbortedException;

/**
 * Runs a contract of the kit through the JUnit Platform Launcher and returns one result per rule.
 * It powers {@link StoreProbe} and the kit's own proof that it catches broken stores.
 */
public final class ContractRunner {
  /** The system property the probe contracts read their URI from. */
  public static final String URI_PROPERTY = "hadb.conformance.uri";

  /** Which contract to run. */
  public enum Kind {
    LEASE(LeaseStoreProbe.class),
    STORAGE(StorageBackendProbe.class);

    private final Class<?> probe;

    Kind(Class<?> probe) {
      this.probe = probe;
    }

    public Class<?> probeClass() {
      return probe;
    }
  }

  private static final Object LOCK = new Object();

  private ContractRunner() {}

  /** Runs the {@code kind} contract against {@code uri}. */
  public static ContractReport run(Kind kind, String uri) {
    return run(kind, List.of(uri), Set.of());
  }

  /**
   * Runs the {@code kind} contract with clients opened from {@code uris} in turn: URIs of one
   * namespace that may differ in client settings (the first names the store in the report).
   *
   * @param rules the rule numbers to run ({@code "L4.2"}), or empty for every rule
   */
  public static ContractReport run(Kind kind, List<String> uris, Set<String> rules) {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("at least one URI is needed");
    }
    uris.forEach(u -> Objects.requireNonNull(u, "uri"));
    synchronized (LOCK) {
      String beforeUri = System.getProperty(URI_PROPERTY);
      String beforeClients = System.getProperty(Kit.CLIENT_URIS);
      System.setProperty(URI_PROPERTY, uris.get(0));
      System.setProperty(Kit.CLIENT_URIS, String.join("\n", uris));
      try {
        ContractReport r = run(kind.probeClass(), rules);
        return new ContractReport(uris.get(0), r.results(), r.kitErrors());
      } finally {
        restore(URI_PROPERTY, beforeUri);
        restore(Kit.CLIENT_URIS, beforeClients);
      }
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  /**
   * Runs a concrete contract subclass (one that implements {@code uri()} itself).
   *
   * @param rules the rule numbers to run ({@code "L4.2"}), or empty for every rule
   */
  public static ContractReport run(Class<?> contractClass, Set<String> rules) {
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    if (rules.isEmpty()) {
      request.selectors(selectClass(contractClass));
    } else {
      Set<String> unknown = new TreeSet<>(rules);
      for (Class<?> c = contractClass; c != null; c = c.getSuperclass()) {
        for (Method m : c.getDeclaredMethods()) {
          if (rules.contains(RuleResult.ruleOf(m.getName())) && RuleResult.isRuleTest(m.getName())) {
            request.selectors(selectMethod(contractClass, m.getName()));
            unknown.remove(RuleResult.ruleOf(m.getName()));
          }
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("no rule " + String.join(", ", unknown) + " in " + contractClass.getName()
            + " (rule numbers look like L4.2; see conformance-tests/SPEC.md)");
      }
    }
    Collector collector = new Collector();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request.build(), collector);
    return new ContractReport(contractClass.getName(), new ArrayList<>(collector.results.values()), collector.errors);
  }

  private static final class Collector implements TestExecutionListener {
    final Map<String, RuleResult> results = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Long> started = new ConcurrentHashMap<>();

    @Override
    public void executionStarted(TestIdentifier id) {
      started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
      if (id.isTest()) {
        add(id, RuleResult.Status.SKIPPED, "skipped: " + reason, Duration.ZERO);
      } else {
        errors.add(id.getDisplayName() + " was skipped: " + reason);
      }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      Long t0 = started.remove(id.getUniqueId());
      Duration took = t0 == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - t0);
      String message = result.getThrowable().map(ContractRunner::describe).orElse("");
      if (id.isTest()) {
        RuleResult.Status status = switch (result.getStatus()) {
          case SUCCESSFUL -> RuleResult.Status.PASSED;
          case FAILED -> RuleResult.Status.FAILED;
          // An optional rule is skipped, with its reason, when the store lacks the capability.
          case ABORTED -> methodName(id).startsWith("optional_") ? RuleResult.Status.SKIPPED : RuleResult.Status.ABORTED;
        };
        add(id, status, message, took);
      } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
        errors.add(id.getDisplayName() + " failed: " + message);
      }
    }

    private void add(TestIdentifier id, RuleResult.Status status, String message, Duration took) {
      String method = methodName(id);
      String rule = RuleResult.ruleOf(method);
      results.put(id.getUniqueId(), new RuleResult(rule, method, status, message, took));
    }

    private static String methodName(TestIdentifier id) {
      return id.getSource()
          .filter(MethodSource.class::isInstance)
          .map(s -> ((MethodSource) s).getMethodName())
          .orElse(id.getDisplayName());
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.toString();
    }
    if (t instanceof TestAbortedException) {
      return m.replaceFirst("^Assumption failed: ", "skipped: ");
    }
    return t instanceof AssertionError ? m : t.getClass().getSimpleName() + ": " + m;
  }
}
