package io.hadb.coordinator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What this JVM holds, read from the kernel (Linux {@code /proc}), not from settings: resident
 * memory, threads, open file descriptors and listening TCP ports, and the heap in use after a
 * full collection.
 */
record ProcessFigures(long rssKb, long heapBytes, long threads, long fds, long ports) {

  static ProcessFigures now() {
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      return new ProcessFigures(field(status, "VmRSS:"), heap, field(status, "Threads:"), descriptors().size(),
          listeningPorts());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self: these figures need Linux", e);
    }
  }

  private static long field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException("/proc/self/status has no " + name);
  }

  /** The targets of this process's descriptors ({@code socket:[inode]}, file paths, ...). */
  private static List<String> descriptors() throws IOException {
    List<String> out = new java.util.ArrayList<>();
    try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : d) {
        try {
          out.add(Files.readSymbolicLink(p).toString());
        } catch (IOException gone) {
          // closed between the listing and the read
        }
      }
    }
    return out;
  }

  /** TCP sockets in state LISTEN whose inode is one of this process's descriptors. */
  private static long listeningPorts() throws IOException {
    Set<String> mine = new HashSet<>();
    for (String target : descriptors()) {
      if (target.startsWith("socket:[")) {
        mine.add(target.substring(8, target.length() - 1));
      }
    }
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals("0A") && mine.contains(f[9])) {
          n++;
        }
      }
    }
    return n;
  }

  /** One line of the benchmark's output for {@code dbs} databases opened in {@code openSeconds}. */
  String line(int dbs, double openSeconds) {
    return "dbs=" + dbs + " open_s=" + String.format(java.util.Locale.ROOT, "%.1f", openSeconds)
        + " rss_mb=" + rssKb / 1024 + " rss_per_db_kb=" + rssKb / Math.max(1, dbs) + " heap_mb=" + heapBytes / (1 << 20)
        + " threads=" + threads + " fds=" + fds + " ports=" + ports;
  }
}
