package io.hadb.lease.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdLeaseConfigTest {

  static EtcdLeaseConfig parse(String uri) {
    return EtcdLeaseConfig.from(HadbUri.parse(uri));
  }

  static String rejected(String uri) {
    HadbException e = assertThrows(HadbException.class, () -> parse(uri));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    return e.getMessage();
  }

  @Test
  void defaults() {
    EtcdLeaseConfig c = parse("etcd://127.0.0.1");
    assertEquals("hadb/", c.prefix());
    assertEquals(2379, c.endpoints().get(0).port());
    assertEquals("http://127.0.0.1:2379", c.endpointUrls()[0]);
    assertEquals(Duration.ofSeconds(2), c.requestTimeout());
    assertEquals(c.requestTimeout(), c.resolveTimeout());
    assertEquals(Duration.ofSeconds(5), c.connectTimeout());
    assertFalse(c.tls());
  }

  @Test
  void severalEndpointsPrefixTimeouts() {
    EtcdLeaseConfig c = parse("etcd://h1:1,h2:2?prefix=apps/x/&requestTimeout=300ms&resolveTimeout=1s"
        + "&connectTimeout=2s&tls=true");
    assertEquals("apps/x/", c.prefix());
    assertEquals("https://h2:2", c.endpointUrls()[1]);
    assertEquals(Duration.ofMillis(300), c.requestTimeout());
    assertEquals(Duration.ofSeconds(1), c.resolveTimeout());
    assertEquals(Duration.ofSeconds(2), c.connectTimeout());
    assertEquals("", parse("etcd://h?prefix=").prefix());
  }

  @Test
  void userPasswordAreNeverPrinted() {
    EtcdLeaseConfig c = parse("etcd://root:s3cret@h:2379?prefix=p/");
    assertEquals(Optional.of("root"), c.user());
    assertEquals(Optional.of("s3cret"), c.password());
    assertFalse(c.toString().contains("s3cret"), c.toString());
  }

  @Test
  void badUrisNameTheProblem() {
    assertTrue(rejected("etcd://h?prefx=a").contains("'prefx'"));
    assertTrue(rejected("etcd://h/some/path").contains("no path"));
    assertTrue(rejected("etcd://?prefix=a").contains("at least one host"));
    assertTrue(rejected("etcd://onlyuser@h").contains("user:password"));
    assertTrue(rejected("etcd://h?requestTimeout=-1s").contains("'requestTimeout'"));
    assertTrue(rejected("etcd://h?tlsCa=/no/such.pem").contains("'tlsCa'"));
    assertTrue(rejected("etcd://h?prefix=%0A").contains("'prefix'"));
    String m = rejected("etcd://u:topsecret@h?bogus=1");
    assertFalse(m.contains("topsecret"), m);
  }
}
