package io.hadb.storage.local;

import io.hadb.api.BodySource;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The second JVM of the cross-process tests. It opens the store through the ServiceLoader lookup,
 * as any other process would, and talks to the test through files in a run directory.
 *
 * <ul>
 *   <li>{@code race <uri> <runDir> <run> <rounds> <threads>}: writes {@code ready}, waits for
 *       {@code go} (holding t0), races, writes {@code child.results}.
 *   <li>{@code block <uri> <runDir>}: writes two complete objects, then starts a put over one of
 *       them and a putIfAbsent of a new one whose bodies stall halfway (after writing
 *       {@code blocked-put} / {@code blocked-pia}) until the test kills this JVM.
 *   <li>{@code loop <uri> <runDir> <seedBase>}: writes objects of up to 8 MB forever, counting
 *       each finished write in {@code progress}.
 * </ul>
 */
public final class ChildMain {
  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    StorageBackend store = StorageBackends.open(args[1]);
    Path runDir = Path.of(args[2]);
    switch (args[0]) {
      case "race" -> race(store, runDir, args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      case "block" -> block(store, runDir);
      case "loop" -> loop(store, runDir, Long.parseLong(args[3]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void race(StorageBackend store, Path runDir, String run, int rounds, int threads)
      throws Exception {
    Files.writeString(runDir.resolve("ready"), "ready");
    Path go = runDir.resolve("go");
    while (!Files.exists(go) || Files.size(go) == 0) {
      Thread.sleep(1);
    }
    long t0 = Long.parseLong(Files.readString(go).strip());
    boolean[][] won = new boolean[threads][];
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread th = new Thread(() -> won[thread] = RaceWorker.run(store, run, 2, thread, rounds, t0, CrossProcessRaceTest.INTERVAL_MS));
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    StringBuilder out = new StringBuilder();
    for (int t = 0; t < threads; t++) {
      for (int r = 0; r < rounds; r++) {
        if (won[t][r]) {
          out.append(t).append(' ').append(r).append('\n');
        }
      }
    }
    Path tmp = runDir.resolve("child.results.tmp");
    Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, runDir.resolve("child.results"));
  }

  private static void block(StorageBackend store, Path runDir) throws Exception {
    store.put("crash/whole", Content.body(1, 1 << 20));
    store.put("crash/replaced", Content.body(2, 3 << 20));
    Thread put = new Thread(() -> store.put("crash/replaced",
        stalling(Content.body(3, 64 << 20), 8 << 20, runDir.resolve("blocked-put"))));
    Thread pia = new Thread(() -> store.putIfAbsent("crash/new",
        stalling(Content.body(4, 64 << 20), 8 << 20, runDir.resolve("blocked-pia"))));
    put.start();
    pia.start();
    put.join();
    pia.join();
    throw new AssertionError("the stalled writes finished; the test should have killed this JVM");
  }

  private static void loop(StorageBackend store, Path runDir, long seedBase) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seedBase);
    Path progress = runDir.resolve("progress");
    for (long i = 0; ; i++) {
      long seed = seedBase + i;
      long size = Content.HEADER + rnd.nextLong(8L << 20);
      if (i % 3 == 2) {
        store.putIfAbsent("loop/new-" + seed, Content.body(seed, size));
      } else {
        store.put("loop/k" + rnd.nextInt(6), Content.body(seed, size));
      }
      Files.writeString(progress, Long.toString(i + 1));
    }
  }

  /** A body that stops forever after {@code after} bytes, once it has said so in {@code marker}. */
  static BodySource stalling(BodySource body, long after, Path marker) {
    return new BodySource() {
      @Override
      public InputStream open() throws IOException {
        InputStream in = body.open();
        return new InputStream() {
          long pos;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= after) {
              // Everything before this point has been handed to the writer and written.
              Files.writeString(marker, Long.toString(pos));
              while (true) {
                try {
                  Thread.sleep(60_000);
                } catch (InterruptedException e) {
                  // keep stalling: only the test's kill ends this write
                }
              }
            }
            int n = in.read(b, off, (int) Math.min(len, after - pos));
            if (n > 0) {
              pos += n;
            }
            return n;
          }
        };
      }

      @Override
      public long length() {
        return body.length();
      }
    };
  }
}
