package io.hadb.changeset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenVectorsTest {
  private static final Map<String, GoldenVectors.Vector> VECTORS = GoldenVectors.all();

  static List<String> files() {
    return List.copyOf(VECTORS.keySet());
  }

  static byte[] resource(String file) {
    try (InputStream in = GoldenVectorsTest.class.getResourceAsStream("/golden/" + file)) {
      if (in == null) {
        throw new AssertionError("missing golden vector " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @MethodSource("files")
  void writer_reproduces_the_vector_byte_for_byte(String file) {
    assertArrayEquals(resource(file), VECTORS.get(file).encoded().bytes(),
        file + ": the writer's output differs from the committed vector");
  }

  @ParameterizedTest
  @MethodSource("files")
  void vector_decodes_to_its_content(String file) {
    byte[] bytes = resource(file);
    DecodeOptions withKey = DecodeOptions.withKey(GoldenVectors.KEY);
    Object content = VECTORS.get(file).content();
    ChainLink link;
    if (file.startsWith("hadbp")) {
      PhysicalChangeset.Decoded d = PhysicalChangeset.decode(file, bytes, withKey);
      assertEquals(content, d.changeset());
      link = d.link();
    } else {
      JournalSegment.Decoded d = JournalSegment.decode(file, bytes, withKey);
      assertEquals(content, d.segment());
      link = d.link();
    }
    assertEquals(VECTORS.get(file).encoded().link(), link);
  }

  @Test
  void readme_lists_every_vector_with_its_checksum() throws IOException {
    String readme;
    try (InputStream in = getClass().getResourceAsStream("/golden/README.md")) {
      readme = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (GoldenVectors.Vector v : VECTORS.values()) {
      assertTrue(readme.contains("`" + v.file() + "`"), v.file() + " missing from README");
      assertTrue(readme.contains(v.encoded().checksum().toHex()), v.file() + " checksum");
      assertTrue(readme.contains("| " + v.encoded().length() + " |"), v.file() + " size");
    }
    assertTrue(readme.contains(EncryptionKey.formatKeyId(GoldenVectors.KEY.keyId())));
  }

  @Test
  void both_chains_verify_without_the_key() {
    ChainVerifier p = ChainVerifier.fromGenesis();
    ChainVerifier j = ChainVerifier.fromGenesis();
    for (String file : files()) {
      (file.startsWith("hadbp") ? p : j).verify(GoldenVectors.keyOf(file), resource(file));
    }
    assertEquals(5, p.verifiedCount());
    assertEquals(3, j.verifiedCount());
    assertEquals(2, p.last().orElseThrow().epoch());
  }

  /**
   * Exhaustive over every vector: each single bit flip is caught by a full decode with the key.
   * The streamed verify without a key (a different path: frames walked, not opened) sees every
   * header and trailer bit and every third body bit, which keeps the module's test time down.
   */
  @ParameterizedTest
  @MethodSource("files")
  void every_single_bit_flip_is_detected(String file) {
    byte[] bytes = resource(file);
    long bodyEnd = (bytes.length - 32) * 8L;
    for (long bit = 0; bit < bytes.length * 8L; bit++) {
      byte[] bad = TestData.flipBit(bytes, bit);
      expectFormatError(file, bit, () -> decode(file, bad, DecodeOptions.withKey(GoldenVectors.KEY)));
      if (bit < 104 * 8 || bit >= bodyEnd || bit % 3 == 0) {
        expectFormatError(file, bit, () -> Changesets.verify(file, new ByteArrayInputStream(bad),
            -1, DecodeOptions.defaults()));
      }
    }
  }

  /** Exhaustive: every proper prefix, length known and unknown. */
  @ParameterizedTest
  @MethodSource("files")
  void every_truncation_is_detected(String file) {
    byte[] bytes = resource(file);
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = TestData.prefix(bytes, n);
      long at = n;
      expectFormatError(file, at, () -> decode(file, cut, DecodeOptions.withKey(GoldenVectors.KEY)));
      expectFormatError(file, at, () -> Changesets.verify(file, TestData.choppy(cut, 100), -1,
          DecodeOptions.withKey(GoldenVectors.KEY)));
    }
    // And one byte too many.
    byte[] longer = TestData.concat(bytes, new byte[1]);
    ChangesetFormatException e = assertThrows(ChangesetFormatException.class,
        () -> Changesets.verify(file, new ByteArrayInputStream(longer), -1,
            DecodeOptions.defaults()));
    assertEquals(ChangesetFormatException.Problem.TRAILING_BYTES, e.problem());
  }

  private static void decode(String file, byte[] bytes, DecodeOptions o) {
    if (file.startsWith("hadbp")) {
      PhysicalChangeset.decode(file, bytes, o);
    } else {
      JournalSegment.decode(file, bytes, o);
    }
  }

  private static void expectFormatError(String file, long where, Runnable r) {
    try {
      r.run();
      fail(file + ": corruption at " + where + " was not detected");
    } catch (ChangesetFormatException expected) {
      assertTrue(expected.getMessage().contains(file), expected.getMessage());
    } catch (Throwable t) {
      assertInstanceOf(ChangesetFormatException.class, t, file + " at " + where + ": " + t);
    }
  }
}
