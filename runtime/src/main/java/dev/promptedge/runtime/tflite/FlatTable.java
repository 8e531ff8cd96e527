package dev.promptedge.runtime.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One table of a FlatBuffer, read with every offset checked against the buffer: the root offset,
 * the table's vtable, each field's position inside the table, and each referenced vector, string
 * and sub-table. Any violation is a {@link ModelCheckException} naming the table and the byte
 * offset. Immutable; the buffer is read with absolute gets only.
 */
final class FlatTable {

  /** Longest string accepted (tensor names, signature keys). */
  static final int MAX_STRING = 4096;

  private final ByteBuffer bytes;
  private final int position;
  private final int vtable;
  private final int vtableSize;
  private final int tableSize;
  private final String what;

  private FlatTable(ByteBuffer bytes, int position, String what) {
    this.bytes = bytes;
    this.position = position;
    this.what = what;
    int limit = bytes.limit();
    if (position < 0 || position % 4 != 0 || (long) position + 4 > limit) {
      throw malformed(what + " table at offset " + position + " is outside or misaligned");
    }
    long vt = (long) position - bytes.getInt(position);
    if (vt < 0 || vt % 2 != 0 || vt + 4 > limit) {
      throw malformed(what + " table at offset " + position + " has its vtable out of bounds");
    }
    this.vtable = (int) vt;
    this.vtableSize = Short.toUnsignedInt(bytes.getShort(vtable));
    this.tableSize = Short.toUnsignedInt(bytes.getShort(vtable + 2));
    if (vtableSize < 4 || vtableSize % 2 != 0 || (long) vtable + vtableSize > limit) {
      throw malformed(what + " table at offset " + position + " has a bad vtable size");
    }
    if (tableSize < 4 || (long) position + tableSize > limit) {
      throw malformed(what + " table at offset " + position + " runs past the end of the model");
    }
  }

  /** The root table of {@code model} (read little-endian, from position 0 to its limit). */
  static FlatTable root(ByteBuffer model, String what) {
    ByteBuffer bytes = model.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    bytes.position(0);
    if (bytes.limit() < 8) {
      throw malformed("the model is " + bytes.limit() + " bytes: too short to be a flatbuffer");
    }
    return new FlatTable(bytes, bytes.getInt(0), what);
  }

