package io.hadb.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsWhatRqliteClientsSend() throws Exception {
    Object v = Json.parse(" [\"SELECT 1\", [\"INSERT INTO t VALUES(?, ?, ?)\", 1, 2.5, null],"
        + " [\"x\", {\"a\": true, \"b\": \"\\u00e9\\n\"}], 9223372036854775807, -1e3 ] ");
    Map<String, Object> named = new LinkedHashMap<>();
    named.put("a", true);
    named.put("b", "é\n");
    assertEquals(List.of("SELECT 1", Arrays.asList("INSERT INTO t VALUES(?, ?, ?)", 1L, 2.5, null),
        List.of("x", named), Long.MAX_VALUE, -1000.0), v);
  }

  @Test
  void writesWhatItReads() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "quote \" backslash \\ tab \t </script>");
    m.put("l", Arrays.asList(1L, 2.5, null, false));
    assertEquals(m, Json.parse(Json.write(m)));
    assertTrue(Json.write(m).contains("\\u003c/script\\u003e"), "no raw < > in JSON that a page may embed");
  }

  @Test
  void badJsonNamesTheOffsetAndWhatWasExpected() {
    assertEquals("malformed JSON at offset 5: expected ',' or ']' in an array, found '\"b\"]'",
        assertThrows(Json.ParseException.class, () -> Json.parse("[\"a\" \"b\"]")).getMessage());
    assertTrue(assertThrows(Json.ParseException.class, () -> Json.parse("[1,")).getMessage()
        .contains("found the end of the body"));
    assertTrue(assertThrows(Json.ParseException.class, () -> Json.parse("[1] x")).getMessage()
        .contains("expected end of input"));
    assertTrue(assertThrows(Json.ParseException.class, () -> Json.parse("[".repeat(100))).getMessage()
        .contains("levels of nesting"));
  }
}
