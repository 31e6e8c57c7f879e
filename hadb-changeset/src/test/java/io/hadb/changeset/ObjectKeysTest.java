package io.hadb.changeset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

  @Test
  void keys_are_twenty_zero_padded_digits() {
    assertEquals("changes/00000000000000000001.hadbp", ObjectKeys.changeset(1));
    assertEquals("changes/09223372036854775807.hadbj", ObjectKeys.journal(Long.MAX_VALUE));
    assertEquals("prod/orders/changes/00000000000000000042.hadbp",
        ObjectKeys.key("prod/orders/", 42, Format.HADBP));
    assertEquals("prod/orders/changes/", ObjectKeys.changesPrefix("prod/orders/"));
    assertTrue(ObjectKeys.changeset(9).compareTo(ObjectKeys.changeset(10)) < 0,
        "lexicographic order is numeric order");
  }

  @Test
  void parse_round_trips() {
    ObjectKeys.ParsedKey k = ObjectKeys.parse("a/b/changes/00000000000000000042.hadbj");
    assertEquals(new ObjectKeys.ParsedKey("a/b/", 42, Format.HADBJ), k);
    assertEquals(Long.MAX_VALUE, ObjectKeys.parse(ObjectKeys.changeset(Long.MAX_VALUE)).seq());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "changes/1.hadbp",
    "changes/0000000000000000001.hadbp",
    "changes/000000000000000000001.hadbp",
    "changes/00000000000000000000.hadbp",
    "changes/99999999999999999999.hadbp",
    "changes/09223372036854775808.hadbp",
    "changes/+0000000000000000001.hadbp",
    "changes/0000000000000000000a.hadbp",
    "changes/00000000000000000001.HADBP",
    "changes/00000000000000000001.hadbx",
    "changes/00000000000000000001.hadbp.tmp",
    "snapshots/00000000000000000001.hadbp",
    "dbchanges/00000000000000000001.hadbp",
    "/changes/00000000000000000001.hadbp",
    "a//changes/00000000000000000001.hadbp",
    "00000000000000000001.hadbp",
    ""
  })
  void non_canonical_names_are_refused(String key) {
    assertTrue(ObjectKeys.tryParse(key).isEmpty(), key);
    HadbException e = assertThrows(HadbException.class, () -> ObjectKeys.parse(key));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  @Test
  void building_refuses_bad_input() {
    assertThrows(HadbException.class, () -> ObjectKeys.changeset(0));
    assertThrows(HadbException.class, () -> ObjectKeys.key("db", 1, Format.HADBP));
    assertThrows(HadbException.class, () -> ObjectKeys.key("../", 1, Format.HADBP));
  }
}