  /** Whether bytes 4..7 of the buffer hold the four-character file identifier {@code id}. */
  boolean hasIdentifier(String id) {
    for (int i = 0; i < 4; i++) {
      if (bytes.get(4 + i) != id.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Byte offset of this table in the model, for messages. */
  int offset() {
    return position;
  }

  /** Position of field {@code slot} of inline width {@code width}, or -1 when it is absent. */
  private int field(int slot, int width) {
    int entry = 4 + 2 * slot;
    if (entry + 2 > vtableSize) {
      return -1;
    }
    int at = Short.toUnsignedInt(bytes.getShort(vtable + entry));
    if (at == 0) {
      return -1;
    }
    if (at + width > tableSize || (position + at) % width != 0) {
      throw malformed(
          what
              + " table at offset "
              + position
              + ": field "
              + slot
              + " lies outside the table or is misaligned");
    }
    return position + at;
  }

  boolean has(int slot) {
    return field(slot, 1) >= 0;
  }

  int getInt(int slot, int defaultValue) {
    int at = field(slot, 4);
    return at < 0 ? defaultValue : bytes.getInt(at);
  }

  long getUint(int slot) {
    int at = field(slot, 4);
    return at < 0 ? 0 : Integer.toUnsignedLong(bytes.getInt(at));
  }

  byte getByte(int slot, byte defaultValue) {
    int at = field(slot, 1);
    return at < 0 ? defaultValue : bytes.get(at);
  }

  boolean getBool(int slot) {
    return getByte(slot, (byte) 0) != 0;
  }

  float getFloat(int slot, float defaultValue) {
    int at = field(slot, 4);
    return at < 0 ? defaultValue : bytes.getFloat(at);
  }

  /** Position a uoffset field points to, or -1 when the field is absent. */
  private int target(int slot, String name) {
    int at = field(slot, 4);
    if (at < 0) {
      return -1;
    }
    int offset = bytes.getInt(at);
    long to = (long) at + offset;
    // As the FlatBuffers verifier: an offset is positive (never 0, never above 2^31 - 1).
    if (offset <= 0 || to + 4 > bytes.limit()) {
      throw malformed(
          what + " table at offset " + position + ": " + name + " points outside the model");
    }
    return (int) to;
  }

  /** The sub-table in field {@code slot}, or null when absent. */
  FlatTable table(int slot, String name) {
    int to = target(slot, name);
    return to < 0 ? null : new FlatTable(bytes, to, name);
  }

  /** Start and length of a vector of {@code width}-byte elements; null when absent. */
  private int[] vector(int slot, int width, String name) {
    int to = target(slot, name);
    if (to < 0) {
      return null;
    }
    long length = Integer.toUnsignedLong(bytes.getInt(to));
    if (to + 4 + length * width > bytes.limit()) {
      throw malformed(
          what
              + " table at offset "
              + position
              + ": vector "
              + name
              + " of "
              + length
              + " elements runs past the end of the model");
    }
    return new int[] {to + 4, (int) length};
  }

  /** Number of elements of the vector in field {@code slot} (0 when absent). */
  int vectorLength(int slot, int width, String name) {
    int[] v = vector(slot, width, name);
    return v == null ? 0 : v[1];
  }

  /** The int32 vector in field {@code slot}, or an empty array when absent. */
  int[] ints(int slot, String name) {
    int[] v = vector(slot, 4, name);
    int[] out = new int[v == null ? 0 : v[1]];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.getInt(v[0] + 4 * i);
    }
    return out;
  }

  /** The float32 vector in field {@code slot}, or an empty array when absent. */
  float[] floats(int slot, String name) {
    int[] v = vector(slot, 4, name);
    float[] out = new float[v == null ? 0 : v[1]];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.getFloat(v[0] + 4 * i);
    }
    return out;
  }

  /** The int64 vector in field {@code slot}, or an empty array when absent. */
  long[] longs(int slot, String name) {
    int[] v = vector(slot, 8, name);
    long[] out = new long[v == null ? 0 : v[1]];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.getLong(v[0] + 8 * i);
    }
    return out;
  }

  /** A byte vector as a read-only slice of the model (no copy); empty when absent. */
  ByteBuffer bytesOf(int slot, String name) {
    int[] v = vector(slot, 1, name);
    if (v == null) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    return bytes.slice(v[0], v[1]).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The tables of a vector of tables; empty when absent. */
  List<FlatTable> tables(int slot, String name) {
    int[] v = vector(slot, 4, name);
    List<FlatTable> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    for (int i = 0; i < v[1]; i++) {
      int at = v[0] + 4 * i;
      int offset = bytes.getInt(at);
      long to = (long) at + offset;
      if (offset <= 0 || to + 4 > bytes.limit()) {
        throw malformed(name + " " + i + " (offset " + at + ") points outside the model");
      }
      out.add(new FlatTable(bytes, (int) to, name + " " + i));
    }
    return out;
  }

  /**
   * The string in field {@code slot} (null when absent): NUL-terminated as native readers expect,
   * at most {@value #MAX_STRING} bytes, valid UTF-8 without NUL or characters beyond U+FFFF (the
   * JNI layer hands names to Java as modified UTF-8).
   */
  String string(int slot, String name) {
    int[] v = vector(slot, 1, name);
    if (v == null) {
      return null;
    }
    if (v[1] > MAX_STRING || v[0] + v[1] >= bytes.limit() || bytes.get(v[0] + v[1]) != 0) {
      throw malformed(
          what + " table at offset " + position + ": string " + name + " is too long or unended");
    }
    byte[] raw = new byte[v[1]];
    bytes.get(v[0], raw);
    return decode(raw, what + " " + name);
  }

  private static String decode(byte[] raw, String name) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed(name + " is not valid UTF-8");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 || Character.isSurrogate(c)) {
        throw malformed(name + " holds a NUL or a character beyond U+FFFF");
      }
    }
    return text;
  }

  static ModelCheckException malformed(String message) {
    return new ModelCheckException(ModelCheckException.Reason.MALFORMED, message);
  }
}
