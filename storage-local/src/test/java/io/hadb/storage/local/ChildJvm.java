package io.hadb.storage.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starts {@link ChildMain} in a second JVM: same java binary, same class path. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path log, String... args) throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new AssertionError("cannot tell which java runs this test"));
    List<String> cmd = new ArrayList<>(List.of(
        java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ChildMain.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Waits until {@code condition} holds, failing early with the child's output if the child dies,
   * and after {@code timeout} (a generous bound for a loaded machine, not a timing assertion).
   */
  static void await(String what, Process child, Path log, Duration timeout, BooleanSupplier condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!child.isAlive()) {
        if (condition.getAsBoolean()) {
          return;
        }
        throw new AssertionError("child JVM exited with " + child.exitValue() + " before " + what
            + "; its output:\n" + output(log));
      }
      if (System.nanoTime() > deadline) {
        child.destroyForcibly();
        throw new AssertionError("gave up waiting for " + what + " after " + timeout
            + "; child output:\n" + output(log));
      }
      Thread.sleep(5);
    }
  }

  static String output(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor();
  }
}
