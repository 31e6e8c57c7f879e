package io.hadb.lease.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Keys;
import io.hadb.lease.storage.internal.Layout;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LayoutTest {
  private final Layout layout = new Layout("root/");

  /** Keys from few segments, so that prefixes and parent/child pairs are common. */
  @Provide
  Arbitrary<String> keys() {
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.of("a", "b", "a-b", "0", "00", "1", "h", "9223372036854775806", "+", "_"),
        Arbitraries.strings().withChars("ab0+-.=@_").ofMinLength(1).ofMaxLength(4).filter(s -> !s.equals(".") && !s.equals("..")),
        Arbitraries.strings().withChars("xy").ofMinLength(60).ofMaxLength(200));
    return segment.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("/", l))
        .filter(k -> k.length() <= Keys.MAX_KEY_LENGTH);
  }

  @Property(tries = 300)
  void noRegisterListsAnotherRegistersVersions(@ForAll("keys") String a, @ForAll("keys") String b,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long v) {
    if (a.equals(b)) {
      return;
    }
    String objectOfB = layout.object(b, v);
    assertFalse(objectOfB.startsWith(layout.dir(a)), objectOfB + " lies in the directory of " + a);
    // No object name is the "directory" of another object (stores that keep files need this).
    assertFalse(objectOfB.startsWith(layout.object(a, v) + "/"));
    Keys.validate(objectOfB);
  }

  @Property(tries = 200)
  void newerVersionsSortFirstAndNamesParseBack(@ForAll("keys") String k,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE - 1) long v) {
    String older = layout.object(k, v);
    String newer = layout.object(k, v + 1);
    assertTrue(newer.compareTo(older) < 0);
    assertEquals(v, layout.version(k, older));
  }

  @Test
  void shortKeysAreReadableAndLongOnesHashed() {
    assertEquals("root/2/db/lease/9223372036854775806", layout.object("db/lease", 1));
    String longKey = "x".repeat(Layout.READABLE_KEY_MAX + 1);
    assertTrue(layout.dir(longKey).matches("root/h/[0-9a-f]{64}/"), layout.dir(longKey));
    assertTrue(List.of(layout.object(longKey, Long.MAX_VALUE)).get(0).endsWith("/0000000000000000000"));
  }
}
