package io.hadb.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A {@code hadb} command run in this JVM: its exit code and what it printed to standard output. */
record HadbRun(int exit, String out) {
  static synchronized HadbRun of(String... args) {
    PrintStream was = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int exit = HadbMain.run(args);
      return new HadbRun(exit, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(was);
    }
  }
}
