package io.hadb.lease.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.HadbException;
import io.hadb.lease.nats.internal.NatsKeyCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

class NatsKeyCodecTest {

  @Provide
  Arbitrary<String> keys() {
    Arbitrary<String> segment = Arbitraries.strings()
        .withChars("abcXYZ019._-=+,@".toCharArray())
        .ofMinLength(1).ofMaxLength(12)
        .filter(s -> !s.equals(".") && !s.equals(".."));
    return segment.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("/", l));
  }

  @Property(tries = 300)
  void encodingIsAValidNatsKeyAndReversible(@ForAll("keys") String key) {
    String encoded = NatsKeyCodec.encode(key);
    // ADR-8 key syntax: [-/_=.A-Za-z0-9]+, '.'-separated non-empty tokens.
    assertTrue(encoded.matches("[-_=A-Za-z0-9]+(\\.[-_=A-Za-z0-9]+)*"), encoded);
    assertEquals(key, NatsKeyCodec.decode(encoded));
  }

  @Property(tries = 200)
  void distinctKeysNeverCollide(@ForAll("keys") String a, @ForAll("keys") String b) {
    if (!a.equals(b)) {
      assertTrue(!NatsKeyCodec.encode(a).equals(NatsKeyCodec.encode(b)), a + " vs " + b);
    }
  }

  @Example
  void documentedMapping() {
    assertEquals("db1.lease", NatsKeyCodec.encode("db1/lease"));
    assertEquals("a_2Eb_5Fc_2Bd_2Ce_40f-g=h", NatsKeyCodec.encode("a.b_c+d,e@f-g=h"));
    assertEquals("_2E_2Ea", NatsKeyCodec.encode("..a"));
  }

  @Example
  void decodeRefusesWhatEncodeCannotProduce() {
    for (String bad : new String[] {"a_2e", "a_41", "a_", "a_4", "a*b", "a..b", ".a"}) {
      assertThrows(HadbException.class, () -> NatsKeyCodec.decode(bad), bad);
    }
  }
}
