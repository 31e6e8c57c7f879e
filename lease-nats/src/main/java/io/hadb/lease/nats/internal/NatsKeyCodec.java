package io.hadb.lease.nats.internal;

import io.hadb.api.HadbException;
import io.hadb.api.Keys;

/**
 * Maps hadb keys ({@link Keys}) to NATS KV keys and back, reversibly.
 *
 * <p>NATS KV keys are subject tokens: {@code [-/_=.A-Za-z0-9]}, with {@code .} separating tokens
 * (no empty token, no leading or trailing dot). hadb keys also allow {@code + , @} and use
 * {@code .} inside segments, so:
 *
 * <ul>
 *   <li>each {@code /} becomes {@code .} (segments become subject tokens, so NATS tools and
 *       wildcard watches see the hierarchy: {@code db1/lease} is {@code db1.lease});
 *   <li>{@code . _ + , @} inside a segment become {@code _} followed by two upper-case hex digits
 *       ({@code .}=_2E, {@code _}=_5F, {@code +}=_2B, {@code ,}=_2C, {@code @}=_40);
 *   <li>{@code A-Z a-z 0-9 - =} stay as they are.
 * </ul>
 *
 * <p>Because {@code _} always starts an escape and {@code .} only ever stands for {@code /}, the
 * mapping is injective and {@link #decode} inverts it. A key of at most {@value Keys#MAX_KEY_LENGTH}
 * characters encodes to at most three times that, which stays under the server's default 4 KiB
 * control-line limit together with the {@code $KV.<bucket>.} prefix.
 */
public final class NatsKeyCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private NatsKeyCodec() {}

  /** Encodes a key that {@link Keys#validate} accepts. */
  public static String encode(String key) {
    Keys.validate(key);
    StringBuilder b = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '/') {
        b.append('.');
      } else if (plain(c)) {
        b.append(c);
      } else {
        b.append('_').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return b.toString();
  }

  /** Inverse of {@link #encode}; rejects strings {@code encode} cannot produce. */
  public static String decode(String natsKey) {
    StringBuilder b = new StringBuilder(natsKey.length());
    for (int i = 0; i < natsKey.length(); i++) {
      char c = natsKey.charAt(i);
      if (c == '.') {
        b.append('/');
      } else if (c == '_') {
        if (i + 2 >= natsKey.length()) {
          throw bad(natsKey);
        }
        int hi = upperHex(natsKey.charAt(i + 1));
        int lo = upperHex(natsKey.charAt(i + 2));
        char d = (char) (hi * 16 + lo);
        if (hi < 0 || lo < 0 || "._+,@".indexOf(d) < 0) {
          throw bad(natsKey);
        }
        b.append(d);
        i += 2;
      } else if (plain(c)) {
        b.append(c);
      } else {
        throw bad(natsKey);
      }
    }
    return Keys.validate(b.toString());
  }

  private static int upperHex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private static boolean plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '=';
  }

  private static HadbException bad(String natsKey) {
    return HadbException.invalidArgument("not an encoded hadb key: \"" + natsKey + "\"");
  }
}
