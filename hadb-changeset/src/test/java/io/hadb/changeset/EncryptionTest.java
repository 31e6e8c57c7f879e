package io.hadb.changeset;

import static io.hadb.changeset.TestData.KEY;
import static io.hadb.changeset.TestData.OTHER_KEY;
import static io.hadb.changeset.TestData.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.changeset.ChangesetFormatException.Problem;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EncryptionTest {

  /** 3 pages of 4096 with 4 KiB chunks: 4 sealed frames of 4112, 4112, 4112 and 28 bytes. */
  private static Encoded sealed(Compression c) {
    PhysicalHeader h = PhysicalHeader.first(1, 4096, 3, 3, T0);
    return TestData.physical(h, 2, true).encode(TestData.options(c, true, 4096));
  }

  @Test
  void wrong_key_is_a_clear_error_naming_both_key_ids() {
    Encoded e = sealed(Compression.ZSTD);
    ChangesetKeyException ex = assertThrows(ChangesetKeyException.class,
        () -> PhysicalChangeset.decode("changes/1.hadbp", e.bytes(),
            DecodeOptions.withKey(OTHER_KEY)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, ex.code());
    String expected = "wrong key (key id " + EncryptionKey.formatKeyId(KEY.keyId())
        + " expected, " + EncryptionKey.formatKeyId(OTHER_KEY.keyId()) + " given)";
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    assertTrue(ex.getMessage().contains("changes/1.hadbp"), ex.getMessage());
    assertEquals(KEY.keyId(), ex.expectedKeyId());
    assertEquals(OptionalLong.of(OTHER_KEY.keyId()), ex.givenKeyId());
    // Verifying with the wrong key says so too, rather than pretending all is well.
    assertThrows(ChangesetKeyException.class, () -> Changesets.verify(null, e.openStream(), -1,
        DecodeOptions.withKey(OTHER_KEY)));
  }

  @Test
  void verifying_needs_no_key_but_reading_pages_does() {
    Encoded e = sealed(Compression.NONE);
    assertEquals(e.link(), Changesets.verify(e.bytes()));
    try (PhysicalReader r = PhysicalReader.open(e.openStream(), DecodeOptions.defaults())) {
      ChangesetKeyException ex = assertThrows(ChangesetKeyException.class, r::next);
      assertTrue(ex.getMessage().contains("a key is required"), ex.getMessage());
      assertTrue(ex.givenKeyId().isEmpty());
    }
    // An encrypted empty seal has nothing to decrypt: readable and verifiable without a key.
    Encoded seal = new PhysicalChangeset(PhysicalHeader.seal(e.link(), 2, T0), List.of())
        .encode(EncodeOptions.plain().withEncryption(KEY));
    assertTrue(PhysicalChangeset.decode(seal.bytes(), DecodeOptions.defaults()).changeset()
        .pages().isEmpty());
  }

  @Test
  void a_corrupted_key_id_is_corruption_not_a_wrong_key() {
    Encoded e = sealed(Compression.NONE);
    byte[] bad = e.bytes();
    bad[85] ^= 1; // inside the key id
    ChangesetFormatException ex = assertThrows(ChangesetFormatException.class,
        () -> PhysicalChangeset.decode(bad, DecodeOptions.withKey(KEY)));
    assertEquals(Problem.CHECKSUM_MISMATCH, ex.problem());
  }

  @Test
  void gcm_authenticates_what_sha256_alone_cannot() {
    // Someone with write access to storage can recompute the SHA-256; not the GCM tags.
    Encoded e = sealed(Compression.NONE);
    byte[] ciphertext = TestData.rehash(TestData.flipBit(e.bytes(), 8L * 300));
    assertEquals(Problem.DECRYPT_FAILED, decodeProblem(ciphertext));

    // The header is associated data: changing the epoch or the db size breaks every frame.
    byte[] epoch = e.bytes();
    TestData.putLong(epoch, 24, 99);
    assertEquals(Problem.DECRYPT_FAILED, decodeProblem(TestData.rehash(epoch)));

    // Frames cannot be reordered...
    byte[] swapped = e.bytes();
    int f = 4 + 4096 + 16;
    byte[] f0 = Arrays.copyOfRange(swapped, 104, 104 + f);
    System.arraycopy(swapped, 104 + f, swapped, 104, f);
    System.arraycopy(f0, 0, swapped, 104 + f, f);
    assertEquals(Problem.DECRYPT_FAILED, decodeProblem(TestData.rehash(swapped)));

    // ...nor lifted from another changeset sealed with the same key.
    byte[] other = sealed(Compression.NONE).bytes();
    byte[] lifted = e.bytes();
    System.arraycopy(other, 104, lifted, 104, f);
    assertEquals(Problem.DECRYPT_FAILED, decodeProblem(TestData.rehash(lifted)));
  }

  @Test
  void a_journal_cut_at_a_frame_boundary_fails_authentication() {
    List<JournalEntry> entries = List.of(
        new JournalEntry(1, 0x8000_0000, TestData.pageBytes(5000, 1, false)),
        new JournalEntry(2, 0x8000_0000, TestData.pageBytes(5000, 2, false)));
    Encoded e = new JournalSegment(JournalHeader.first(1, 2, T0), entries)
        .encode(TestData.options(Compression.NONE, true, 4096));
    // Keep frames 0 and 1, mark frame 1 last, drop the rest: a "valid" shorter segment.
    byte[] b = e.bytes();
    int f = 4 + 4096 + 16;
    byte[] cut = Arrays.copyOf(b, 104 + 2 * f + 32);
    cut[104 + f] |= (byte) 0x80;
    cut = TestData.rehash(cut);
    byte[] finalCut = cut;
    ChangesetFormatException ex = assertThrows(ChangesetFormatException.class,
        () -> JournalSegment.decode(finalCut, DecodeOptions.withKey(KEY)));
    assertEquals(Problem.DECRYPT_FAILED, ex.problem());
  }

  private static Problem decodeProblem(byte[] bytes) {
    ChangesetFormatException ex = assertThrows(ChangesetFormatException.class,
        () -> PhysicalChangeset.decode(bytes, DecodeOptions.withKey(KEY)));
    // Streaming with unknown length reaches the same verdict.
    ChangesetFormatException s = assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify(null, new ByteArrayInputStream(bytes), -1,
            DecodeOptions.withKey(KEY)));
    assertEquals(ex.problem(), s.problem());
    return ex.problem();
  }

  @Test
  void key_ids_differ_per_key_and_are_stable() {
    assertEquals(KEY.keyId(), EncryptionKey.of(TestData.seq(32, 0x10)).keyId());
    assertTrue(KEY.keyId() != OTHER_KEY.keyId());
    assertThrows(io.hadb.api.HadbException.class, () -> EncryptionKey.of(new byte[16]));
  }
}
