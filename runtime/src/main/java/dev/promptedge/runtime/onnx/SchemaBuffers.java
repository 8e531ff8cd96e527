package dev.promptedge.runtime.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.TensorMapT;

/**
 * Conversions between the TFLite schema's object API (whose buffers hold bytes as an {@code int[]}
 * of unsigned values) and Java bytes and floats, plus signature tensor maps. Stateless.
 */
public final class SchemaBuffers {

  private SchemaBuffers() {}

  /** A buffer holding {@code bytes}. */
  public static BufferT buffer(byte[] bytes) {
    int[] unsigned = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      unsigned[i] = bytes[i] & 0xff;
    }
    BufferT buffer = new BufferT();
    buffer.setData(unsigned);
    return buffer;
  }

  /** A buffer holding {@code values} as little-endian float32, as TFLite stores them. */
  public static BufferT buffer(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return buffer(bytes.array());
  }

  /** The bytes of {@code buffer}; empty when it holds none. */
  public static byte[] bytes(BufferT buffer) {
    int[] data = buffer.getData();
    if (data == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      bytes[i] = (byte) data[i];
    }
    return bytes;
  }

  /** The little-endian float32 values of {@code buffer}. */
  public static float[] floats(BufferT buffer) {
    return floats(bytes(buffer));
  }

  /** {@code bytes} read as little-endian float32 values (a flatbuffer's constant data). */
  public static float[] floats(byte[] bytes) {
    float[] values = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /** {@code bytes} read as little-endian int32 values (a flatbuffer's constant data). */
  public static int[] ints(byte[] bytes) {
    int[] values = new int[bytes.length / Integer.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
    return values;
  }

  /** A signature entry naming tensor {@code tensor} {@code name}. */
  public static TensorMapT tensorMap(String name, int tensor) {
    TensorMapT map = new TensorMapT();
    map.setName(name);
    map.setTensorIndex(tensor);
    return map;
  }
}
