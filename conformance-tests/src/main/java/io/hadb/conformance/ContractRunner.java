package io.hadb.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.hadb.conformance.probe.LeaseStoreProbe;
import io.hadb.conformance.probe.StorageBackendProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a contract of the kit through the JUnit Platform Launcher (both the Jupiter and the jqwik
 * engine) and returns one result per rule. It powers {@link StoreProbe} and the kit's own proof
 * that it catches broken stores.
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
    return run(kind, uri, Map.of());
  }

  /**
   * Runs the {@code kind} contract against {@code uri} with extra JUnit Platform configuration
   * parameters (for example {@code jqwik.shrinking.default=OFF}).
   *
   * <p>The URI travels in the system property {@value #URI_PROPERTY}, so runs are serialized
   * within one JVM; the previous value is restored afterwards.
   */
  public static ContractReport run(Kind kind, String uri, Map<String, String> configuration) {
    Objects.requireNonNull(uri, "uri");
    synchronized (LOCK) {
      String before = System.getProperty(URI_PROPERTY);
      System.setProperty(URI_PROPERTY, uri);
      try {
        ContractReport r = run(kind.probeClass(), configuration);
        return new ContractReport(uri, r.results(), r.kitErrors());
      } finally {
        if (before == null) {
          System.clearProperty(URI_PROPERTY);
        } else {
          System.setProperty(URI_PROPERTY, before);
        }
      }
    }
  }

  /** Runs a concrete contract subclass (one that implements {@code uri()} itself). */
  public static ContractReport run(Class<?> contractClass, Map<String, String> configuration) {
    Map<String, String> config = new HashMap<>();
    // No test-run database (it would make one store's failure replay first against the next
    // store) and no per-property report noise; callers may override both.
    config.put("jqwik.database", "");
    config.put("jqwik.reporting.onlyfailures", "true");
    config.putAll(configuration);
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(contractClass))
        .configurationParameters(config)
        .build();
    Collector collector = new Collector();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, collector);
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
          case ABORTED -> RuleResult.Status.ABORTED;
        };
        add(id, status, message, took);
      } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
        errors.add(id.getDisplayName() + " failed: " + message);
      }
    }

    private void add(TestIdentifier id, RuleResult.Status status, String message, Duration took) {
      String method = id.getSource()
          .filter(MethodSource.class::isInstance)
          .map(s -> ((MethodSource) s).getMethodName())
          .orElse(id.getDisplayName());
      String rule = RuleResult.ruleOf(method);
      results.put(id.getUniqueId(), new RuleResult(rule, method, status, ruleFirst(rule, message), took));
    }
  }

  /**
   * jqwik puts its own report (the actions run) before the kit's message; put the kit's message,
   * which names the rule and what to check, first, and keep jqwik's part after it.
   */
  static String ruleFirst(String rule, String message) {
    String tag = "[" + rule + "]";
    int at = message.indexOf(tag);
    if (at <= 0) {
      return message;
    }
    return message.substring(at).stripTrailing() + "\n  jqwik: " + message.substring(0, at).strip();
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.toString() : (t instanceof AssertionError ? m : t.getClass().getSimpleName() + ": " + m);
  }
}
