package io.hadb.cli;

import io.hadb.api.engine.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a long job's {@link Progress}: on a terminal one bar redrawn in place (objects and bytes
 * done of total, rate, ETA); otherwise a plain line at most every {@code plainEveryNanos}, so a log
 * file gets a readable trail instead of carriage returns. Totals may grow while the job lists.
 */
final class ProgressDisplay implements Progress {
  private static final long TERMINAL_EVERY_NANOS = 100_000_000L;
  private static final int BAR = 30;

  private final PrintStream out;
  private final String what;
  private final boolean terminal;
  private final long plainEveryNanos;
  private final long start = System.nanoTime();
  private long lastShown;
  private boolean updated;
  private long bytesDone;
  private long bytesTotal;
  private long objectsDone;
  private long objectsTotal;

  ProgressDisplay(PrintStream out, String what, boolean terminal, long plainEveryNanos) {
    this.out = out;
    this.what = what;
    this.terminal = terminal;
    this.plainEveryNanos = plainEveryNanos;
  }

  /** A bar when standard error is a terminal (no redirection), plain lines every second otherwise. */
  static ProgressDisplay forStderr(String what) {
    return new ProgressDisplay(System.err, what, System.console() != null, 1_000_000_000L);
  }

  @Override
  public synchronized void update(long bytesDone, long bytesTotal, long objectsDone, long objectsTotal) {
    this.bytesDone = bytesDone;
    this.bytesTotal = bytesTotal;
    this.objectsDone = objectsDone;
    this.objectsTotal = objectsTotal;
    this.updated = true;
    long now = System.nanoTime();
    if (now - lastShown >= (terminal ? TERMINAL_EVERY_NANOS : plainEveryNanos)) {
      lastShown = now;
      show(false);
    }
  }

  /** The last state, and a newline after the bar; nothing when the job reported no progress. */
  synchronized void finish() {
    if (updated) {
      show(true);
    }
  }

  private void show(boolean last) {
    double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    double rate = bytesDone / secs;
    String eta = bytesTotal > bytesDone && rate > 0 ? seconds((bytesTotal - bytesDone) / rate) : "-";
    String figures = String.format(Locale.ROOT, "%d/%d objects, %s/%s, %s/s, ETA %s", objectsDone, objectsTotal,
        size(bytesDone), size(bytesTotal), size((long) rate), last ? "0s" : eta);
    if (terminal) {
      int filled = bytesTotal <= 0 ? 0 : (int) Math.min(BAR, BAR * bytesDone / bytesTotal);
      out.print("\r" + what + " [" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + figures + "   ");
      if (last) {
        out.println();
      }
    } else {
      out.println(what + ": " + figures);
    }
    out.flush();
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  private static String seconds(double s) {
    return s < 90 ? String.format(Locale.ROOT, "%.0fs", Math.ceil(s)) : String.format(Locale.ROOT, "%.0fm", s / 60);
  }
}
