package io.hadb.testservers;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The {@code main} of the S3Proxy child JVM started by {@link S3ProxyServer}: it runs S3Proxy's
 * own {@code org.gaul.s3proxy.Main}, and halts the child as soon as its standard input reaches
 * end-of-file.
 *
 * <p>Why: the test JVM holds the write end of that pipe for the life of the server, and the
 * operating system closes it however the test JVM ends, {@code kill -9} included. A test JVM that
 * dies without running its shutdown hooks therefore cannot leave an S3Proxy behind holding a port.
 * Only JDK classes are used here, so nothing of this module clashes with S3Proxy's class path.
 */
public final class S3ProxyLauncher {
  private S3ProxyLauncher() {}

  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(S3ProxyLauncher::haltWhenParentGone, "hadb-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Method main = Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  private static void haltWhenParentGone() {
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // Nothing is ever sent; reading only waits for end-of-file.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end-of-file: the parent is gone.
    }
    Runtime.getRuntime().halt(0);
  }
}
