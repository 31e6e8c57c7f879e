package io.hadb.testservers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real single-member {@code etcd} on free loopback ports (client and peer) with its own data
 * directory.
 *
 * <p>{@link #shared()} is one server per JVM, started on first use (for the conformance kit);
 * {@link #start()} gives a private instance for fault tests. A restart reuses the ports and the
 * data directory, so the member comes back with its data and its revision counter.
 */
public final class EtcdServer implements AutoCloseable {

  /** The Debian package that holds the binary, named when it is missing. */
  public static final String DEBIAN_PACKAGE = "etcd-server";

  private static final Object SHARED_LOCK = new Object();
  private static EtcdServer shared;

  private final int clientPort;
  private final int peerPort;
  private final ServerProcess process;

  private EtcdServer() {
    Path binary = ServerProcess.findBinary("etcd", DEBIAN_PACKAGE);
    this.clientPort = ServerProcess.freePort();
    this.peerPort = ServerProcess.freePort();
    Path dataDir = ServerProcess.newDataDir("etcd");
    String member = "hadb-test-" + clientPort;
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    // On a restart the data directory already holds the membership; etcd then ignores the
    // --initial-* flags, so one command line serves both first start and restart.
    List<String> command = List.of(
        binary.toString(),
        "--name", member,
        "--data-dir", dataDir.resolve("member-data").toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", member + "=" + peer,
        "--initial-cluster-state", "new",
        "--initial-cluster-token", member);
    this.process = new ServerProcess("etcd", command, dataDir, this::healthy,
        ServerProcess.DEFAULT_START_TIMEOUT);
  }

  /** The one server of this JVM, started on first call; killed when the JVM exits. */
  public static EtcdServer shared() {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        EtcdServer s = new EtcdServer();
        s.process.start();
        shared = s;
      }
      return shared;
    }
  }

  /** A private server for fault tests; the caller closes it. */
  public static EtcdServer start() {
    EtcdServer s = new EtcdServer();
    s.process.start();
    return s;
  }

  /** Ready means {@code /health} answers {@code "health":"true"}: the member has a leader. */
  private boolean healthy() {
    if (!ServerProcess.tcpOpen("127.0.0.1", clientPort, Duration.ofMillis(500))) {
      return false;
    }
    String body = ServerProcess.httpGet(endpoint() + "/health", Duration.ofSeconds(1));
    return body != null && body.replace(" ", "").contains("\"health\":\"true\"");
  }

  public int clientPort() {
    return clientPort;
  }

  public int peerPort() {
    return peerPort;
  }

  /** {@code http://127.0.0.1:<port>}, for etcd clients. */
  public String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** The {@code lease-etcd} URI of a key prefix on this server, e.g. for the conformance kit. */
  public String leaseUri(String prefix) {
    return "etcd://127.0.0.1:" + clientPort + "?prefix=" + prefix;
  }

  /** As {@link #leaseUri(String)} with extra query parameters ({@code "requestTimeout=500ms"}). */
  public String leaseUri(String prefix, String extraParams) {
    return leaseUri(prefix) + (extraParams.isEmpty() ? "" : "&" + extraParams);
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
        throw new IllegalStateException("the shared etcd server is closed at JVM exit, not by tests");
      }
    }
    process.close();
  }

  @Override
  public String toString() {
    return "EtcdServer[" + endpoint() + ", " + process + "]";
  }
}
