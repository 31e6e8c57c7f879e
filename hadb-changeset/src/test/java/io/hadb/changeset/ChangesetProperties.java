package io.hadb.changeset;

import static io.hadb.changeset.TestData.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DESIGN §5 as properties: round trip, every corruption detected, no allocation from lies. */
class ChangesetProperties {
  private static final DecodeOptions WITH_KEY = DecodeOptions.withKey(KEY);

  // ---------------------------------------------------------------- generators

  static Gen<PhysicalChangeset> physical() {
    Gen<Integer> pageSizes = Gen.of(512, 1024, 4096);
    Gen<Long> dbSizes = Gen.longs(0, 48);
    Gen<Integer> percents = Gen.ints(0, 100);
    Gen<Long> seeds = Gen.longs();
    Gen<Long> seqs = Gen.longs(1, Long.MAX_VALUE);
    Gen<Long> nonNegative = Gen.longs(0, Long.MAX_VALUE);
    return c -> {
      int pageSize = pageSizes.generate(c);
      long dbSize = dbSizes.generate(c);
      int pct = percents.generate(c);
      long seed = seeds.generate(c);
      boolean compressible = Gen.booleans().generate(c);
      PhysicalHeader h = new PhysicalHeader(seqs.generate(c), nonNegative.generate(c), pageSize, dbSize,
          dbSize * pct / 100, nonNegative.generate(c), randomChecksum(seed));
      return TestData.physical(h, seed, compressible);
    };
  }

  private static final String TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ?é漢";

  static Gen<JournalSegment> journal() {
    Gen<List<byte[]>> payloads = Gen.lists(
        Gen.ints(0, 6000).flatMap(n -> Gen.longs().map(seed -> TestData.pageBytes(n, seed, seed % 2 == 0))), 0, 8);
    Gen<SqlStatement> statement = c -> new SqlStatement(Gen.strings(TEXT, 0, 80).generate(c),
        Gen.lists(sqlValue(), 0, 5).generate(c));
    Gen<List<List<SqlStatement>>> batchesOf = Gen.lists(Gen.lists(statement, 1, 3), 0, 3);
    Gen<Long> big = Gen.longs(1, 1L << 40);
    return c -> {
      List<byte[]> blobs = payloads.generate(c);
      List<List<SqlStatement>> batches = batchesOf.generate(c);
      long seq = big.generate(c);
      long first = big.generate(c);
      long epoch = Gen.longs(0, 1L << 40).generate(c);
      long seed = Gen.longs().generate(c);
      List<JournalEntry> entries = new ArrayList<>();
      long next = first;
      for (List<SqlStatement> b : batches) {
        entries.add(new JournalEntry(next++, JournalEntry.KIND_SQL_BATCH, SqlBatchCodec.encode(b)));
      }
      for (byte[] p : blobs) {
        entries.add(new JournalEntry(next++, 0x8000_0000 | (int) (seed & 0xFF), p));
      }
      JournalHeader h = new JournalHeader(seq, epoch, first, entries.size(), 0, randomChecksum(seed));
      return new JournalSegment(h, entries);
    };
  }

