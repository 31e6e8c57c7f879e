package io.hadb.changeset;

import static io.hadb.changeset.ChangesetFormatException.Problem.BAD_FIELD;
import static io.hadb.changeset.ChangesetFormatException.Problem.BAD_FRAME;
import static io.hadb.changeset.ChangesetFormatException.Problem.BAD_MAGIC;
import static io.hadb.changeset.ChangesetFormatException.Problem.ENTRY_HASH_MISMATCH;
import static io.hadb.changeset.ChangesetFormatException.Problem.ENTRY_SEQ;
import static io.hadb.changeset.ChangesetFormatException.Problem.LIMIT_EXCEEDED;
import static io.hadb.changeset.ChangesetFormatException.Problem.PAGE_ORDER;
import static io.hadb.changeset.ChangesetFormatException.Problem.TRUNCATED;
import static io.hadb.changeset.ChangesetFormatException.Problem.UNKNOWN_ENTRY_KIND;
import static io.hadb.changeset.ChangesetFormatException.Problem.UNKNOWN_FLAGS;
import static io.hadb.changeset.ChangesetFormatException.Problem.UNSUPPORTED_VERSION;
import static io.hadb.changeset.TestData.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.changeset.ChangesetFormatException.Problem;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Objects that are wrong in exactly one way, with a valid checksum (re-hashed), so each check is
 * proven on its own and not only by the trailer.
 */
class ReaderRejectsTest {
  private static final long MiB = 1 << 20;

  private static byte[] plainPhysical() {
    PhysicalHeader h = PhysicalHeader.first(3, 512, 10, 3, T0);
    return TestData.physical(h, 11, false).encode(EncodeOptions.plain()).bytes();
  }

  private static byte[] plainJournal() {
    JournalHeader h = JournalHeader.first(1, 2, T0);
    return new JournalSegment(h, List.of(
        new JournalEntry(1, 0x8000_0000, new byte[] {1, 2, 3}),
        new JournalEntry(2, 0x8000_0000, new byte[] {4}))).encode(EncodeOptions.plain()).bytes();
  }

  private static byte[] edit(byte[] object, Consumer<byte[]> change) {
    byte[] b = object.clone();
    change.accept(b);
    return TestData.rehash(b);
  }

