package io.hadb.lease.nats;

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

class NatsLeaseConfigTest {

  static NatsLeaseConfig parse(String uri) {
    return NatsLeaseConfig.from(HadbUri.parse(uri));
  }

  static String rejected(String uri) {
    HadbException e = assertThrows(HadbException.class, () -> parse(uri));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    return e.getMessage();
  }

  @Test
  void defaults() {
    NatsLeaseConfig c = parse("nats://127.0.0.1?bucket=leases");
    assertEquals("leases", c.bucket());
    assertEquals(4222, c.servers().get(0).port());
    assertEquals(Duration.ofSeconds(2), c.requestTimeout());
    assertEquals(c.requestTimeout(), c.resolveTimeout());
    assertEquals(Duration.ofSeconds(5), c.connectTimeout());
    assertEquals(1, c.replicas());
    assertFalse(c.tls());
    assertEquals(Optional.empty(), c.user());
  }

  @Test
  void severalServersTimeoutsReplicas() {
    NatsLeaseConfig c = parse("nats://h1:4001,h2:4002?bucket=b&requestTimeout=250ms"
        + "&resolveTimeout=3s&connectTimeout=1s&replicas=3");
    assertEquals(2, c.servers().size());
    assertEquals("nats://h2:4002", c.serverUrls()[1]);
    assertEquals(Duration.ofMillis(250), c.requestTimeout());
    assertEquals(Duration.ofSeconds(3), c.resolveTimeout());
    assertEquals(Duration.ofSeconds(1), c.connectTimeout());
    assertEquals(3, c.replicas());
  }

  @Test
  void userInfoIsUserPasswordOrTokenAndNeverPrinted() {
    NatsLeaseConfig c = parse("nats://alice:s3cret@h:4222?bucket=b");
    assertEquals(Optional.of("alice"), c.user());
    assertEquals(Optional.of("s3cret"), c.password());
    assertFalse(c.toString().contains("s3cret"), c.toString());
    assertFalse(c.toString().contains("alice"), c.toString());

    NatsLeaseConfig t = parse("nats://tok123@h?bucket=b");
    assertEquals(Optional.of("tok123"), t.token());
    NatsLeaseConfig t2 = parse("nats://h?bucket=b&token=tok456");
    assertEquals(Optional.of("tok456"), t2.token());
    assertFalse(t2.toString().contains("tok456"), t2.toString());
  }

  @Test
  void badUrisNameTheProblem() {
    assertTrue(rejected("nats://h:4222").contains("'bucket' is required"));
    assertTrue(rejected("nats://h?bucket=b&bukket=c").contains("'bukket'"));
    assertTrue(rejected("nats://h?bucket=a.b").contains("'bucket'"));
    assertTrue(rejected("nats://h/path?bucket=b").contains("no path"));
    assertTrue(rejected("nats://?bucket=b").contains("at least one host"));
    assertTrue(rejected("nats://h?bucket=b&requestTimeout=soon").contains("'requestTimeout'"));
    assertTrue(rejected("nats://h?bucket=b&replicas=7").contains("'replicas'"));
    assertTrue(rejected("nats://h?bucket=b&creds=/no/such/file.creds").contains("'creds'"));
    assertTrue(rejected("nats://h?bucket=b&tlsCa=/no/such/ca.pem").contains("'tlsCa'"));
    assertTrue(rejected("nats://tok@h?bucket=b&token=other").contains("token twice"));
    String secret = rejected("nats://u:pw@h?bucket=b&token=zzz-secret");
    assertFalse(secret.contains("zzz-secret"), secret);
    assertFalse(secret.contains(":pw@"), secret);
  }
}