  private static Gen<SqlValue> sqlValue() {
    return Gen.oneOf(
        Gen.constant(SqlValue.NULL),
        Gen.longs().map(SqlValue::of),
        Gen.doubles().map(SqlValue::of),
        Gen.strings("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 0, 20).map(SqlValue::of),
        Gen.bytes(0, 20).map(SqlValue::of));
  }

  static Gen<EncodeOptions> options() {
    Gen<Compression> compressions = Gen.of(Compression.values());
    Gen<Integer> chunks = Gen.of(4096, 8192, 65536);
    Gen<Integer> levels = Gen.ints(1, 3);
    return c -> TestData.options(compressions.generate(c), Gen.booleans().generate(c), chunks.generate(c))
        .withZstdLevel(levels.generate(c));
  }

  /** Either format, as an encoded object. */
  static Gen<Encoded> encoded() {
    Gen<PhysicalChangeset> physical = physical();
    Gen<JournalSegment> journal = journal();
    Gen<EncodeOptions> options = options();
    return Gen.oneOf(
        c -> physical.generate(c).encode(options.generate(c)),
        c -> journal.generate(c).encode(options.generate(c)));
  }

  private static Checksum randomChecksum(long seed) {
    byte[] b = new byte[32];
    new SplittableRandom(seed).nextBytes(b);
    return Checksum.of(b);
  }

  // ---------------------------------------------------------------- round trips

  @Test
  void physical_changesets_round_trip() {
    Property.named("physical changesets round trip").tries(120).check(c -> physicalRoundTrip(
        c.draw(physical()), c.draw(options()), c.draw(Gen.ints(1, 5000))));
  }

  private static void physicalRoundTrip(PhysicalChangeset cs, EncodeOptions o, int readSize) {
    Encoded e = cs.encode(o);
    PhysicalChangeset.Decoded d = PhysicalChangeset.decode(e.bytes(), WITH_KEY);
    assertEquals(cs, d.changeset());
    assertEquals(e.link(), d.link());
    assertEquals(e.link(), Changesets.verify(null, TestData.choppy(e.bytes(), readSize), -1,
        DecodeOptions.defaults()));
  }

  @Test
  void journal_segments_round_trip() {
    Property.named("journal segments round trip").tries(120).check(c -> journalRoundTrip(
        c.draw(journal()), c.draw(options()), c.draw(Gen.ints(1, 5000))));
  }

  private static void journalRoundTrip(JournalSegment seg, EncodeOptions o, int readSize) {
    Encoded e = seg.encode(o);
    JournalSegment.Decoded d = JournalSegment.decode(e.bytes(), WITH_KEY);
    assertEquals(seg, d.segment());
    assertEquals(e.link(), d.link());
    assertEquals(e.link(), Changesets.verify(null, TestData.choppy(e.bytes(), readSize), -1,
        WITH_KEY));
  }

  // ---------------------------------------------------------------- corruption

  @Test
  void any_single_bit_flip_is_detected() {
    Property.named("any single bit flip is detected").tries(200).check(c -> {
      Encoded e = c.draw(encoded());
      long where = c.draw(Gen.longs());
      byte[] bad = TestData.flipBit(e.bytes(), Math.floorMod(where, e.length() * 8L));
      onlyFormatErrors(bad, true, DEFAULT_ALLOWANCE);
    });
  }

  @Test
  void any_truncation_is_detected() {
    Property.named("any truncation is detected").tries(200).check(c -> {
      Encoded e = c.draw(encoded());
      long where = c.draw(Gen.longs());
      byte[] cut = TestData.prefix(e.bytes(), (int) Math.floorMod(where, (long) e.length()));
      onlyFormatErrors(cut, true, DEFAULT_ALLOWANCE);
    });
  }

  /**
   * Arbitrary bytes: pure noise, a real header followed by noise, a real object with a stretch
   * overwritten, and a real object with one header word replaced and its checksum recomputed (so
   * the semantic checks, not the trailer, must catch it). The reader may accept an input only if
   * it is a valid object; otherwise it throws {@link ChangesetFormatException} and nothing else,
   * and never allocates far beyond the input.
   */
  @Test
  void arbitrary_bytes_yield_only_format_exceptions() {
    Property.named("arbitrary bytes yield only format exceptions").tries(300).check(c ->
        arbitraryBytes(c.draw(encoded()), c.draw(Gen.ints(0, 3)), c.draw(Gen.longs())));
  }

  private static void arbitraryBytes(Encoded e, int shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] valid = e.bytes();
    byte[] input;
    switch (shape) {
      case 0 -> {
        input = new byte[r.nextInt(600)];
        r.nextBytes(input);
      }
      case 1 -> {
        byte[] tail = new byte[r.nextInt(2000)];
        r.nextBytes(tail);
        input = TestData.concat(TestData.prefix(valid, 104), tail);
      }
      case 2 -> {
        input = valid.clone();
        int from = r.nextInt(input.length);
        int len = 1 + r.nextInt(Math.min(64, input.length - from));
        for (int i = from; i < from + len; i++) {
          input[i] = (byte) r.nextInt();
        }
      }
      default -> {
        input = valid.clone();
        TestData.putLong(input, 8 * r.nextInt(13), r.nextLong());
        input = TestData.rehash(input);
      }
    }
    onlyFormatErrors(input, shape != 3, DEFAULT_ALLOWANCE);
  }

  /** Heap a decode may allocate beyond a multiple of its input (buffers, one frame, one page). */
  private static final long DEFAULT_ALLOWANCE = 4L * 1024 * 1024;

  enum LengthField { PAGE_SIZE_OR_ENTRY_COUNT, DB_SIZE, PAGE_COUNT, FIRST_RECORD, CHUNK_SIZE }

  /**
   * A length field (header counts and sizes, the first page number, entry length or frame word)
   * set to an arbitrary value of any magnitude, the object possibly cut short, the checksum
   * recomputed so only the length checks stand between the lie and an allocation. The reader
   * must refuse with a format error (or accept, when the edit happens to leave a valid object,
   * e.g. a larger db size) having allocated less than 1 MiB plus a few times the input: nothing
   * is sized from a declared length before it is checked against the bytes present.
   */
  @Test
  void declared_lengths_beyond_the_input_are_refused_before_allocating() {
    Property.named("declared lengths beyond the input are refused before allocating").tries(300).check(c ->
        declaredLengths(c.draw(encoded()), c.draw(Gen.of(LengthField.values())), c.draw(Gen.longs())));
  }

