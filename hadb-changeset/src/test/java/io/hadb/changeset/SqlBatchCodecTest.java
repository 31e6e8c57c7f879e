package io.hadb.changeset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.ChangesetFormatException.Problem;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlBatchCodecTest {

  @Test
  void every_value_type_round_trips() {
    List<SqlStatement> batch = List.of(
        SqlStatement.of("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", null, Long.MIN_VALUE,
            Double.NaN, -0.0, "żółw \uD83D\uDC22", new byte[] {0, (byte) 0xff}, ""),
        SqlStatement.of("DELETE FROM t"));
    assertEquals(batch, SqlBatchCodec.decode(SqlBatchCodec.encode(batch)));
  }

  @Test
  void malformed_payloads_are_format_errors() {
    byte[] ok = SqlBatchCodec.encode(List.of(SqlStatement.of("SELECT ?", "x")));
    bad(Arrays.copyOf(ok, ok.length - 1));
    bad(TestData.concat(ok, new byte[] {0}));
    byte[] tag = ok.clone();
    tag[4 + 4 + 8 + 4] = 9; // the parameter's tag
    bad(tag);
    byte[] utf8 = ok.clone();
    utf8[ok.length - 1] = (byte) 0xC3; // a lone lead byte
    bad(utf8);
    bad(new byte[] {0, 0, 0, 0});
    bad(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertThrows(HadbException.class, () -> SqlBatchCodec.encode(List.of()));
  }

  private static void bad(byte[] payload) {
    ChangesetFormatException e = assertThrows(ChangesetFormatException.class,
        () -> SqlBatchCodec.decode(payload));
    assertEquals(Problem.BAD_PAYLOAD, e.problem());
  }

  @Test
  void a_journal_reader_rejects_a_malformed_sql_batch() {
    Encoded e = new JournalSegment(JournalHeader.first(1, 1, 0), List.of(
        new JournalEntry(1, JournalEntry.KIND_SQL_BATCH, new byte[] {0, 0, 0, 1})))
        .encode(EncodeOptions.plain());
    ChangesetFormatException ex = assertThrows(ChangesetFormatException.class,
        () -> JournalSegment.decode(e.bytes(), DecodeOptions.defaults()));
    assertEquals(Problem.BAD_PAYLOAD, ex.problem());
  }
}