  private static ChangesetFormatException rejects(Problem problem, byte[] bytes, String text) {
    ChangesetFormatException e = assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify("obj", new ByteArrayInputStream(bytes), bytes.length,
            DecodeOptions.defaults()));
    assertEquals(problem, e.problem(), e.getMessage());
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().startsWith("CORRUPT: obj: " + problem), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
    // Also refused when the length is unknown (possibly by a later check: a stream reader only
    // learns the size at its end).
    assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify("obj", TestData.choppy(bytes, 64), -1, DecodeOptions.defaults()));
    return e;
  }

  @Test
  void unknown_flags_are_refused_even_with_a_valid_checksum() {
    rejects(UNKNOWN_FLAGS, edit(plainPhysical(), b -> b[7] |= 0x04), "0x0004");
    rejects(UNKNOWN_FLAGS, edit(plainPhysical(), b -> b[6] |= (byte) 0x80), "0x8000");
  }

  @Test
  void magic_and_version_are_checked() {
    rejects(BAD_MAGIC, edit(plainPhysical(), b -> b[4] = 'X'), "\"HADBX\"");
    rejects(UNSUPPORTED_VERSION, edit(plainPhysical(), b -> b[5] = 1), "version 1");
    rejects(UNSUPPORTED_VERSION, edit(plainJournal(), b -> b[5] = 3), "version 3");
  }

  @Test
  void header_fields_are_range_checked() {
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putInt(b, 8, 1000)), "page size");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putInt(b, 8, 256)), "page size");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putInt(b, 12, 4096)), "chunk size");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putLong(b, 16, 0)), "seq");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putLong(b, 16, -5)), "seq");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putLong(b, 24, -1)), "epoch");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putLong(b, 32, -1)), "created");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> TestData.putInt(b, 40, 2)), "page count");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> b[80] = 1), "key id and nonce");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> b[99] = 1), "key id and nonce");
    rejects(BAD_FIELD, edit(plainPhysical(), b -> b[103] = 1), "reserved");
    rejects(BAD_FIELD, edit(plainJournal(), b -> TestData.putLong(b, 40, 0)), "first entry");
    // A framed body needs a valid chunk size.
    byte[] zstd = new PhysicalChangeset(PhysicalHeader.first(1, 512, 1, 0, T0), List.of())
        .encode(EncodeOptions.plain().withZstd()).bytes();
    rejects(BAD_FIELD, edit(zstd, b -> TestData.putInt(b, 12, 0)), "chunk size");
    rejects(BAD_FIELD, edit(zstd, b -> TestData.putInt(b, 12, 3 << 20)), "chunk size");
  }

  @Test
  void pages_must_be_ascending_unique_and_in_range() {
    byte[] ok = plainPhysical();
    int rec = 4 + 512;
    // Swap the first two page records.
    rejects(PAGE_ORDER, edit(ok, b -> {
      byte[] first = java.util.Arrays.copyOfRange(b, 104, 104 + rec);
      System.arraycopy(b, 104 + rec, b, 104, rec);
      System.arraycopy(first, 0, b, 104 + rec, rec);
    }), "strictly ascending");
    // The second record repeats the first page number.
    rejects(PAGE_ORDER, edit(ok, b -> System.arraycopy(b, 104, b, 104 + rec, 4)),
        "strictly ascending");
    rejects(PAGE_ORDER, edit(ok, b -> TestData.putInt(b, 104 + 2 * rec, 11)), "outside 1..10");
    rejects(PAGE_ORDER, edit(ok, b -> TestData.putInt(b, 104, 0)), "outside 1..10");
  }

  @Test
  void journal_entries_are_checked_one_by_one() {
    byte[] ok = plainJournal();
    rejects(ENTRY_SEQ, edit(ok, b -> TestData.putLong(b, 104, 7)), "entry seq 7 where 1");
    rejects(UNKNOWN_ENTRY_KIND, edit(ok, b -> TestData.putInt(b, 112, 2)), "reserved");
    rejects(ENTRY_HASH_MISMATCH, edit(ok, b -> b[120] ^= 1), "entry 1's hash");
    rejects(LIMIT_EXCEEDED, edit(ok, b -> TestData.putInt(b, 116, Integer.MAX_VALUE)),
        "the limit is");
  }

  @Test
  void frames_must_match_the_header() {
    // 3 pages of 4096 with 4 KiB chunks: 12300 plaintext bytes in 4 frames.
    PhysicalHeader h = PhysicalHeader.first(1, 4096, 3, 3, T0);
    byte[] sealed = TestData.physical(h, 2, false)
        .encode(TestData.options(Compression.NONE, true, 4096)).bytes();
    int f0 = 104;
    // Frame 0 claims to be the last one.
    rejects(BAD_FRAME, edit(sealed, b -> b[f0] |= (byte) 0x80), "marked last");
    // A sealed frame's length is fixed by its plaintext.
    byte[] zstd = TestData.physical(h, 2, false)
        .encode(TestData.options(Compression.ZSTD, false, 4096)).bytes();
    rejects(BAD_FRAME, edit(zstd, b -> TestData.putInt(b, f0, 0)), "allowed 1..");
    rejects(BAD_FRAME, edit(zstd, b -> TestData.putInt(b, f0, 0x7FFF_FFFF)), "allowed 1..");
  }

  @Test
  void a_declared_length_beyond_the_input_is_refused_before_allocating() {
    // 2^32-1 pages of 64 KiB declared (a 280 TB body) in a 200-byte object.
    byte[] huge = TestData.rehash(TestData.concat(hugeHeader(), new byte[64]));
    long known = Allocation.of(() -> rejects(TRUNCATED, huge, "4294967295 pages of 65536"));
    assertTrue(known < 2 * MiB, "allocated " + known);
    long streamed = Allocation.of(() -> assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify(null, TestData.choppy(huge, 1000), -1, DecodeOptions.defaults())));
    assertTrue(streamed < 2 * MiB, "allocated " + streamed);

    // A journal entry declaring 60 MiB in a tiny object.
    byte[] entry = edit(plainJournal(), b -> TestData.putInt(b, 116, 60 << 20));
    long j = Allocation.of(() -> rejects(TRUNCATED, entry, "declares 62914560 payload bytes"));
    assertTrue(j < 2 * MiB, "allocated " + j);
    long js = Allocation.of(() -> assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify(null, TestData.choppy(entry, 1000), -1, DecodeOptions.defaults())));
    assertTrue(js < 2 * MiB, "allocated " + js);

    // A frame declaring the largest length its 16 MiB chunk allows.
    PhysicalHeader h = PhysicalHeader.first(1, 4096, 300, 300, T0);
    byte[] zstd = TestData.physical(h, 2, true)
        .encode(TestData.options(Compression.ZSTD, false, 1 << 24)).bytes();
    byte[] frame = edit(java.util.Arrays.copyOf(zstd, 400),
        b -> TestData.putInt(b, 104, 0x8000_0000 | ((1 << 24) + 1000)));
    long f = Allocation.of(() -> rejects(TRUNCATED, frame, "declares 16778216 bytes"));
    assertTrue(f < 2 * MiB, "allocated " + f);
    long fs = Allocation.of(() -> assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify(null, TestData.choppy(frame, 1000), -1, DecodeOptions.defaults())));
    assertTrue(fs < 2 * MiB, "allocated " + fs);
  }

  private static byte[] hugeHeader() {
    byte[] b = plainPhysical();
    byte[] h = java.util.Arrays.copyOf(b, 104);
    TestData.putInt(h, 8, 65536);
    TestData.putInt(h, 40, -1);
    TestData.putInt(h, 44, -1);
    return h;
  }

  @Test
  void a_chunk_size_above_the_readers_limit_is_refused() {
    byte[] zstd = new PhysicalChangeset(PhysicalHeader.first(1, 512, 1, 0, T0), List.of())
        .encode(EncodeOptions.plain().withZstd().withChunkSize(1 << 20)).bytes();
    ChangesetFormatException e = assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify(null, new ByteArrayInputStream(zstd), -1,
            DecodeOptions.defaults().withMaxChunkSize(65536)));
    assertEquals(LIMIT_EXCEEDED, e.problem());
  }

  @Test
  void too_short_for_header_and_trailer() {
    ChangesetFormatException e = assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify(new byte[135]));
    assertEquals(TRUNCATED, e.problem());
    assertTrue(e.getMessage().contains("smallest changeset"), e.getMessage());
  }
}
