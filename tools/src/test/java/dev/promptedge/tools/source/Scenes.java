package dev.promptedge.tools.source;

import dev.promptedge.tools.pack.SelfTestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** JPEG frames of generated scenes (shapes on a background), as a camera would send them. */
final class Scenes {
  private Scenes() {}

  static byte[] jpeg(int width, int height, long seed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(SelfTestImages.synthetic(width, height, seed), "jpeg", out)) {
        throw new IllegalStateException("no JPEG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[][] frames(int count, int width, int height) {
    byte[][] frames = new byte[count][];
    for (int i = 0; i < count; i++) {
      frames[i] = jpeg(width, height, i + 1);
    }
    return frames;
  }
}
