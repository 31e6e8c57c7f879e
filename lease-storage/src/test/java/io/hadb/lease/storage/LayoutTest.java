package io.hadb.lease.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Keys;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import io.hadb.lease.storage.internal.Layout;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {
  private final Layout layout = new Layout("root/");

  /** Keys from few segments, so that prefixes and parent/child pairs are common. */
  static Gen<String> keys() {
    Gen<String> segment = Gen.oneOf(
        Gen.of("a", "b", "a-b", "0", "00", "1", "h", "9223372036854775806", "+", "_"),
        Gen.strings("ab0+-.=@_", 1, 4).filter(s -> !s.equals(".") && !s.equals("..")),
        Gen.strings("xy", 60, 200));
    return Gen.lists(segment, 1, 5).map(l -> String.join("/", l)).filter(k -> k.length() <= Keys.MAX_KEY_LENGTH);
  }

  @Test
  void noRegisterListsAnotherRegistersVersions() {
    Property.named("no register lists another register's versions").tries(300).check(c -> {
      String a = c.draw(keys());
      String b = c.draw(keys());
      long v = c.draw(Gen.longs(1, Long.MAX_VALUE));
      if (a.equals(b)) {
        return;
      }
      String objectOfB = layout.object(b, v);
      assertFalse(objectOfB.startsWith(layout.dir(a)), objectOfB + " lies in the directory of " + a);
      // No object name is the "directory" of another object (stores that keep files need this).
      assertFalse(objectOfB.startsWith(layout.object(a, v) + "/"));
      Keys.validate(objectOfB);
    });
  }

  @Test
  void newerVersionsSortFirstAndNamesParseBack() {
    Property.named("newer versions sort first and names parse back").tries(200).check(c -> {
      String k = c.draw(keys());
      long v = c.draw(Gen.longs(1, Long.MAX_VALUE - 1));
      String older = layout.object(k, v);
      String newer = layout.object(k, v + 1);
      assertTrue(newer.compareTo(older) < 0);
      assertEquals(v, layout.version(k, older));
    });
  }

  @Test
  void shortKeysAreReadableAndLongOnesHashed() {
    assertEquals("root/2/db/lease/9223372036854775806", layout.object("db/lease", 1));
    String longKey = "x".repeat(Layout.READABLE_KEY_MAX + 1);
    assertTrue(layout.dir(longKey).matches("root/h/[0-9a-f]{64}/"), layout.dir(longKey));
    assertTrue(List.of(layout.object(longKey, Long.MAX_VALUE)).get(0).endsWith("/0000000000000000000"));
  }
}
