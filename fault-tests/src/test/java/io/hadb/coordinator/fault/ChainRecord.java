package io.hadb.coordinator.fault;

import java.nio.charset.StandardCharsets;

/**
 * One object of the stand-in chain: {@code epoch,nodeId,counter,stamp,deadline} as text. The
 * stamp is the writer's {@link System#nanoTime()} taken just before its put-if-absent (the write
 * cannot land before it); the deadline is the self-fence deadline the writer held at that moment
 * (its last known one when the self-fence is disabled). Both are CLOCK_MONOTONIC readings, which
 * on Linux share one origin across the processes of a machine, so the test compares them with
 * its own readings and with other nodes'.
 */
record ChainRecord(long seq, long epoch, String nodeId, long counter, long stamp, long deadline) {

  static final String PREFIX = "chain/";

  static String key(long seq) {
    return PREFIX + String.format("%019d", seq);
  }

  static long seqOf(String key) {
    if (!key.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a chain key: " + key);
    }
    return Long.parseLong(key.substring(PREFIX.length()));
  }

  byte[] bytes() {
    return (epoch + "," + nodeId + "," + counter + "," + stamp + "," + deadline).getBytes(StandardCharsets.UTF_8);
  }

  static ChainRecord parse(long seq, byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    String[] f = s.split(",");
    if (f.length != 5) {
      throw new IllegalArgumentException("chain record " + seq + " has " + f.length + " fields, want 5: " + s);
    }
    return new ChainRecord(seq, Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
        Long.parseLong(f[4]));
  }
}
