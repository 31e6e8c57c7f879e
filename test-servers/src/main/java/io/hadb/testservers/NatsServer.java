package io.hadb.testservers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code nats-server -js} on free loopback ports (client and monitoring), with JetStream
 * file storage in its own data directory.
 *
 * <p>{@link #shared()} is one server per JVM, started on first use: conformance tests use it
 * (their {@code uri()} is asked for in every test of every contract class, so it comes from a
 * singleton that outlives them). Fault
 * tests take a private instance from {@link #start()}, kill or pause it, and close it.
 */
public final class NatsServer implements AutoCloseable {

  /** The Debian package that holds the binary, named when it is missing. */
  public static final String DEBIAN_PACKAGE = "nats-server";

  private static final Object SHARED_LOCK = new Object();
  private static NatsServer shared;

  private final int port;
  private final int monitorPort;
  private final ServerProcess process;

  private NatsServer(List<String> extraArgs) {
    Path binary = ServerProcess.findBinary("nats-server", DEBIAN_PACKAGE);
    this.port = ServerProcess.freePort();
    this.monitorPort = ServerProcess.freePort();
    Path dataDir = ServerProcess.newDataDir("nats");
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "-js",
        "-a", "127.0.0.1",
        "-p", Integer.toString(port),
        "-m", Integer.toString(monitorPort),
        "-sd", dataDir.resolve("jetstream").toString(),
        "-n", "hadb-test-" + port));
    command.addAll(extraArgs);
    this.process = new ServerProcess("nats-server", command, dataDir, this::healthy,
        ServerProcess.DEFAULT_START_TIMEOUT);
  }

  /** The one server of this JVM, started on first call; killed when the JVM exits. */
  public static NatsServer shared() {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        NatsServer s = new NatsServer(List.of());
        s.process.start();
        shared = s;
      }
      return shared;
    }
  }

  /** A private server for fault tests; the caller closes it. */
  public static NatsServer start() {
    return start(List.of());
  }

  /**
   * A private server with extra {@code nats-server} options, for example
   * {@code List.of("--user", "u", "--pass", "p")} to test authentication; the caller closes it.
   */
  public static NatsServer start(List<String> extraArgs) {
    NatsServer s = new NatsServer(extraArgs);
    s.process.start();
    return s;
  }

  /**
   * Ready means the client port accepts connections and {@code /healthz} says ok, which on
   * nats-server 2.9 includes JetStream being up (its store recovered after a restart).
   */
  private boolean healthy() {
    if (!ServerProcess.tcpOpen("127.0.0.1", port, Duration.ofMillis(500))) {
      return false;
    }
    String body = ServerProcess.httpGet(
        "http://127.0.0.1:" + monitorPort + "/healthz", Duration.ofSeconds(1));
    return body != null && body.contains("\"ok\"");
  }

  public int port() {
    return port;
  }

  public int monitorPort() {
    return monitorPort;
  }

  /** {@code nats://127.0.0.1:<port>}, for NATS clients. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** The {@code lease-nats} URI of a KV bucket on this server, e.g. for the conformance kit. */
  public String leaseUri(String bucket) {
    return url() + "?bucket=" + bucket;
  }

  /** As {@link #leaseUri(String)} with extra query parameters ({@code "requestTimeout=500ms"}). */
  public String leaseUri(String bucket, String extraParams) {
    return leaseUri(bucket) + (extraParams.isEmpty() ? "" : "&" + extraParams);
  }

  /** {@code kill -9}. */
  public void kill() {
    process.kill();
  }

  /** SIGSTOP: connections stay open but nothing is answered. */
  public void pause() {
    process.pause();
  }

  /** SIGCONT. */
  public void resume() {
    process.resume();
  }

  /** Kill (if running) and start again on the same ports and data directory, then wait ready. */
  public void restart() {
    process.restart();
  }

  public boolean isRunning() {
    return process.isRunning();
  }

  public ServerProcess process() {
    return process;
  }

  /** Stops a private server. Closing {@link #shared()} is refused: other tests still use it. */
  @Override
  public void close() {
    synchronized (SHARED_LOCK) {
      if (this == shared) {
        throw new IllegalStateException("the shared NATS server is closed at JVM exit, not by tests");
      }
    }
    process.close();
  }

  @Override
  public String toString() {
    return "NatsServer[" + url() + ", " + process + "]";
  }
}
