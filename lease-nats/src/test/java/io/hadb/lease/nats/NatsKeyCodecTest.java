package io.hadb.lease.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.HadbException;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import io.hadb.lease.nats.internal.NatsKeyCodec;
import org.junit.jupiter.api.Test;

class NatsKeyCodecTest {

  static Gen<String> keys() {
    Gen<String> segment = Gen.strings("abcXYZ019._-=+,@", 1, 12).filter(s -> !s.equals(".") && !s.equals(".."));
    return Gen.lists(segment, 1, 5).map(l -> String.join("/", l));
  }

  @Test
  void encodingIsAValidNatsKeyAndReversible() {
    Property.named("the encoding is a valid NATS key and reversible").tries(300).forAll(keys(), key -> {
      String encoded = NatsKeyCodec.encode(key);
      // ADR-8 key syntax: [-/_=.A-Za-z0-9]+, '.'-separated non-empty tokens.
      assertTrue(encoded.matches("[-_=A-Za-z0-9]+(\\.[-_=A-Za-z0-9]+)*"), encoded);
      assertEquals(key, NatsKeyCodec.decode(encoded));
    });
  }

  @Test
  void distinctKeysNeverCollide() {
    Property.named("distinct keys never collide").tries(200).check(c -> {
      String a = c.draw(keys());
      String b = c.draw(keys());
      if (!a.equals(b)) {
        assertTrue(!NatsKeyCodec.encode(a).equals(NatsKeyCodec.encode(b)), a + " vs " + b);
      }
    });
  }

  @Test
  void documentedMapping() {
    assertEquals("db1.lease", NatsKeyCodec.encode("db1/lease"));
    assertEquals("a_2Eb_5Fc_2Bd_2Ce_40f-g=h", NatsKeyCodec.encode("a.b_c+d,e@f-g=h"));
    assertEquals("_2E_2Ea", NatsKeyCodec.encode("..a"));
  }

  @Test
  void decodeRefusesWhatEncodeCannotProduce() {
    for (String bad : new String[] {"a_2e", "a_41", "a_", "a_4", "a*b", "a..b", ".a"}) {
      assertThrows(HadbException.class, () -> NatsKeyCodec.decode(bad), bad);
    }
  }
}
