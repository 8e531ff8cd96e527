package dev.promptedge.runtime.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.promptedge.runtime.fuzz.Mutator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of {@link ImageDecoder#decode}: whatever the bytes, it returns an image or throws an
 * {@link ImageDecodeException}. Jazzer runs {@link #decode} over the checked-in inputs under {@code
 * mvn test} and fuzzes it with {@code JAZZER_FUZZ=1}; the seeded mutation loops run without it.
 */
class ImageDecoderFuzzTest {

  /** A pixel cap that keeps a fuzzed header from asking for gigabytes. */
  private static final ImageDecoder DECODER = new ImageDecoder(1 << 20);

  @FuzzTest(maxDuration = "10s")
  void decode(byte[] data) {
    try {
      DECODER.decode(data);
    } catch (ImageDecodeException expected) {
      // The documented refusal.
    }
  }

  static List<byte[]> seeds() {
    return List.of(encode("png", 12, 9), encode("jpg", 16, 8), encode("png", 1, 1));
  }

  static byte[] encode(String format, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, (x * 37 + y * 101) * 0x010203);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void mutantsOfValidImagesOnlyThrowImageDecodeException() {
    Mutator.run(seeds(), 1, 2_000, ImageDecodeException.class, DECODER::decode);
  }

  @Test
  @Tag("slow")
  void manyMutantsOfValidImagesOnlyThrowImageDecodeException() {
    Mutator.run(seeds(), 2, 200_000, ImageDecodeException.class, DECODER::decode);
  }
}
