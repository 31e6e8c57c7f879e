package io.hadb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One {@code hadb serve} process, started as a user would ({@code HadbMain serve ...}) with this
 * test's java and class path; its output is kept for failure messages and its URL read from the
 * line it prints once listening.
 */
final class ServeNode implements AutoCloseable {
  private static final String LISTENING = "hadb serve: listening on ";

  final String id;
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private volatile String url;

  private ServeNode(String id, Process process) {
    this.id = id;
    this.process = process;
    Thread reader = new Thread(this::read, "serve-" + id + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ServeNode start(String id, List<String> serveArgs) throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new AssertionError("cannot tell which java runs this test"));
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), HadbMain.class.getName(), "serve"));
    cmd.addAll(serveArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("HADB_"));
    return new ServeNode(id, pb.start());
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        if (line.startsWith(LISTENING)) {
          url = line.substring(LISTENING.length(), line.indexOf(' ', LISTENING.length()));
          synchronized (this) {
            notifyAll();
          }
        }
      }
    } catch (IOException e) {
      output.add("(reading output failed: " + e + ")");
    }
    synchronized (this) {
      notifyAll();
    }
  }

  /** The HTTP API's base URL, once the node listens. */
  synchronized String awaitUrl(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (url == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !process.isAlive() && url == null) {
        throw new AssertionError("node " + id + " did not listen within " + timeout + (process.isAlive() ? "" : " (exited "
            + process.exitValue() + ")") + "; output:\n" + describe());
      }
      wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
    return url;
  }

  String url() {
    return url;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String describe() {
    return "--- " + id + " ---\n" + String.join("\n", output);
  }

  /** SIGTERM: the graceful hand-off; then SIGKILL if it does not end in time. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          kill9();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
