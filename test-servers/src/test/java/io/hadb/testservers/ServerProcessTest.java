package io.hadb.testservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerProcessTest {

  @Test
  void missingBinaryFailsNamingTheDebianPackage() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ServerProcess.findBinary("no-such-server-binary-hadb", "hadb-made-up-package"));
    assertTrue(e.getMessage().contains("apt-get install hadb-made-up-package"), e.getMessage());
    assertTrue(e.getMessage().contains("no-such-server-binary-hadb"), e.getMessage());
  }

  @Test
  void installedServersAreFound() {
    assertTrue(ServerProcess.findBinary("nats-server", NatsServer.DEBIAN_PACKAGE).toFile().canExecute());
    assertTrue(ServerProcess.findBinary("etcd", EtcdServer.DEBIAN_PACKAGE).toFile().canExecute());
  }

  @Test
  void freePortsAreNeverHandedOutTwice() {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ports.add(ServerProcess.freePort());
    }
    assertEquals(50, ports.size());
  }
}
