package io.hadb.testservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One external server process for tests: started from a fixed command line, with its output in a
 * log file inside its own data directory, waited on with a readiness probe, and killable,
 * pausable and restartable on the same ports and data directory for fault tests.
 *
 * <p>The static helpers (free ports, binary lookup, data directories, probes) are shared by every
 * fixture in this module. Every process started here is killed by one JVM shutdown hook, so a test
 * run never leaves servers behind on a normal exit. (A JVM killed with {@code kill -9} cannot run
 * hooks; its servers then stay until the machine cleans up.)
 */
public final class ServerProcess implements AutoCloseable {

  /** How long a server may take to become ready before the fixture gives up. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  /** The usual Debian/Ubuntu locations, searched after {@code PATH}. */
  private static final List<String> SYSTEM_DIRS =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Integer> HANDED_OUT_PORTS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (ServerProcess p : LIVE) {
        p.destroyQuietly();
      }
    }, "hadb-test-servers-shutdown"));
  }

  /** Says whether the server answers yet; may throw, which counts as "not yet". */
  @FunctionalInterface
  public interface Probe {
    boolean ready() throws Exception;
  }

  private final String name;
  private final List<String> command;
  private final Path dataDir;
  private final Path logFile;
  private final Probe probe;
  private final Duration startTimeout;
  private Process process;
  private boolean paused;

  /**
   * @param name short name for messages and the log file ({@code nats-server}, {@code etcd})
   * @param command the full command line; it must reuse the same ports and data directory on
   *     every start, which is what makes {@link #restart()} a restart and not a new server
   * @param dataDir the server's own directory; the log goes to {@code dataDir/<name>.log}
   * @param probe readiness check, polled until true or {@code startTimeout}
   */
  public ServerProcess(
      String name, List<String> command, Path dataDir, Probe probe, Duration startTimeout) {
    this.name = name;
    this.command = List.copyOf(command);
    this.dataDir = dataDir;
    this.logFile = dataDir.resolve(name + ".log");
    this.probe = probe;
    this.startTimeout = startTimeout;
  }

  /** Starts the process and waits until the probe says it is ready. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(dataDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    try {
      Files.writeString(logFile, "=== starting: " + String.join(" ", command) + System.lineSeparator(),
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", command), e);
    }
    paused = false;
    LIVE.add(this);
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue()
            + " while starting; log " + logFile + ":\n" + logTail());
      }
      try {
        if (probe.ready()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      sleep(50);
    }
    destroyQuietly();
    throw new IllegalStateException(name + " was not ready within " + startTimeout
        + (last == null ? "" : " (last probe error: " + last + ")") + "; log " + logFile + ":\n"
        + logTail());
  }

  /** {@code kill -9}: the process dies at once, without flushing or closing anything. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing " + name, e);
    }
    paused = false;
    LIVE.remove(this);
  }

  /** {@code kill -STOP}: the process keeps its sockets open but answers nothing. */
  public synchronized void pause() {
    signal("STOP");
    // kill(2) only queues the signal: wait until the kernel reports the process stopped, or a
    // probe right after pause() may still be answered.
    awaitState(true);
    paused = true;
  }

  /** {@code kill -CONT}: undoes {@link #pause()}. */
  public synchronized void resume() {
    signal("CONT");
    awaitState(false);
    paused = false;
  }

  /** Polls {@code /proc/<pid>/stat} (Linux) until the process is, or is no longer, stopped. */
  private void awaitState(boolean stopped) {
    Path stat = Paths.get("/proc", Long.toString(process.pid()), "stat");
    if (!Files.exists(stat)) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        String line = Files.readString(stat, StandardCharsets.US_ASCII);
        // Field 3, after the parenthesised command name: T = stopped by a signal.
        char state = line.charAt(line.lastIndexOf(')') + 2);
        if ((state == 'T') == stopped) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        return;
      }
      sleep(5);
    }
    throw new IllegalStateException(name + " (pid " + process.pid() + ") did not "
        + (stopped ? "stop" : "continue") + " within 10 s");
  }

  /** Kills the process if it runs (paused or not) and starts it again on the same ports and data. */
  public synchronized void restart() {
    kill();
    start();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public synchronized boolean isPaused() {
    return paused;
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** Kills the server. Its data directory stays, for reading the log after a failure. */
  @Override
  public synchronized void close() {
    kill();
  }

  private void signal(String sig) {
    long pid = pid();
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " (pid " + pid + ") is not running, cannot send SIG" + sig);
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
          .redirectErrorStream(true).start();
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + pid + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run kill -" + sig + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + sig + " to " + name, e);
    }
  }

  private void destroyQuietly() {
    Process p = process;
    if (p != null) {
      // SIGKILL also ends a stopped (SIGSTOP) process; no SIGCONT needed first.
      p.destroyForcibly();
    }
    LIVE.remove(this);
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + (process == null ? " (not started)" : " (pid " + process.pid() + ")") + " in " + dataDir;
  }

  // ---------------------------------------------------------------- shared helpers

  /**
   * A loopback TCP port that is free now and has not been handed out before in this JVM, so two
   * fixtures never pick the same one even before either has bound it.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = s.getLocalPort();
        if (HANDED_OUT_PORTS.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not find a free loopback port", e);
      }
    }
    throw new IllegalStateException("no fresh free loopback port after 100 attempts");
  }

  /**
   * Finds an executable on {@code PATH} or in the usual system directories. A missing binary is
   * an error that names the Debian package to install: tests that need a real server fail, they
   * never skip (DESIGN §7), with or without {@code CI=true}.
   */
  public static Path findBinary(String executable, String debianPackage) {
    Set<String> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        if (!d.isBlank()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(SYSTEM_DIRS);
    for (String d : dirs) {
      Path candidate = Paths.get(d, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("'" + executable + "' was not found on PATH or in "
        + String.join(", ", SYSTEM_DIRS) + ": install the Debian package '" + debianPackage
        + "' (apt-get install " + debianPackage + "). Tests that need it fail rather than skip.");
  }

  /**
   * A fresh directory for one server. Under {@code target/test-servers} when run from a Maven
   * module (so logs survive a failed run and {@code mvn clean} removes them), else under the
   * system temp directory. {@code -Dhadb.testservers.dir=...} overrides the parent.
   */
  public static Path newDataDir(String prefix) {
    try {
      Path parent;
      String configured = System.getProperty("hadb.testservers.dir");
      boolean temporary = false;
      if (configured != null && !configured.isBlank()) {
        parent = Paths.get(configured);
      } else if (Files.isDirectory(Paths.get("target"))) {
        parent = Paths.get("target", "test-servers");
      } else {
        parent = Paths.get(System.getProperty("java.io.tmpdir"), "hadb-test-servers");
        temporary = true;
      }
      Files.createDirectories(parent);
      Path dir = Files.createTempDirectory(parent.toAbsolutePath(), prefix + "-");
      if (temporary) {
        deleteOnExit(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a data directory for " + prefix, e);
    }
  }

  private static void deleteOnExit(Path dir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Stream<Path> paths = Files.walk(dir)) {
        List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
        for (Path p : all) {
          Files.deleteIfExists(p);
        }
      } catch (IOException ignored) {
        // Best effort: a temp directory left behind is harmless.
      }
    }, "hadb-test-servers-cleanup"));
  }

  /** Whether something accepts TCP connections on {@code host:port} within {@code timeout}. */
  public static boolean tcpOpen(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A plain HTTP GET with connect and read timeouts: the body when the status is 200, else null.
   */
  public static String httpGet(String url, Duration timeout) {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      c.setConnectTimeout((int) timeout.toMillis());
      c.setReadTimeout((int) timeout.toMillis());
      try {
        if (c.getResponseCode() != 200) {
          return null;
        }
        try (InputStream in = c.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return null;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a server", e);
    }
  }
}
