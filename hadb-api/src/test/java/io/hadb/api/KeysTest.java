package io.hadb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "db/changes/00000000000000000001.hadbp", "A-Z_a.z=0+9,@", "x/y/z"})
  void acceptsValidKeys(String key) {
    assertEquals(key, Keys.validate(key));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/a", "a/", "a//b", "a/../b", "..", ".", "a/./b", "a b", "a~b", "a%2f", "a\\b",
      "a:b", "é", "a\u0000b", "a?b", "a*b"})
  void rejectsInvalidKeys(String key) {
    HadbException e = assertThrows(HadbException.class, () -> Keys.validate(key));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  @Test
  void rejectsNullAndSaysSo() {
    HadbException e = assertThrows(HadbException.class, () -> Keys.validate(null));
    assertTrue(e.getMessage().contains("must not be null"), e.getMessage());
  }

  @Test
  void boundsLength() {
    String longKey = "a/".repeat(600) + "b";
    HadbException e = assertThrows(HadbException.class, () -> Keys.validate(longKey));
    assertTrue(e.getMessage().contains("limit is " + Keys.MAX_KEY_LENGTH), e.getMessage());
    String longSegment = "s".repeat(Keys.MAX_SEGMENT_LENGTH + 1);
    assertThrows(HadbException.class, () -> Keys.validate(longSegment));
    assertEquals("s".repeat(Keys.MAX_SEGMENT_LENGTH), Keys.validate("s".repeat(Keys.MAX_SEGMENT_LENGTH)));
  }

  @Test
  void messageNamesTheBadCharacterAndItsPosition() {
    HadbException e = assertThrows(HadbException.class, () -> Keys.validate("ab/c d"));
    assertTrue(e.getMessage().contains("' ' at index 4"), e.getMessage());
  }

  @Test
  void prefixesMayEndWithSlashOrBeEmptyOrPartial() {
    assertEquals("", Keys.validatePrefix(""));
    assertEquals("db/", Keys.validatePrefix("db/"));
    assertEquals("db/changes/000", Keys.validatePrefix("db/changes/000"));
    assertEquals("db/.", Keys.validatePrefix("db/."));
    assertThrows(HadbException.class, () -> Keys.validatePrefix("db//"));
    assertThrows(HadbException.class, () -> Keys.validatePrefix("/db"));
    assertThrows(HadbException.class, () -> Keys.validatePrefix("../"));
    assertThrows(HadbException.class, () -> Keys.validatePrefix(null));
  }
}