  private static void declaredLengths(Encoded e, LengthField field, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = e.bytes();
    // Every magnitude alike: lengths just past the input matter as much as 2^32 - 1.
    int value = (int) r.nextLong(1L << (1 + r.nextInt(32)));
    switch (field) {
      case PAGE_SIZE_OR_ENTRY_COUNT -> TestData.putInt(b, 8, value);
      case DB_SIZE -> TestData.putInt(b, 40, value);
      case PAGE_COUNT -> TestData.putInt(b, 44, value);
      case CHUNK_SIZE -> TestData.putInt(b, 12, value);
      // Plain HADBP: the first page number; plain HADBJ: the first entry's length; framed:
      // the first frame's word. An empty body has the trailer here, which is fine to corrupt.
      default -> TestData.putInt(b, b[4] == 'J' && b[7] == 0 ? 116 : 104, value);
    }
    int cut = 136 + r.nextInt(b.length - 135);
    byte[] input = TestData.rehash(TestData.prefix(b, cut));
    onlyFormatErrors(input, false, 1L << 20);
  }

  /**
   * Decodes {@code bytes} four ways (in memory with the key; streamed with unknown length with
   * and without the key; verify-only with its length): each must throw only
   * {@link ChangesetFormatException}, or succeed when {@code mustFail} is false.
   */
  private static void onlyFormatErrors(byte[] bytes, boolean mustFail, long allowance) {
    // A re-checksummed input is intact as far as the trailer goes; if its key id was rewritten,
    // "wrong key" is the right verdict for it, so only then is a key exception accepted.
    boolean forged = !mustFail;
    long limit = allowance + 8L * bytes.length;
    List<Runnable> ways = List.of(
        () -> decodeInMemory(bytes),
        () -> Changesets.verify(null, TestData.choppy(bytes, 333), -1, WITH_KEY),
        () -> Changesets.verify(null, new ByteArrayInputStream(bytes), -1,
            DecodeOptions.defaults()),
        () -> Changesets.verify(null, new ByteArrayInputStream(bytes), bytes.length,
            DecodeOptions.defaults()));
    for (Runnable way : ways) {
      long allocated = Allocation.of(() -> {
        try {
          way.run();
          if (mustFail) {
            fail("corruption not detected");
          }
        } catch (ChangesetFormatException expected) {
          // the only acceptable failure
        } catch (ChangesetKeyException keyRewritten) {
          assertTrue(forged, "a key exception for an object that is not intact: " + keyRewritten);
        } catch (Throwable t) {
          assertInstanceOf(ChangesetFormatException.class, t, "unexpected " + t);
        }
      });
      assertTrue(allocated < limit, "allocated " + allocated + " bytes for a "
          + bytes.length + "-byte input");
    }
  }

  private static void decodeInMemory(byte[] bytes) {
    if (bytes.length >= 5 && bytes[4] == 'J') {
      JournalSegment.decode(bytes, WITH_KEY);
    } else {
      PhysicalChangeset.decode(bytes, WITH_KEY);
    }
  }

  // ---------------------------------------------------------------- chains

  record Chain(List<Encoded> objects, List<EncodeOptions> options) {
    String key(int i) {
      return ObjectKeys.changeset(i + 1);
    }
  }

  static Gen<Chain> chains() {
    Gen<List<EncodeOptions>> optionLists = Gen.lists(options(), 1, 12);
    return c -> {
          List<EncodeOptions> opts = optionLists.generate(c);
          long seed = Gen.longs().generate(c);
          SplittableRandom r = new SplittableRandom(seed);
          List<Encoded> objects = new ArrayList<>();
          ChainLink prev = null;
          long epoch = 1 + r.nextInt(3);
          for (int i = 0; i < opts.size(); i++) {
            epoch += r.nextInt(3) == 0 ? 1 + r.nextInt(5) : 0;
            long db = 1 + r.nextInt(16);
            long count = r.nextInt((int) db + 1);
            PhysicalHeader h = prev == null
                ? PhysicalHeader.first(epoch, 512, db, count, i)
                : PhysicalHeader.after(prev, epoch, db, count, i);
            Encoded e = TestData.physical(h, r.nextLong(), r.nextBoolean()).encode(opts.get(i));
            objects.add(e);
            prev = e.link();
          }
          return new Chain(objects, opts);
        };
  }

  @Test
  void chains_of_random_length_verify_without_the_key() {
    Property.named("chains of random length verify without the key").tries(100).forAll(chains(),
        ChangesetProperties::verifiesWithoutTheKey);
  }

