package io.hadb.changeset;

import static io.hadb.changeset.TestData.KEY;
import static io.hadb.changeset.TestData.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RoundTripTest {

  @ParameterizedTest(name = "{0} encrypted={1} chunk={2}")
  @CsvSource({
    "NONE, false, 4096", "ZSTD, false, 4096", "NONE, true, 4096", "ZSTD, true, 4096",
    "ZSTD, false, 1048576", "NONE, true, 65536", "ZSTD, true, 16777216"
  })
  void physical_round_trips_in_memory_and_streaming(Compression c, boolean enc, int chunk) {
    PhysicalHeader h = PhysicalHeader.first(3, 4096, 200, 37, T0);
    PhysicalChangeset cs = TestData.physical(h, 42, true);
    Encoded e = cs.encode(TestData.options(c, enc, chunk));

    PhysicalChangeset.Decoded d = PhysicalChangeset.decode(e.bytes(), DecodeOptions.withKey(KEY));
    assertEquals(cs, d.changeset());
    assertEquals(e.link(), d.link());

    // Streaming, length unknown, tiny reads: exercises every buffer boundary.
    try (PhysicalReader r = PhysicalReader.open(TestData.choppy(e.bytes(), 7),
        DecodeOptions.withKey(KEY))) {
      List<Page> pages = new ArrayList<>();
      while (r.next()) {
        pages.add(new Page(r.pageNumber(), r.copyPage()));
      }
      assertEquals(cs.pages(), pages);
      assertEquals(e.link(), r.finish());
    }
    // Key-free verification gives the same link.
    assertEquals(e.link(), Changesets.verify(e.bytes()));
  }

  @Test
  void plain_body_is_exactly_header_pages_trailer() {
    PhysicalHeader h = PhysicalHeader.first(1, 512, 3, 2, T0);
    Encoded e = TestData.physical(h, 1, false).encode(EncodeOptions.plain());
    assertEquals(104 + 2 * (4 + 512) + 32, e.length());
  }

  @Test
  void empty_changeset_is_valid_and_seals_with_the_new_epoch() {
    PhysicalHeader h1 = PhysicalHeader.first(1, 4096, 10, 3, T0);
    Encoded first = TestData.physical(h1, 5, true).encode(EncodeOptions.plain());
    PhysicalHeader seal = PhysicalHeader.seal(first.link(), 9, T0 + 1);
    assertEquals(2, seal.seq());
    assertEquals(10, seal.dbSizePages());
    assertEquals(0, seal.pageCount());
    assertEquals(first.checksum(), seal.prevChecksum());
    for (EncodeOptions o : List.of(EncodeOptions.plain(), EncodeOptions.plain().withZstd(),
        EncodeOptions.plain().withEncryption(KEY))) {
      Encoded s = new PhysicalChangeset(seal, List.of()).encode(o);
      assertEquals(104 + 32, s.length());
      PhysicalChangeset.Decoded d = PhysicalChangeset.decode(s.bytes(), DecodeOptions.defaults());
      assertTrue(d.changeset().pages().isEmpty());
      assertEquals(9, d.link().epoch());
      ChainVerifier v = ChainVerifier.fromGenesis();
      v.verify(ObjectKeys.changeset(1), first.bytes());
      v.verify(ObjectKeys.changeset(2), s.bytes());
    }
  }

  @Test
  void streaming_writer_accepts_byte_buffers_and_offsets() {
    PhysicalHeader h = PhysicalHeader.first(1, 512, 8, 3, T0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] big = TestData.pageBytes(3 * 512, 9, false);
    try (PhysicalWriter w = PhysicalWriter.open(out, h, EncodeOptions.plain().withZstd())) {
      w.writePage(2, big, 0);
      w.writePage(5, ByteBuffer.wrap(big, 512, 512));
      ByteBuffer direct = ByteBuffer.allocateDirect(512);
      direct.put(big, 1024, 512).flip();
      w.writePage(8, direct);
      w.finish();
    }
    PhysicalChangeset d = PhysicalChangeset.decode(out.toByteArray(), DecodeOptions.defaults())
        .changeset();
    assertEquals(List.of(2L, 5L, 8L), d.pages().stream().map(Page::number).toList());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(big, i * 512, (i + 1) * 512),
          d.pages().get(i).data());
    }
  }

  @Test
  void finish_without_reading_pages_still_checks_them() {
    PhysicalHeader h = PhysicalHeader.first(1, 512, 50, 20, T0);
    Encoded e = TestData.physical(h, 3, false).encode(EncodeOptions.plain());
    try (PhysicalReader r = PhysicalReader.open(e.openStream(), DecodeOptions.defaults())) {
      assertTrue(r.next());
      assertEquals(e.link(), r.finish());
    }
  }

  @Test
  void chunk_boundaries_inside_pages_round_trip() {
    // 4 KiB chunks with 4100-byte page records: every page straddles a frame boundary.
    PhysicalHeader h = PhysicalHeader.first(1, 4096, 64, 64, T0);
    PhysicalChangeset cs = TestData.physical(h, 77, false);
    for (Compression c : Compression.values()) {
      Encoded e = cs.encode(TestData.options(c, true, 4096));
      assertEquals(cs, PhysicalChangeset.decode(e.bytes(), DecodeOptions.withKey(KEY))
          .changeset());
    }
  }

  @Test
  void zstd_shrinks_compressible_pages() {
    PhysicalHeader h = PhysicalHeader.first(1, 4096, 64, 64, T0);
    PhysicalChangeset cs = TestData.physical(h, 77, true);
    int plain = cs.encode(EncodeOptions.plain()).length();
    int zstd = cs.encode(EncodeOptions.plain().withZstd()).length();
    assertTrue(zstd * 2 < plain, "zstd " + zstd + " vs plain " + plain);
  }

  @Test
  void two_encryptions_use_different_nonces() {
    PhysicalHeader h = PhysicalHeader.first(1, 512, 4, 2, T0);
    PhysicalChangeset cs = TestData.physical(h, 1, false);
    EncodeOptions o = EncodeOptions.plain().withEncryption(KEY);
    Encoded a = cs.encode(o);
    Encoded b = cs.encode(o);
    assertNotEquals(a.link().encoding().nonce(), b.link().encoding().nonce());
    assertNotEquals(a.checksum(), b.checksum());
    assertEquals(KEY.keyId(), a.link().encoding().keyId());
  }

  @Test
  void journal_round_trips_every_encoding() {
    JournalHeader h = new JournalHeader(4, 2, 100, 3, T0, Checksum.ofHex("ab".repeat(32)));
    List<JournalEntry> entries = List.of(
        new JournalEntry(100, JournalEntry.KIND_SQL_BATCH, SqlBatchCodec.encode(List.of(
            SqlStatement.of("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 1L, 2.5, "x", new byte[] {1},
                null)))),
        new JournalEntry(101, 0x8000_0001, TestData.pageBytes(10_000, 3, true)),
        new JournalEntry(102, 0xFFFF_FFFF, new byte[0]));
    JournalSegment seg = new JournalSegment(h, entries);
    for (Compression c : Compression.values()) {
      for (boolean enc : new boolean[] {false, true}) {
        Encoded e = seg.encode(TestData.options(c, enc, 4096));
        JournalSegment.Decoded d = JournalSegment.decode(e.bytes(), DecodeOptions.withKey(KEY));
        assertEquals(seg, d.segment());
        assertEquals(e.link(), d.link());
        assertEquals(e.link(), Changesets.verify(e.bytes()));
        try (JournalReader r = JournalReader.open(TestData.choppy(e.bytes(), 5),
            DecodeOptions.withKey(KEY))) {
          int n = 0;
          while (r.next()) {
            assertEquals(entries.get(n++), r.entry());
          }
          assertEquals(3, n);
          assertEquals(e.link(), r.finish());
        }
      }
    }
  }

  @Test
  void journal_writer_numbers_entries_and_seals() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JournalHeader h = JournalHeader.first(1, 2, T0);
    ChainLink link;
    try (JournalWriter w = JournalWriter.open(out, h, EncodeOptions.plain())) {
      assertEquals(1, w.appendSql(List.of(SqlStatement.of("CREATE TABLE t(x)"))));
      assertEquals(2, w.append(0x8000_0000, new byte[] {9}));
      link = w.finish();
    }
    JournalHeader seal = JournalHeader.seal(link, 5, T0);
    assertEquals(3, seal.firstEntrySeq());
    assertEquals(0, seal.entryCount());
    Encoded s = new JournalSegment(seal, List.of()).encode(EncodeOptions.plain());
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(ObjectKeys.journal(1), out.toByteArray());
    v.verify(ObjectKeys.journal(2), s.bytes());
    assertEquals(2, v.verifiedCount());
  }

  @Test
  void reader_of_the_wrong_format_says_so() {
    Encoded j = new JournalSegment(JournalHeader.first(1, 0, T0), List.of())
        .encode(EncodeOptions.plain());
    ChangesetFormatException e = assertThrows(ChangesetFormatException.class,
        () -> PhysicalReader.open("x", j.openStream(), j.length(), DecodeOptions.defaults()));
    assertEquals(ChangesetFormatException.Problem.BAD_MAGIC, e.problem());
    assertTrue(e.getMessage().contains("expected a HADBP object, found HADBJ"), e.getMessage());
  }

  @Test
  void writer_refuses_pages_out_of_order_duplicated_out_of_range_or_miscounted() {
    PhysicalHeader h = PhysicalHeader.first(1, 512, 10, 2, T0);
    byte[] p = new byte[512];
    assertInvalid(w -> {
      w.writePage(3, p);
      w.writePage(2, p);
    }, h, "strictly ascending");
    assertInvalid(w -> {
      w.writePage(3, p);
      w.writePage(3, p);
    }, h, "strictly ascending");
    assertInvalid(w -> w.writePage(11, p), h, "outside 1..10");
    assertInvalid(w -> w.writePage(0, p), h, "outside 1..10");
    assertInvalid(w -> w.writePage(1, new byte[511]), h, "page size is 512");
    assertInvalid(w -> {
      w.writePage(1, p);
      w.finish();
    }, h, "declares 2 pages but 1 were written");
    assertInvalid(w -> {
      w.writePage(1, p);
      w.writePage(2, p);
      w.writePage(3, p);
    }, h, "would be one more");
    assertThrows(HadbException.class, () -> new PhysicalChangeset(h,
        List.of(new Page(2, p), new Page(1, p))));
  }

  private static void assertInvalid(
      java.util.function.Consumer<PhysicalWriter> body, PhysicalHeader h, String text) {
    try (PhysicalWriter w = PhysicalWriter.open(new ByteArrayOutputStream(), h,
        EncodeOptions.plain())) {
      HadbException e = assertThrows(HadbException.class, () -> body.accept(w));
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
      assertTrue(e.getMessage().contains(text), e.getMessage());
    }
  }

  @Test
  void header_records_refuse_bad_fields() {
    assertThrows(HadbException.class, () -> PhysicalHeader.first(1, 1000, 10, 1, T0));
    assertThrows(HadbException.class, () -> PhysicalHeader.first(1, 256, 10, 1, T0));
    assertThrows(HadbException.class, () -> PhysicalHeader.first(1, 131072, 10, 1, T0));
    assertThrows(HadbException.class, () -> PhysicalHeader.first(1, 4096, 1, 2, T0));
    assertThrows(HadbException.class, () -> PhysicalHeader.first(-1, 4096, 1, 1, T0));
    assertThrows(HadbException.class,
        () -> new PhysicalHeader(0, 1, 4096, 1, 1, T0, Checksum.ZERO));
    assertThrows(HadbException.class, () -> PhysicalHeader.first(1, 4096, 1L << 32, 1, T0));
    assertThrows(HadbException.class,
        () -> new JournalHeader(1, 1, Long.MAX_VALUE, 2, T0, Checksum.ZERO));
    assertThrows(HadbException.class, () -> EncodeOptions.plain().withChunkSize(5000));
    assertThrows(HadbException.class, () -> new JournalEntry(1, 2, new byte[0]));
  }

  @Test
  void key_never_shows_in_strings() {
    String s = KEY.toString() + EncodeOptions.plain().withEncryption(KEY);
    assertFalse(s.contains("101112"), s);
    assertTrue(s.contains(EncryptionKey.formatKeyId(KEY.keyId())), s);
  }

  @Test
  void apply_commits_only_after_verification() {
    PhysicalHeader h = PhysicalHeader.first(1, 512, 40, 30, T0);
    Encoded e = TestData.physical(h, 8, false).encode(EncodeOptions.plain());
    RecordingStage ok = new RecordingStage();
    ChainLink link = Changesets.apply("k", e.openStream(), -1, DecodeOptions.defaults(), ok);
    assertEquals(e.link(), link);
    assertEquals(30, ok.staged);
    assertTrue(ok.committed);
    assertFalse(ok.aborted);

    byte[] bad = TestData.flipBit(e.bytes(), 8L * (e.length() - 40)); // inside the last page
    RecordingStage broken = new RecordingStage();
    assertThrows(ChangesetFormatException.class, () -> Changesets.apply("k",
        new ByteArrayInputStream(bad), -1, DecodeOptions.defaults(), broken));
    assertEquals(30, broken.staged, "every page was staged, unverified");
    assertFalse(broken.committed);
    assertTrue(broken.aborted);
  }

  /**
   * The reader hands pages out as views into its buffers when they lie there whole, else as a
   * copy: both paths, for every encoding (512-byte pages straddle 4 KiB frames; a choppy stream
   * leaves no page whole in the read buffer), must show the page's bytes, also after finish()
   * (whose trailer read refills the buffer when the stream's last read ended at the trailer).
   */
  @ParameterizedTest
  @CsvSource({"NONE,false", "ZSTD,false", "NONE,true", "ZSTD,true"})
  void page_views_show_each_page_whole_and_the_last_one_after_finish(
      Compression c, boolean encrypt) {
    PhysicalChangeset cs = TestData.physical(PhysicalHeader.first(1, 512, 60, 40, T0), 5, true);
    byte[] bytes = cs.encode(TestData.options(c, encrypt, 4096)).bytes();
    int n = bytes.length;
    for (int chop : new int[] {333, n, 0}) {
      // chop 0: reads end before the last page's bytes and before the trailer, so the last page
      // is read alone into the start of the buffer, which the trailer's read then overwrites.
      InputStream in = chop > 0 ? TestData.choppy(bytes, chop)
          : new SequenceInputStream(Collections.enumeration(List.of(
              new ByteArrayInputStream(bytes, 0, n - 32 - 512),
              new ByteArrayInputStream(bytes, n - 32 - 512, 512),
              new ByteArrayInputStream(bytes, n - 32, 32))));
      try (PhysicalReader r = PhysicalReader.open(null, in, -1, DecodeOptions.withKey(KEY))) {
        int i = 0;
        while (r.next()) {
          Page want = cs.pages().get(i++);
          assertEquals(want.number(), r.pageNumber());
          ByteBuffer view = r.page();
          byte[] got = new byte[view.remaining()];
          view.get(got);
          assertArrayEquals(want.data(), got, "page " + want.number() + ", reads of " + chop);
        }
        r.finish();
        byte[] last = new byte[512];
        r.page().get(last);
        assertArrayEquals(cs.pages().get(39).data(), last);
        assertArrayEquals(cs.pages().get(39).data(), r.copyPage());
      }
    }
  }

  static final class RecordingStage implements PageStage {
    int staged;
    boolean committed;
    boolean aborted;

    @Override
    public void stage(long pageNumber, ByteBuffer page) {
      staged++;
    }

    @Override
    public void commit(ChainLink verified) {
      committed = true;
    }

    @Override
    public void abort(Throwable cause) {
      aborted = true;
    }
  }
}
