package io.hadb.changeset;

import io.hadb.api.engine.SqlStatement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The definitions behind src/test/resources/golden/. Everything is fixed: key bytes 0x10..0x2f,
 * base nonce a0a1..ab, created = 1700000000000 + seq, page contents from {@link #page}. Run
 * {@link #main} to rewrite the files (only when the format version changes; see README there).
 */
final class GoldenVectors {
  static final EncryptionKey KEY = EncryptionKey.of(TestData.seq(32, 0x10));
  static final Nonce NONCE = Nonce.of(TestData.seq(12, 0xa0));
  static final long T0 = 1_700_000_000_000L;

  private GoldenVectors() {}

  record Vector(String file, Encoded encoded, Object content) {}

  /** Page p of a golden changeset: printable, partly repetitive, different per page and seq. */
  static byte[] page(int size, long seq, long p) {
    byte[] b = new byte[size];
    String text = "hadb golden seq " + seq + " page " + p + ";";
    for (int i = 0; i < size; i++) {
      b[i] = i < size / 2 ? (byte) text.charAt(i % text.length()) : (byte) ((p * 7 + i / 16) & 0xFF);
    }
    return b;
  }

  private static PhysicalChangeset pages(PhysicalHeader h, long... numbers) {
    List<Page> list = new ArrayList<>();
    for (long n : numbers) {
      list.add(new Page(n, page(h.pageSize(), h.seq(), n)));
    }
    return new PhysicalChangeset(h, list);
  }

  private static EncodeOptions opts(boolean zstd, boolean aes) {
    EncodeOptions o = EncodeOptions.plain().withChunkSize(4096).withNonces(NonceSource.fixed(NONCE));
    if (zstd) {
      o = o.withZstd();
    }
    return aes ? o.withEncryption(KEY) : o;
  }

  static Map<String, Vector> all() {
    Map<String, Vector> v = new LinkedHashMap<>();
    // HADBP chain: seq 1..5, page size 512.
    PhysicalChangeset p1 = pages(PhysicalHeader.first(1, 512, 4, 3, T0 + 1), 1, 2, 4);
    Encoded e1 = p1.encode(opts(false, false));
    put(v, "hadbp-01-plain.bin", e1, p1);

    PhysicalChangeset p2 = pages(PhysicalHeader.after(e1.link(), 1, 10, 10, T0 + 2),
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    Encoded e2 = p2.encode(opts(true, false));
    put(v, "hadbp-02-zstd.bin", e2, p2);

    PhysicalChangeset p3 = pages(PhysicalHeader.after(e2.link(), 1, 10, 3, T0 + 3), 3, 5, 7);
    Encoded e3 = p3.encode(opts(false, true));
    put(v, "hadbp-03-aes.bin", e3, p3);

    PhysicalChangeset p4 = pages(PhysicalHeader.after(e3.link(), 1, 12, 12, T0 + 4),
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    Encoded e4 = p4.encode(opts(true, true));
    put(v, "hadbp-04-zstd-aes.bin", e4, p4);

    PhysicalChangeset p5 = new PhysicalChangeset(PhysicalHeader.seal(e4.link(), 2, T0 + 5),
        List.of());
    put(v, "hadbp-05-seal.bin", p5.encode(opts(false, false)), p5);

    // HADBJ chain: seq 1..3.
    JournalSegment j1 = new JournalSegment(JournalHeader.first(7, 2, T0 + 1), List.of(
        new JournalEntry(1, JournalEntry.KIND_SQL_BATCH, SqlBatchCodec.encode(List.of(
            SqlStatement.of("CREATE TABLE t(id INTEGER PRIMARY KEY, r REAL, s TEXT, b BLOB)"),
            SqlStatement.of("INSERT INTO t VALUES (?, ?, ?, ?)", 42L, 1.5, "h\u00e9llo",
                new byte[] {0, 1, 2, (byte) 0xff}),
            SqlStatement.of("INSERT INTO t VALUES (?, ?, ?, ?)", -1L, null, "", new byte[0])))),
        new JournalEntry(2, 0x8000_0001, TestData.seq(16, 0x40))));
    Encoded ej1 = j1.encode(opts(false, false));
    put(v, "hadbj-01-plain.bin", ej1, j1);

    List<JournalEntry> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(new JournalEntry(3 + i, JournalEntry.KIND_SQL_BATCH, SqlBatchCodec.encode(
          List.of(SqlStatement.of("UPDATE t SET s = ? WHERE id = ?", "v" + i + "-".repeat(2000),
              42L)))));
    }
    JournalSegment j2 = new JournalSegment(JournalHeader.after(ej1.link(), 7, 3, T0 + 2), batch);
    Encoded ej2 = j2.encode(opts(true, true));
    put(v, "hadbj-02-zstd-aes.bin", ej2, j2);

    JournalSegment j3 = new JournalSegment(JournalHeader.seal(ej2.link(), 8, T0 + 3), List.of());
    put(v, "hadbj-03-seal.bin", j3.encode(opts(false, false)), j3);
    return v;
  }

  private static void put(Map<String, Vector> v, String file, Encoded e, Object content) {
    v.put(file, new Vector(file, e, content));
  }

  /** The object key each vector has in its chain. */
  static String keyOf(String file) {
    long seq = Long.parseLong(file.substring(6, 8));
    return file.startsWith("hadbp") ? ObjectKeys.changeset(seq) : ObjectKeys.journal(seq);
  }

  /** Writes the vectors to the directory given (default: this module's golden resources). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden");
    Files.createDirectories(dir);
    for (Vector v : all().values()) {
      Files.write(dir.resolve(v.file()), v.encoded().bytes());
      System.out.println(v.file() + " " + v.encoded().length() + " " + v.encoded().checksum());
    }
  }
}
