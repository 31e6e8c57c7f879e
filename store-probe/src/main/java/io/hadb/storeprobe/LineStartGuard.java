package io.hadb.storeprobe;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Shares one console stream between the probe's report and whatever else the run prints to
 * {@code System.out} (jqwik prints a notice without a line break), and starts a report write on a
 * fresh line when the other writer left a partial line. Nothing is dropped or changed; at most a
 * line break is added, so every rule line starts at the beginning of a line (for {@code grep ^FAIL}).
 */
final class LineStartGuard {
  private final OutputStream console;
  private boolean othersLeftPartialLine;

  LineStartGuard(OutputStream console) {
    this.console = console;
  }

  /** The stream for the probe's own report. */
  PrintStream report() {
    return new PrintStream(new Writer(true), true, StandardCharsets.UTF_8);
  }

  /** The stream to install as {@code System.out} for everything else. */
  PrintStream others() {
    return new PrintStream(new Writer(false), true, StandardCharsets.UTF_8);
  }

  private synchronized void write(boolean fromReport, byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    if (fromReport && othersLeftPartialLine) {
      console.write('\n');
    }
    console.write(b, off, len);
    othersLeftPartialLine = !fromReport && b[off + len - 1] != '\n';
  }

  private synchronized void flush() throws IOException {
    console.flush();
  }

  private final class Writer extends OutputStream {
    private final boolean fromReport;

    Writer(boolean fromReport) {
      this.fromReport = fromReport;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      LineStartGuard.this.write(fromReport, b, off, len);
    }

    @Override
    public void flush() throws IOException {
      LineStartGuard.this.flush();
    }
  }
}
