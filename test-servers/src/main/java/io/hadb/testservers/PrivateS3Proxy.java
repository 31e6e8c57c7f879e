package io.hadb.testservers;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private {@link S3ProxyServer} for one test class, for fault tests that kill, pause and
 * restart it (the conformance tests share {@link S3ProxyServer#shared()} instead):
 *
 * <pre>{@code
 * @RegisterExtension static final PrivateS3Proxy s3 = new PrivateS3Proxy();
 * ... StorageBackends.open(s3.uri("fault", "db", "apiCallTimeout=2s")) ... s3.server().kill();
 * }</pre>
 *
 * <p>Started once before the class's tests (a start costs seconds), so each test should use a
 * bucket or prefix of its own; restarted before a test if an earlier one left it killed; closed
 * after the class. A server that cannot start fails the class (JUnit reports the error), it never
 * skips (DESIGN §7). The field must be {@code static}: JUnit calls class-level callbacks only on
 * static extension fields, and an instance field is refused with a message saying so.
 */
public final class PrivateS3Proxy implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private S3ProxyServer server;
  /** The class that started the server; @Nested classes reuse it and must not close it. */
  private String owner;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (server == null) {
      server = S3ProxyServer.start();
      owner = context.getUniqueId();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!server().isRunning()) {
      server.restart(); // a failed test may have left it killed
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null && context.getUniqueId().equals(owner)) {
      try {
        server.close();
      } finally {
        server = null;
        owner = null;
      }
    }
  }

  /** The running server, for {@code kill()}, {@code pause()}, {@code restart()} and the like. */
  public S3ProxyServer server() {
    if (server == null) {
      throw new IllegalStateException("the private S3Proxy is not running: register "
          + getClass().getSimpleName() + " with @RegisterExtension on a static field, and use it"
          + " only from the tests of that class");
    }
    return server;
  }

  /** {@link S3ProxyServer#uri(String, String, String...)} of this class's server. */
  public String uri(String bucket, String prefix, String... extraParams) {
    return server().uri(bucket, prefix, extraParams);
  }

  @Override
  public String toString() {
    return "PrivateS3Proxy[" + (server == null ? "not running" : server) + "]";
  }
}
