package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole HADBJ segment in memory.
 *
 * @param header the header; its entry count must equal {@code entries.size()}
 * @param entries numbered consecutively from {@link JournalHeader#firstEntrySeq()}
 */
public record JournalSegment(JournalHeader header, List<JournalEntry> entries) {

  public JournalSegment {
    HadbException.requireArg(header, "header");
    entries = List.copyOf(HadbException.requireArg(entries, "entries"));
    if (entries.size() != header.entryCount()) {
      throw HadbException.invalidArgument("the header declares " + header.entryCount()
          + " entries but " + entries.size() + " were given");
    }
    for (int i = 0; i < entries.size(); i++) {
      long want = header.firstEntrySeq() + i;
      if (entries.get(i).seq() != want) {
        throw HadbException.invalidArgument("entry " + i + " has seq " + entries.get(i).seq()
            + "; entries are numbered consecutively from " + header.firstEntrySeq());
      }
    }
  }

  public record Decoded(JournalSegment segment, ChainLink link) {}

  public Encoded encode(EncodeOptions options) {
    HadbException.requireArg(options, "options");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChainLink link;
    try (JournalWriter w = JournalWriter.open(out, header, options)) {
      for (JournalEntry e : entries) {
        w.append(e);
      }
      link = w.finish();
    }
    return new Encoded(out.toByteArray(), link);
  }

  public static Decoded decode(byte[] bytes, DecodeOptions options) {
    return decode(null, bytes, options);
  }

  public static Decoded decode(String objectName, byte[] bytes, DecodeOptions options) {
    HadbException.requireArg(bytes, "bytes");
    try (JournalReader r = JournalReader.open(objectName, new ByteArrayInputStream(bytes),
        bytes.length, options)) {
      List<JournalEntry> entries = new ArrayList<>();
      while (r.next()) {
        entries.add(r.entry());
      }
      ChainLink link = r.finish();
      return new Decoded(new JournalSegment(r.header(), entries), link);
    }
  }
}
