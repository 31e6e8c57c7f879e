package io.hadb.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The orchestrator's handle on one node JVM: the same java and class path as this process,
 * stderr to {@code <dir>/<id>.log}, one command at a time on stdin with its one answer from
 * stdout; {@code @ROLE} events go to a listener as they arrive.
 */
final class NodeHandle implements AutoCloseable {
  private static final Protocol CLOSED = new Protocol("EOF", java.util.Map.of());
  final String id;
  private final Process process;
  private final BlockingQueue<Protocol> answers = new LinkedBlockingQueue<>();

  private NodeHandle(String id, Process process, Consumer<Protocol> roleEvents) {
    this.id = id;
    this.process = process;
    Thread reader = new Thread(() -> read(roleEvents), "demo-" + id + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeHandle start(Path dir, String id, Duration ttl, String engine, String secret,
      Consumer<Protocol> roleEvents) throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs the demo"));
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), DemoMain.class.getName(),
        "node", "--dir", dir.toString(), "--id", id, "--ttl-ms", Long.toString(ttl.toMillis()), "--engine", engine));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve(id + ".log").toFile());
    pb.environment().put("HADB_FORWARD_SECRET", secret);
    return new NodeHandle(id, pb.start(), roleEvents);
  }

  private void read(Consumer<Protocol> roleEvents) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Protocol p = Protocol.parse(line);
        if (p == null) {
          continue;
        }
        if (p.type().equals("ROLE")) {
          roleEvents.accept(p);
        } else {
          answers.add(p);
        }
      }
    } catch (IOException e) {
      // the process died (kill -9): the next request sees CLOSED
    }
    answers.add(CLOSED);
  }

  /** Waits for the node's {@code @READY}. */
  Protocol awaitReady(Duration bound) throws InterruptedException {
    return expect("READY", next(bound));
  }

  /** Sends one command and returns its answer; fails when the node dies or exceeds {@code bound}. */
  synchronized Protocol request(String command, Duration bound) throws IOException, InterruptedException {
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    return next(bound);
  }

  private Protocol next(Duration bound) throws InterruptedException {
    Protocol p = answers.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    if (p == null) {
      throw new IllegalStateException("node " + id + " gave no answer within " + bound + " (see " + id + ".log)");
    }
    if (p == CLOSED) {
      answers.add(CLOSED);
      throw new IllegalStateException("node " + id + " exited (code " + exitCode() + "; see " + id + ".log)");
    }
    return p;
  }

  private String exitCode() {
    return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
  }

  private Protocol expect(String type, Protocol p) {
    if (!p.type().equals(type)) {
      throw new IllegalStateException("node " + id + " answered @" + p.type() + " " + p.fields() + ", expected @" + type);
    }
    return p;
  }

  Protocol request(String command, String answerType, Duration bound) throws IOException, InterruptedException {
    return expect(answerType, request(command, bound));
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and waits for the process to be gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node " + id + " survived SIGKILL for 10 s");
    }
  }

  /** Graceful stop ({@code stop}: the node closes its database, handing the lease over). */
  void stop(Duration bound) throws IOException, InterruptedException {
    request("stop", "STOPPED", bound);
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("node " + id + " did not exit within " + bound + " after stop");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill9();
    }
  }
}
