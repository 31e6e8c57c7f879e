package io.hadb.changeset.bench;

import io.hadb.changeset.ChainLink;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.Page;
import io.hadb.changeset.PhysicalChangeset;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalReader;
import io.hadb.changeset.PhysicalWriter;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode+hash and decode+verify of one HADBP changeset of 4 KiB pages, each op followed by one
 * raw {@code MessageDigest} SHA-256 over the same bytes, the two halves timed apart by
 * {@link PairClock}. Run by {@code benchmarks/changeset-throughput.sh} (through
 * {@link ChangesetThroughput}), never by {@code mvn verify}: the build only compiles it.
 *
 * <p>{@link ChangesetThroughput} turns the halves' times into MB/s of the plain object (header +
 * page records), so compressed and plain figures are comparable. JMH's own score is ops/s of the
 * pair.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChangesetThroughputBenchmark {
  public static final int PAGE_SIZE = 4096;

  /** Pages per changeset: 256 pages is a 1 MiB commit. */
  @Param("256")
  public int pages;

  private PhysicalHeader header;
  private List<Page> pageList;
  private byte[][] pageBytes;
  private long[] pageNumbers;
  private byte[] plainObject;
  private byte[] zstdObject;
  private int hashedLength;
  private MessageDigest sha256;
  private final DiscardingSink sink = new DiscardingSink();

  @Setup
  public void setUp() throws NoSuchAlgorithmException {
    // Every other page number of a db twice as large: realistic gaps, ascending order.
    header = PhysicalHeader.first(1, PAGE_SIZE, 2L * pages, pages, 1_700_000_000_000L);
    pageList = new ArrayList<>();
    pageBytes = new byte[pages][];
    pageNumbers = new long[pages];
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < pages; i++) {
      pageNumbers[i] = 2L * i + 1;
      pageBytes[i] = btreeLikePage(r);
      pageList.add(new Page(pageNumbers[i], pageBytes[i]));
    }
    PhysicalChangeset cs = new PhysicalChangeset(header, pageList);
    plainObject = cs.encode(EncodeOptions.plain()).bytes();
    zstdObject = cs.encode(EncodeOptions.plain().withZstd()).bytes();
    hashedLength = plainObject.length - 32;
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  /**
   * Half rows of text and numbers, half free space (zeros), like a b-tree leaf: zstd gets the
   * kind of input it gets from SQLite, not noise (incompressible) nor zeros (trivial).
   */
  private static byte[] btreeLikePage(SplittableRandom r) {
    byte[] b = new byte[PAGE_SIZE];
    String[] words = {"alice", "bob", "carol", "order", "paid", "shipped", "2026-11-26", "EUR"};
    int i = PAGE_SIZE / 2;
    while (i < PAGE_SIZE - 16) {
      String row = words[r.nextInt(words.length)] + r.nextInt(100000) + ',' + r.nextLong();
      for (int k = 0; k < row.length() && i < PAGE_SIZE; k++) {
        b[i++] = (byte) row.charAt(k);
      }
    }
    return b;
  }

  /** The number of bytes every op processes, for MB/s: the plain object before its trailer. */
  public static long bytesPerOp(int pages) {
    return 104L + pages * (4L + PAGE_SIZE);
  }

  /** Raw SHA-256 over the bytes the changeset operation handled: the reference half. */
  private byte[] sha256(PairClock clock) {
    clock.changesetDone();
    sha256.update(plainObject, 0, hashedLength);
    byte[] d = sha256.digest();
    clock.sha256Done();
    return d;
  }

  @Benchmark
  public byte[] encodePlain(PairClock clock, Blackhole bh) {
    clock.start();
    bh.consume(encode(EncodeOptions.plain()));
    return sha256(clock);
  }

  @Benchmark
  public byte[] encodeZstd(PairClock clock, Blackhole bh) {
    clock.start();
    bh.consume(encode(EncodeOptions.plain().withZstd()));
    return sha256(clock);
  }

  private ChainLink encode(EncodeOptions options) {
    try (PhysicalWriter w = PhysicalWriter.open(sink, header, options)) {
      for (int i = 0; i < pages; i++) {
        w.writePage(pageNumbers[i], pageBytes[i], 0);
      }
      return w.finish();
    }
  }

  @Benchmark
  public byte[] decodePlain(PairClock clock, Blackhole bh) {
    clock.start();
    bh.consume(decode(plainObject, bh));
    return sha256(clock);
  }

  @Benchmark
  public byte[] decodeZstd(PairClock clock, Blackhole bh) {
    clock.start();
    bh.consume(decode(zstdObject, bh));
    return sha256(clock);
  }

  private static ChainLink decode(byte[] object, Blackhole bh) {
    try (PhysicalReader r = PhysicalReader.open("bench", new ByteArrayInputStream(object),
        object.length, DecodeOptions.defaults())) {
      while (r.next()) {
        bh.consume(r.page());
      }
      return r.finish();
    }
  }

  /**
   * Where encoded bytes go: counted and dropped, as a socket or a file would take them. The
   * figure is the encoder's own cost; a destination's copy is the destination's.
   */
  static final class DiscardingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
