package io.hadb.changeset;

import static io.hadb.changeset.TestData.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.changeset.ChainException.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {

  /** Plain chain of n changesets with the given epochs (epochs[i] for seq i+1). */
  static List<Encoded> chain(long... epochs) {
    List<Encoded> out = new ArrayList<>();
    ChainLink prev = null;
    for (int i = 0; i < epochs.length; i++) {
      PhysicalHeader h = prev == null
          ? PhysicalHeader.first(epochs[i], 512, 8, 2, T0)
          : PhysicalHeader.after(prev, epochs[i], 8, 2, T0 + i);
      Encoded e = TestData.physical(h, i, false).encode(EncodeOptions.plain());
      out.add(e);
      prev = e.link();
    }
    return out;
  }

  static String key(long seq) {
    return ObjectKeys.changeset(seq);
  }

  private static ChainException breaks(Kind kind, ChainVerifier v, String key, Encoded e) {
    ChainException ex = assertThrows(ChainException.class, () -> v.verify(key, e.bytes()));
    assertEquals(kind, ex.kind(), ex.getMessage());
    assertEquals(ErrorCode.CORRUPT, ex.code());
    assertEquals(key, ex.objectKey());
    assertTrue(ex.getMessage().contains(key), ex.getMessage());
    assertTrue(ex.getMessage().contains(kind.name()), ex.getMessage());
    return ex;
  }

  @Test
  void a_good_chain_verifies() {
    List<Encoded> c = chain(1, 1, 2, 2, 5);
    ChainVerifier v = ChainVerifier.fromGenesis();
    for (int i = 0; i < c.size(); i++) {
      v.verify(key(i + 1), c.get(i).bytes());
    }
    assertEquals(5, v.lastSeq());
    assertEquals(c.get(4).checksum(), v.lastChecksum());
  }

  @Test
  void gap() {
    List<Encoded> c = chain(1, 1, 1, 1);
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(key(1), c.get(0).bytes());
    v.verify(key(2), c.get(1).bytes());
    ChainException e = breaks(Kind.GAP, v, key(4), c.get(3));
    assertEquals(4, e.seq());
    assertTrue(e.getMessage().contains("expected seq 3"), e.getMessage());
    // The verifier still stands at seq 2: the missing object can still come.
    v.verify(key(3), c.get(2).bytes());
    v.verify(key(4), c.get(3).bytes());
  }

  @Test
  void a_chain_must_start_at_seq_1_with_a_zero_previous_checksum() {
    List<Encoded> c = chain(1, 1);
    breaks(Kind.GAP, ChainVerifier.fromGenesis(), key(2), c.get(1));
    // Seq 1 with a non-zero previous checksum.
    Encoded odd = TestData.physical(new PhysicalHeader(1, 1, 512, 8, 2, T0, c.get(0).checksum()),
        1, false).encode(EncodeOptions.plain());
    breaks(Kind.PREV_CHECKSUM_MISMATCH, ChainVerifier.fromGenesis(), key(1), odd);
  }

  @Test
  void duplicate_and_fork() {
    List<Encoded> c = chain(1, 1);
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(key(1), c.get(0).bytes());
    v.verify(key(2), c.get(1).bytes());
    ChainException same = breaks(Kind.DUPLICATE, v, key(2), c.get(1));
    assertTrue(same.getMessage().contains("the same object again"), same.getMessage());
    Encoded fork = TestData.physical(PhysicalHeader.after(c.get(0).link(), 1, 8, 2, T0), 99,
        false).encode(EncodeOptions.plain());
    ChainException forked = breaks(Kind.DUPLICATE, v, key(2), fork);
    assertTrue(forked.getMessage().contains("fork"), forked.getMessage());
  }

  @Test
  void reorder() {
    List<Encoded> c = chain(1, 1, 1);
    ChainVerifier v = ChainVerifier.fromGenesis();
    for (int i = 0; i < 3; i++) {
      v.verify(key(i + 1), c.get(i).bytes());
    }
    ChainException e = breaks(Kind.REORDER, v, key(2), c.get(1));
    assertTrue(e.getMessage().contains("seq 2 comes after seq 3"), e.getMessage());
  }

  @Test
  void epoch_going_backwards() {
    List<Encoded> c = chain(3, 5, 4);
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(key(1), c.get(0).bytes());
    v.verify(key(2), c.get(1).bytes());
    ChainException e = breaks(Kind.EPOCH_BACKWARDS, v, key(3), c.get(2));
    assertTrue(e.getMessage().contains("epoch 4 is below epoch 5"), e.getMessage());
    // A follower that has seen epoch 6 elsewhere rejects epoch 5 at once.
    ChainVerifier seen = ChainVerifier.fromGenesis().minEpoch(6);
    breaks(Kind.EPOCH_BACKWARDS, seen, key(1), c.get(0));
  }

  @Test
  void wrong_previous_checksum() {
    List<Encoded> c = chain(1, 1);
    Encoded stray = TestData.physical(new PhysicalHeader(3, 1, 512, 8, 2, T0,
        Checksum.ofHex("01".repeat(32))), 3, false).encode(EncodeOptions.plain());
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(key(1), c.get(0).bytes());
    v.verify(key(2), c.get(1).bytes());
    ChainException e = breaks(Kind.PREV_CHECKSUM_MISMATCH, v, key(3), stray);
    assertTrue(e.getMessage().contains(c.get(1).checksum().toHex()), e.getMessage());
  }

  @Test
  void key_seq_differs_from_header_seq() {
    List<Encoded> c = chain(1, 1, 1);
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(key(1), c.get(0).bytes());
    v.verify(key(2), c.get(1).bytes());
    ChainException e = breaks(Kind.KEY_SEQ_MISMATCH, v, key(2), c.get(2));
    assertTrue(e.getMessage().contains("the key says seq 2 but the header says seq 3"),
        e.getMessage());
  }

  @Test
  void bad_keys() {
    Encoded e = chain(1).get(0);
    breaks(Kind.BAD_KEY, ChainVerifier.fromGenesis(), "changes/1.hadbp", e);
    breaks(Kind.BAD_KEY, ChainVerifier.fromGenesis(), ObjectKeys.journal(1), e);
  }

  @Test
  void a_corrupt_object_names_itself_and_keeps_the_cause() {
    List<Encoded> c = chain(1, 1);
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(key(1), c.get(0).bytes());
    Encoded flipped = new Encoded(TestData.flipBit(c.get(1).bytes(), 1000), c.get(1).link());
    ChainException e = breaks(Kind.CORRUPT, v, "db/" + key(2), flipped);
    assertEquals(2, e.seq());
    assertInstanceOf(ChangesetFormatException.class, e.getCause());
  }

  @Test
  void journal_entries_must_continue_across_segments() {
    Encoded j1 = new JournalSegment(JournalHeader.first(1, 1, T0), List.of(
        new JournalEntry(1, 0x8000_0000, new byte[] {1}))).encode(EncodeOptions.plain());
    Encoded skip = new JournalSegment(new JournalHeader(2, 1, 5, 0, T0, j1.checksum()),
        List.of()).encode(EncodeOptions.plain());
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(ObjectKeys.journal(1), j1.bytes());
    ChainException e = assertThrows(ChainException.class,
        () -> v.verify(ObjectKeys.journal(2), skip.bytes()));
    assertEquals(Kind.ENTRY_GAP, e.kind());
  }

  @Test
  void continuing_after_an_anchor() {
    List<Encoded> c = chain(1, 2, 2);
    ChainVerifier v = ChainVerifier.after(c.get(0).link());
    v.verify(key(2), c.get(1).bytes());
    v.verify(key(3), c.get(2).bytes());
    ChainVerifier bySeq = ChainVerifier.after(2, c.get(1).checksum(), 2);
    bySeq.verify(key(3), c.get(2).bytes());
    ChainVerifier wrong = ChainVerifier.after(2, Checksum.ZERO, 2);
    breaks(Kind.PREV_CHECKSUM_MISMATCH, wrong, key(3), c.get(2));
  }

  @Test
  void an_object_named_outside_chain_order_must_hold_the_seq_its_name_gives() {
    List<Encoded> c = chain(1, 1, 1);
    String snap = "db/snapshots/00000000000000000002.snap";
    assertEquals(c.get(1).link(), ChainVerifier.verifyObject(snap, 2, c.get(1).openStream(), -1, DecodeOptions.defaults()));
    ChainException wrongSeq = assertThrows(ChainException.class,
        () -> ChainVerifier.verifyObject(snap, 2, c.get(2).openStream(), -1, DecodeOptions.defaults()));
    assertEquals(Kind.KEY_SEQ_MISMATCH, wrongSeq.kind());
    assertEquals(snap, wrongSeq.objectKey());
    byte[] flipped = c.get(1).bytes();
    flipped[flipped.length / 2] ^= 1;
    ChainException corrupt = assertThrows(ChainException.class, () -> ChainVerifier.verifyObject(snap, 2,
        new java.io.ByteArrayInputStream(flipped), flipped.length, DecodeOptions.defaults()));
    assertEquals(Kind.CORRUPT, corrupt.kind());
    assertInstanceOf(ChangesetFormatException.class, corrupt.getCause());
  }

  @Test
  void only_a_corrupt_answer_is_a_chain_break() {
    io.hadb.api.HadbException down = io.hadb.api.HadbException.unavailable("storage down", null);
    assertEquals(down, ChainVerifier.asBreak(key(3), 3, down), "storage down says nothing about the object");
    ChainException broken = assertInstanceOf(ChainException.class,
        ChainVerifier.asBreak(key(3), 3, io.hadb.api.HadbException.corrupt("bad trailer")));
    assertEquals(Kind.CORRUPT, broken.kind());
    assertEquals(key(3), broken.objectKey());
  }

  @Test
  void a_snapshot_must_record_the_chains_checksum_at_its_seq() {
    List<Encoded> c = chain(1, 1, 1);
    ChainVerifier v = ChainVerifier.fromGenesis();
    v.verify(key(1), c.get(0).bytes());
    v.verify(key(2), c.get(1).bytes());
    // A snapshot at seq 2 records the chain's checksum there in its previous-checksum field.
    ChainLink agrees = new ChainLink(new PhysicalHeader(2, 1, 512, 8, 8, T0, c.get(1).checksum()),
        c.get(1).link().encoding(), Checksum.ZERO);
    v.checkSnapshot("db/snapshots/2.snap", agrees);
    ChainLink other = new ChainLink(new PhysicalHeader(2, 1, 512, 8, 8, T0, c.get(0).checksum()),
        c.get(1).link().encoding(), Checksum.ZERO);
    ChainException e = assertThrows(ChainException.class, () -> v.checkSnapshot("db/snapshots/2.snap", other));
    assertEquals(Kind.SNAPSHOT_MISMATCH, e.kind());
  }
}
