package io.hadb.coordinator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MultiDbNode} JVM: same java and class path as the driver, its {@code @EVENT} lines
 * queued as they arrive, other output kept for error messages.
 */
final class BenchProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

  BenchProcess(String name, List<String> jvmFlags, List<String> args) throws IOException {
    this.name = name;
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MultiDbNode.class.getName()));
    cmd.addAll(args);
    this.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader = new Thread(this::read, "bench-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("@")) {
          events.add(line.substring(1));
        } else {
          output.add(line);
          if (output.size() > 200) {
            output.remove(0);
          }
        }
      }
    } catch (IOException e) {
      output.add("(output closed: " + e + ")");
    }
  }

  /** Sends {@code kill -<signal>} to the JVM (STOP, CONT). */
  void signal(String signal) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (k.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** The fields of the next event of type {@code type} (others are skipped), waiting up to {@code bound}. */
  String await(String type, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      String e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new IllegalStateException(name + ": no @" + type + " within " + bound + "; last output:\n"
            + String.join("\n", output));
      }
      if (e.startsWith(type + " ") || e.equals(type)) {
        return e.substring(Math.min(e.length(), type.length() + 1));
      }
    }
  }

  /** Every queued event of type {@code type} until {@code last} arrives (its fields excluded). */
  List<String> collect(String type, String last, Duration bound) throws InterruptedException {
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      String e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new IllegalStateException(name + ": no @" + last + " within " + bound + "; last output:\n"
            + String.join("\n", output));
      }
      if (e.startsWith(last)) {
        return out;
      }
      if (e.startsWith(type + " ")) {
        out.add(e.substring(type.length() + 1));
      }
    }
  }

  void send(String command) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Asks for a clean close and waits for it (SIGKILL after 60 s). */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      try {
        send("close");
      } catch (IOException gone) {
        // already exiting
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** {@code key}'s value in an event's {@code k=v} fields. */
  static String field(String fields, String key) {
    for (String f : fields.split(" ")) {
      if (f.startsWith(key + "=")) {
        return f.substring(key.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + key + " in " + fields);
  }
}
