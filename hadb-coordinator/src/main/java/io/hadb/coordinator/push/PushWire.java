package io.hadb.coordinator.push;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The messages of a push link (DESIGN §9.2), one per link message: a type byte, then its fields.
 * Every message but a heartbeat names its database. A follower sends SUBSCRIBE, UNSUBSCRIBE and
 * HEARTBEAT; a leader sends the others.
 */
final class PushWire {
  static final byte SUBSCRIBE = 1;
  static final byte UNSUBSCRIBE = 2;
  static final byte HEARTBEAT = 3;
  /** The subscription holds: every changeset durable from now on is pushed. */
  static final byte ACCEPTED = 4;
  /** The node does not lead (or host) the database: read storage. */
  static final byte REFUSED = 5;
  /** The node stopped leading the database: the subscription is over. */
  static final byte ENDED = 6;
  /** A changeset durable in storage: seq, key, bytes. */
  static final byte CHANGESET = 7;
  /** A changeset too large for a message is durable at seq: read storage for it. */
  static final byte DURABLE_NOTICE = 8;

  private PushWire() {}

  /** One decoded message; fields a type does not carry are 0, "" or null. */
  record Message(byte type, String database, long seq, String key, byte[] body, String reason) {}

  static final byte[] HEARTBEAT_MESSAGE = {HEARTBEAT};

  static byte[] subscribe(String db) {
    return named(SUBSCRIBE, db);
  }

  static byte[] unsubscribe(String db) {
    return named(UNSUBSCRIBE, db);
  }

  static byte[] accepted(String db) {
    return named(ACCEPTED, db);
  }

  static byte[] ended(String db) {
    return named(ENDED, db);
  }

  static byte[] refused(String db, String reason) {
    return write(o -> {
      o.writeByte(REFUSED);
      o.writeUTF(db);
      o.writeUTF(reason);
    });
  }

  static byte[] changeset(String db, long seq, String key, byte[] body) {
    return write(o -> {
      o.writeByte(CHANGESET);
      o.writeUTF(db);
      o.writeLong(seq);
      o.writeUTF(key);
      o.writeInt(body.length);
      o.write(body);
    });
  }

  static byte[] durableNotice(String db, long seq) {
    return write(o -> {
      o.writeByte(DURABLE_NOTICE);
      o.writeUTF(db);
      o.writeLong(seq);
    });
  }

  private static byte[] named(byte type, String db) {
    return write(o -> {
      o.writeByte(type);
      o.writeUTF(db);
    });
  }

  /**
   * Decodes one message.
   *
   * @throws IOException naming what is wrong, for a message that is not one of these (the
   *     link is then closed: its peer speaks something else)
   */
  static Message decode(byte[] m) throws IOException {
    if (m.length == 0) {
      throw new IOException("an empty message");
    }
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(m));
    byte type = in.readByte();
    Message r = switch (type) {
      case HEARTBEAT -> new Message(type, "", 0, "", null, "");
      case SUBSCRIBE, UNSUBSCRIBE, ACCEPTED, ENDED -> new Message(type, in.readUTF(), 0, "", null, "");
      case REFUSED -> new Message(type, in.readUTF(), 0, "", null, in.readUTF());
      case DURABLE_NOTICE -> new Message(type, in.readUTF(), in.readLong(), "", null, "");
      case CHANGESET -> {
        String db = in.readUTF();
        long seq = in.readLong();
        String key = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n != in.available()) {
          throw new IOException("a changeset message whose body length " + n + " does not match its "
              + in.available() + " remaining bytes");
        }
        yield new Message(type, db, seq, key, in.readNBytes(n), "");
      }
      default -> throw new IOException("unknown message type " + type);
    };
    if (in.available() != 0) {
      throw new IOException(in.available() + " bytes after a message of type " + type);
    }
    return r;
  }

  private interface Writer {
    void write(DataOutputStream o) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream o = new DataOutputStream(b)) {
      w.write(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return b.toByteArray();
  }
}