  private static void verifiesWithoutTheKey(Chain c) {
    ChainVerifier v = ChainVerifier.fromGenesis();
    for (int i = 0; i < c.objects().size(); i++) {
      v.verify(c.key(i), c.objects().get(i).bytes());
    }
    assertEquals(c.objects().size(), v.verifiedCount());
    assertEquals(c.objects().get(c.objects().size() - 1).checksum(), v.lastChecksum());
  }

  enum Mutation { BIT_FLIP, TRUNCATE, EXTEND, RESEQ, REPLACE, EPOCH_BACK, WRONG_PREV }

  @Test
  void mutating_one_element_breaks_verification_at_exactly_that_element() {
    Property.named("mutating one element breaks verification at exactly that element").tries(200).check(ch ->
        mutateOne(ch.draw(chains()), ch.draw(Gen.longs()), ch.draw(Gen.of(Mutation.values())), ch.draw(Gen.longs())));
  }

  private static void mutateOne(Chain c, long which, Mutation mutation, long seed) {
    int n = c.objects().size();
    int i = (int) Math.floorMod(which, (long) n);
    SplittableRandom r = new SplittableRandom(seed);
    Encoded target = c.objects().get(i);
    ChainLink link = target.link();
    PhysicalHeader h = (PhysicalHeader) link.header();
    long maxEpochBefore = i == 0 ? 0 : c.objects().get(i - 1).link().epoch();
    if (mutation == Mutation.REPLACE && n == 1) {
      mutation = Mutation.BIT_FLIP;
    }
    if (mutation == Mutation.EPOCH_BACK && maxEpochBefore == 0) {
      mutation = Mutation.WRONG_PREV;
    }
    byte[] bad;
    ChainException.Kind expected;
    switch (mutation) {
      case BIT_FLIP -> {
        bad = TestData.flipBit(target.bytes(), r.nextLong(target.length() * 8L));
        expected = ChainException.Kind.CORRUPT;
      }
      case TRUNCATE -> {
        bad = TestData.prefix(target.bytes(), r.nextInt(target.length()));
        expected = ChainException.Kind.CORRUPT;
      }
      case EXTEND -> {
        bad = TestData.concat(target.bytes(), new byte[1 + r.nextInt(40)]);
        expected = ChainException.Kind.CORRUPT;
      }
      case RESEQ -> {
        long seq = r.nextBoolean() ? h.seq() + 1 + r.nextInt(1000) : r.nextLong(1, h.seq() + 1);
        seq = seq == h.seq() ? seq + 1 : seq;
        bad = reencode(target, c.options().get(i), new PhysicalHeader(seq, h.epoch(),
            h.pageSize(), h.dbSizePages(), h.pageCount(), h.createdMillis(), h.prevChecksum()));
        expected = ChainException.Kind.KEY_SEQ_MISMATCH;
      }
      case REPLACE -> {
        int j = (i + 1 + r.nextInt(n - 1)) % n;
        bad = c.objects().get(j).bytes();
        expected = ChainException.Kind.KEY_SEQ_MISMATCH;
      }
      case EPOCH_BACK -> {
        bad = reencode(target, c.options().get(i), new PhysicalHeader(h.seq(),
            r.nextLong(0, maxEpochBefore), h.pageSize(), h.dbSizePages(), h.pageCount(),
            h.createdMillis(), h.prevChecksum()));
        expected = ChainException.Kind.EPOCH_BACKWARDS;
      }
      default -> {
        bad = reencode(target, c.options().get(i), new PhysicalHeader(h.seq(), h.epoch(),
            h.pageSize(), h.dbSizePages(), h.pageCount(), h.createdMillis(),
            randomChecksum(r.nextLong())));
        expected = ChainException.Kind.PREV_CHECKSUM_MISMATCH;
      }
    }
    ChainVerifier v = ChainVerifier.fromGenesis();
    for (int k = 0; k < i; k++) {
      v.verify(c.key(k), c.objects().get(k).bytes());
    }
    byte[] mutated = bad;
    ChainException e = assertThrows(ChainException.class, () -> v.verify(c.key(i), mutated),
        mutation + " at element " + i + " of " + n + " was not detected");
    assertEquals(expected, e.kind(), e.getMessage());
    assertEquals(c.key(i), e.objectKey());
    assertEquals(i, v.verifiedCount());
  }

  private static byte[] reencode(Encoded original, EncodeOptions o, PhysicalHeader h) {
    PhysicalChangeset pages = PhysicalChangeset.decode(original.bytes(), WITH_KEY).changeset();
    return new PhysicalChangeset(h, pages.pages()).encode(o).bytes();
  }
}
