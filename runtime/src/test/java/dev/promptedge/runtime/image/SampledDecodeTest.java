package dev.promptedge.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Decoding a large image at the preprocessor's sample step, against decoding every pixel. */
class SampledDecodeTest {

  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  private final Preprocessor pre = new Preprocessor(64, 64, MEAN, STD);
  private final ImageDecoder decoder = new ImageDecoder();

  @Test
  void sampledPngPreparesWithinTwoLevelsOfTheFullDecode() throws IOException {
    BufferedImage scene = scene(2000, 1500);
    assertSampledMatchesFull(encode(scene, "png"), 2000, 1500, 2.5f, 0.5);
  }

  @Test
  void sampledJpegPreparesWithinItsBlockNoiseOfTheFullDecode() throws IOException {
    // Both paths sample single pixels (the full one does not average either), so where JPEG's
    // block noise is, they differ by about that noise; on average they agree.
    BufferedImage scene = scene(1700, 2300);
    assertSampledMatchesFull(encode(scene, "jpg"), 1700, 2300, 8f, 1.0);
  }

  @Test
  void stepKeepsTwoDecodedPixelsPerModelPixelAndIsOneUpToFourTimesTheInput() {
    assertEquals(1, pre.sampleStep(64, 64));
    assertEquals(1, pre.sampleStep(255, 100));
    assertEquals(2, pre.sampleStep(256, 100));
    assertEquals(39, pre.sampleStep(5000, 5000));
    // (5000 - 19) / 39 rounded up -> 128 decoded pixels per axis instead of 5000.
    assertEquals(128L * 128L, pre.sampledPixels(5000, 5000));
  }

  @Test
  void hugeImageDecodesAtAboutFourTimesTheModelInput() throws IOException {
    byte[] png = encode(scene(5000, 5000), "png");
    ImageHeader header = decoder.header(png);
    assertEquals(5000, header.width());
    BufferedImage sampled = decoder.decode(png, pre.sampleStep(5000, 5000));
    assertEquals(128, sampled.getWidth());
    assertEquals(128, sampled.getHeight());
    Letterbox lb = pre.prepareInto(sampled, 5000, 5000, new float[pre.floatsPerImage()], 0);
    assertEquals(5000, lb.srcWidth(), "results stay in source coordinates");
  }

  @Test
  void aOnePixelHighStripDecodesOneRow() throws IOException {
    byte[] png = encode(scene(20000, 1), "png");
    int step = pre.sampleStep(20000, 1);
    BufferedImage sampled = decoder.decode(png, step);
    assertEquals(1, sampled.getHeight());
    assertTrue(sampled.getWidth() <= 4 * 64 + 1, "width " + sampled.getWidth());
    pre.prepareInto(sampled, 20000, 1, new float[pre.floatsPerImage()], 0);
  }

  @Test
  void anImageOfNeitherSizeIsRefused() {
    BufferedImage wrong = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pre.prepareInto(wrong, 5000, 5000, new float[pre.floatsPerImage()], 0));
    assertTrue(e.getMessage().contains("step 39"), e.getMessage());
  }

  private void assertSampledMatchesFull(
      byte[] bytes, int w, int h, float maxLevels, double maxMean) {
    float[] full = pre.prepare(decoder.decode(bytes)).pixels();
    int step = pre.sampleStep(w, h);
    assertTrue(step > 1, "step " + step);
    BufferedImage sampled = decoder.decode(bytes, step);
    float[] out = new float[pre.floatsPerImage()];
    pre.prepareInto(sampled, w, h, out, 0);
    float worst = 0;
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      // Back to 0-255 levels of the channel.
      float levels = Math.abs(out[i] - full[i]) * STD[i % 3] * 255f;
      worst = Math.max(worst, levels);
      sum += levels;
    }
    double mean = sum / out.length;
    assertTrue(worst <= maxLevels, "worst difference " + worst + " levels of 255");
    assertTrue(mean <= maxMean, "mean difference " + mean + " levels of 255");
  }

  /** Smooth content: gradients and a few periods of low-frequency waves, like a photo's scale. */
  private static BufferedImage scene(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = (double) x / w;
        double v = (double) y / h;
        int r = (int) (127 + 120 * Math.sin(6.28 * 3 * u) * Math.cos(6.28 * 2 * v));
        int g = (int) (255 * u * v);
        int b = (int) (127 + 120 * Math.sin(6.28 * (2 * u + 3 * v)));
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return img;
  }

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out));
    return out.toByteArray();
  }
}
