package io.hadb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HadbUriTest {

  @Test
  void parsesMultiHostAuthorities() {
    HadbUri u = HadbUri.parse("nats://h1:4222,h2,[::1]:5222?bucket=leases&replicas=3");
    assertEquals("nats", u.scheme());
    assertEquals(List.of(new HadbUri.HostPort("h1", 4222), new HadbUri.HostPort("h2", 4222),
        new HadbUri.HostPort("::1", 5222)), u.hosts(4222));
    assertEquals("leases", u.requireParam("bucket"));
    assertEquals(3, u.intParam("replicas", 1, 1, 5));
  }

  @Test
  void keepsPathsAsWritten() {
    assertEquals("/prefix/", HadbUri.parse("s3://bucket/prefix/?region=x").path());
    assertEquals("bucket", HadbUri.parse("s3://bucket/prefix/").authority());
    assertEquals("/tmp/x", HadbUri.parse("file:///tmp/x").path());
    assertEquals("data/x", HadbUri.parse("file:data/x").path());
    assertEquals("", HadbUri.parse("mem://name").path());
    assertEquals("name", HadbUri.parse("MEM://name").authority());
    assertEquals("mem", HadbUri.parse("MEM://name").scheme());
  }

  @Test
  void decodesParametersAndKeepsPlusSigns() {
    HadbUri u = HadbUri.parse("s3://b?endpoint=http%3A%2F%2F127.0.0.1%3A9000&tag=a+b");
    assertEquals("http://127.0.0.1:9000", u.requireParam("endpoint"));
    assertEquals("a+b", u.requireParam("tag"));
  }

  @Test
  void masksSecretsInToStringAndMessages() {
    HadbUri u = HadbUri.parse("s3://b/p?accessKey=AKIA123&secretKey=s3cr3t&region=eu&token=t0k");
    String shown = u.toString();
    assertFalse(shown.contains("AKIA123") || shown.contains("s3cr3t") || shown.contains("t0k"), shown);
    assertTrue(shown.contains("region=eu"), shown);
    HadbUri withUser = HadbUri.parse("nats://alice:pw@h1:4222?bucket=x");
    assertFalse(withUser.toString().contains("pw"), withUser.toString());
    assertEquals("alice:pw", withUser.userInfo().orElseThrow());
    assertEquals(List.of(new HadbUri.HostPort("h1", 4222)), withUser.hosts(4222));
    HadbException e = assertThrows(HadbException.class,
        () -> u.rejectUnknownParams(Set.of("region")));
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    assertFalse(HadbUri.redact("s3://b?secretKey=zzz&x=1").contains("zzz"));
    assertFalse(HadbUri.redact("nats://u:pw@h").contains("pw"));
  }

  @Test
  void rejectsMalformedUrisWithClearMessages() {
    assertMessage(() -> HadbUri.parse(""), "must not be empty");
    assertMessage(() -> HadbUri.parse("no-scheme-here"), "has no scheme");
    assertMessage(() -> HadbUri.parse("1x://a"), "not valid");
    assertMessage(() -> HadbUri.parse("s3://b?x=1&x=2"), "'x' is given twice");
    assertMessage(() -> HadbUri.parse("s3://b?=1"), "no name");
    assertMessage(() -> HadbUri.parse("s3://b#frag"), "fragment");
    assertMessage(() -> HadbUri.parse("nats://h:99999").hosts(4222), "must be 1-65535");
    assertMessage(() -> HadbUri.parse("nats://h1,,h2").hosts(4222), "empty host");
    assertMessage(() -> HadbUri.parse("etcd://h").hosts(0), "needs a port");
  }

  @Test
  void typedParametersNameTheParameter() {
    HadbUri u = HadbUri.parse("nats://h?replicas=many&ttl=abc&tls=maybe&n=9");
    assertMessage(() -> u.intParam("replicas", 1, 1, 5), "'replicas' must be a whole number");
    assertMessage(() -> u.intParam("n", 1, 1, 5), "'n' must be between 1 and 5, was 9");
    assertMessage(() -> u.durationParam("ttl", Duration.ofSeconds(1)), "'ttl' must be a positive duration");
    assertMessage(() -> u.boolParam("tls", false), "'tls' must be true or false");
    assertMessage(() -> u.requireParam("bucket"), "'bucket' is required");
    assertMessage(() -> u.rejectUnknownParams(Set.of("replicas")), "'ttl' is not known");
  }

  @Test
  void parsesDurations() {
    HadbUri u = HadbUri.parse("x://h?a=250ms&b=5s&c=2m&d=1h&e=1500&f=PT3S&g=0.5s");
    assertEquals(Duration.ofMillis(250), u.durationParam("a", null));
    assertEquals(Duration.ofSeconds(5), u.durationParam("b", null));
    assertEquals(Duration.ofMinutes(2), u.durationParam("c", null));
    assertEquals(Duration.ofHours(1), u.durationParam("d", null));
    assertEquals(Duration.ofMillis(1500), u.durationParam("e", null));
    assertEquals(Duration.ofSeconds(3), u.durationParam("f", null));
    assertEquals(Duration.ofMillis(500), u.durationParam("g", null));
    assertEquals(Duration.ofSeconds(7), u.durationParam("missing", Duration.ofSeconds(7)));
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
    HadbException e = assertThrows(HadbException.class, call);
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
  }
}
