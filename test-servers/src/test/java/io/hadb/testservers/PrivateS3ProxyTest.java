package io.hadb.testservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small fixture classes that use the extension through the JUnit launcher (they are nested
 * classes, so Surefire does not run them by themselves) and checks what happened to them.
 */
class PrivateS3ProxyTest {

  static TestExecutionSummary run(Class<?> fixture) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
    return listener.getSummary();
  }

  @Test
  void startsOnceRestartsAKilledServerBeforeTheNextTestAndStopsAfterTheClass() {
    Lifecycle.seen.clear();
    TestExecutionSummary summary = run(Lifecycle.class);
    assertEquals(2, summary.getTestsSucceededCount(), () -> failures(summary));
    assertEquals(2, Lifecycle.seen.size());
    S3ProxyServer first = Lifecycle.seen.get(0);
    assertSame(first, Lifecycle.seen.get(1), "one server for the class, restarted in place");
    assertFalse(first.isRunning(), "closed after the class");
  }

  @Test
  void aServerThatCannotStartFailsTheClassAndSkipsNothing() {
    String before = System.getProperty(S3ProxyServer.JAR_PROPERTY);
    System.setProperty(S3ProxyServer.JAR_PROPERTY, "/nonexistent/s3proxy.jar");
    TestExecutionSummary summary;
    try {
      summary = run(Lifecycle.class);
    } finally {
      if (before == null) {
        System.clearProperty(S3ProxyServer.JAR_PROPERTY);
      } else {
        System.setProperty(S3ProxyServer.JAR_PROPERTY, before);
      }
    }
    assertEquals(1, summary.getTotalFailureCount(), () -> failures(summary));
    assertEquals(0, summary.getTestsSucceededCount());
    assertEquals(0, summary.getTestsSkippedCount() + summary.getTestsAbortedCount()
        + summary.getContainersSkippedCount() + summary.getContainersAbortedCount());
    Throwable cause = summary.getFailures().get(0).getException();
    assertTrue(cause.getMessage().contains("/nonexistent/s3proxy.jar"), cause.toString());
  }

  @Test
  void anInstanceFieldIsRefusedWithAMessageSayingWhy() {
    TestExecutionSummary summary = run(InstanceField.class);
    assertEquals(1, summary.getTestsFailedCount(), () -> failures(summary));
    Throwable cause = summary.getFailures().get(0).getException();
    assertNotNull(cause.getMessage());
    assertTrue(cause.getMessage().contains("static field"), cause.toString());
  }

  static String failures(TestExecutionSummary summary) {
    StringBuilder b = new StringBuilder();
    summary.getFailures().forEach(f -> b.append(f.getTestIdentifier().getDisplayName())
        .append(": ").append(f.getException()).append('\n'));
    return b.toString();
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class Lifecycle {
    static final List<S3ProxyServer> seen = new ArrayList<>();
    @RegisterExtension static final PrivateS3Proxy s3 = new PrivateS3Proxy();

    @Test
    @Order(1)
    void killsTheServer() {
      seen.add(s3.server());
      assertTrue(s3.uri("lifecycle", "p").startsWith("s3://lifecycle/p?endpoint=" + s3.server().endpoint()));
      s3.server().kill();
    }

    @Test
    @Order(2)
    void findsItRunningAgainOnTheSamePort() {
      seen.add(s3.server());
      assertTrue(s3.server().isRunning());
      assertEquals(seen.get(0).port(), s3.server().port());
    }
  }

  static class InstanceField {
    @RegisterExtension final PrivateS3Proxy s3 = new PrivateS3Proxy();

    @Test
    void neverGetsAServer() {
      s3.server();
    }
  }
}
