package io.hadb.coordinator.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The test's handle on one {@link ElectionNode} JVM: same java binary and class path, its
 * {@code @EVENT} lines parsed as they arrive (other output is kept for failure messages), and
 * the faults: {@code kill -9}, SIGSTOP / SIGCONT, graceful close through stdin.
 */
final class NodeProcess implements AutoCloseable {
  /** One parsed {@code @EVENT k=v … at=nanos} line. */
  record Event(String node, String type, Map<String, String> fields, long at) {
    long num(String k) {
      String v = fields.get(k);
      if (v == null) {
        throw new AssertionError("event " + type + " of " + node + " has no " + k + ": " + fields);
      }
      return Long.parseLong(v);
    }

    String str(String k) {
      return fields.get(k);
    }
  }

  /** Frequent or bulky events left out of {@link #describe()}. */
  private static final Set<String> QUIET = Set.of("ALIVE", "DEADLINE", "ACK", "ACCOUNT", "TRANSFER");

  final String id;
  private final Process process;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Object arrived = new Object();

  private NodeProcess(String id, Process process) {
    this.id = id;
    this.process = process;
    Thread reader = new Thread(this::read, "node-" + id + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(String leaseUri, String chainUri, String db, String id, Duration ttl,
      List<String> systemProperties) throws IOException {
    return start(id, ElectionNode.class, "-Xmx64m", systemProperties,
        List.of(leaseUri, chainUri, db, id, Long.toString(ttl.toMillis())));
  }

  /** Starts {@code main} in a JVM of its own: this test's java binary and class path. */
  static NodeProcess start(String id, Class<?> main, String heap, List<String> systemProperties, List<String> args)
      throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new AssertionError("cannot tell which java runs this test"));
    List<String> cmd = new ArrayList<>(List.of(java, heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(systemProperties);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    return new NodeProcess(id, p);
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("@")) {
          events.add(parse(line));
          synchronized (arrived) {
            arrived.notifyAll();
          }
        } else {
          output.add(line);
        }
      }
    } catch (IOException e) {
      output.add("(stdout closed: " + e + ")");
    }
  }

  private Event parse(String line) {
    String[] parts = line.substring(1).split(" ");
    Map<String, String> f = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      f.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
    }
    return new Event(id, parts[0], f, Long.parseLong(f.get("at")));
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  List<Event> events(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  Optional<Event> first(Predicate<Event> p) {
    return events.stream().filter(p).findFirst();
  }

  /** Waits for a matching event; fails with the node's output after {@code bound} (a liveness bound). */
  Event await(String type, Predicate<Event> p, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    synchronized (arrived) {
      while (true) {
        Optional<Event> e = first(x -> x.type().equals(type) && p.test(x));
        if (e.isPresent()) {
          return e.get();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("node " + id + ": no @" + type + " within " + bound + "\n" + describe());
        }
        TimeUnit.NANOSECONDS.timedWait(arrived, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
      }
    }
  }

  Event await(String type, Duration bound) throws InterruptedException {
    return await(type, e -> true, bound);
  }

  /** The largest self-fence deadline this node reported for {@code epoch}, or 0. */
  long lastDeadline(long epoch) {
    return events("DEADLINE").stream().filter(e -> e.num("epoch") == epoch)
        .mapToLong(e -> e.num("deadline")).max().orElse(0);
  }

  /** Whether the latest heartbeat says this node leads. */
  boolean lastSaysLeader() {
    List<Event> alive = events("ALIVE");
    return !alive.isEmpty() && Boolean.parseBoolean(alive.get(alive.size() - 1).str("leader"));
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code kill -9}; returns the test's clock reading just before the signal. */
  long kill9() throws InterruptedException {
    long at = System.nanoTime();
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("node " + id + " did not die after SIGKILL");
    }
    return at;
  }

  /**
   * SIGSTOP; waits until the kernel reports the process stopped and returns the clock then. Not
   * the clock before the signal: on a busy machine the node can still start (and finish) a renew
   * between the two, and a bound measured from before the signal fails a correct node.
   */
  long stop() throws Exception {
    signal("STOP");
    awaitState(true);
    return System.nanoTime();
  }

  long resume() throws Exception {
    long at = System.nanoTime();
    signal("CONT");
    awaitState(false);
    return at;
  }

  /** SIGTERM (as {@code kill}, an IDE's stop or a service manager sends it); returns the clock just before. */
  long terminate() throws Exception {
    long at = System.nanoTime();
    signal("TERM");
    return at;
  }

  /** Waits up to {@code bound} for the process to end by itself; its exit code, or empty if it still runs. */
  java.util.OptionalInt awaitExit(Duration bound) throws InterruptedException {
    return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS) ? java.util.OptionalInt.of(process.exitValue())
        : java.util.OptionalInt.empty();
  }

  private void signal(String sig) throws Exception {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).redirectErrorStream(true).start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new AssertionError("kill -" + sig + " " + pid() + " failed: " + new String(k.getInputStream().readAllBytes()));
    }
  }

  private void awaitState(boolean stopped) throws Exception {
    Path stat = Path.of("/proc", Long.toString(pid()), "stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String s = Files.readString(stat);
      char state = s.charAt(s.lastIndexOf(')') + 2);
      if ((state == 'T' || state == 't') == stopped) {
        return;
      }
      Thread.sleep(1);
    }
    throw new AssertionError("node " + id + " did not become " + (stopped ? "stopped" : "running"));
  }

  /** Sends one command line to the node's stdin. */
  void send(String command) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Asks for a graceful close (release, then exit) and waits for the exit. */
  void closeGracefully() throws Exception {
    send("close");
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("node " + id + " did not exit after close\n" + describe());
    }
  }

  String describe() {
    StringBuilder b = new StringBuilder("--- node " + id + " (pid " + pid() + ", alive " + isAlive() + ")\n");
    output.forEach(l -> b.append("  ").append(l).append('\n'));
    events.stream().filter(e -> !QUIET.contains(e.type()))
        .forEach(e -> b.append("  @").append(e.type()).append(' ').append(e.fields()).append('\n'));
    return b.toString();
  }

  @Override
  public void close() {
    process.destroyForcibly(); // SIGKILL ends a stopped process too
  }
}
