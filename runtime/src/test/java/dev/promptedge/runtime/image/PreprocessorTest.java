package dev.promptedge.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.Normalization;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  @Test
  void identitySizeEqualsPlainNormalizationExactly() {
    BufferedImage img = random(6, 4, 1);
    float[] out = new Preprocessor(6, 4, MEAN, STD).prepare(img).pixels();
    float[] expected = new float[6 * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        int rgb = img.getRGB(x, y);
        int i = (y * 6 + x) * 3;
        expected[i] = ((rgb >> 16 & 0xFF) / 255f - MEAN[0]) / STD[0];
        expected[i + 1] = ((rgb >> 8 & 0xFF) / 255f - MEAN[1]) / STD[1];
        expected[i + 2] = ((rgb & 0xFF) / 255f - MEAN[2]) / STD[2];
      }
    }
    assertArrayEquals(expected, out); // bit-exact: assertArrayEquals(float[]) has no tolerance
  }

  @Test
  void downscaleByTwoOfAConstantImageIsThatConstant() {
    BufferedImage img = filled(8, 8, 100 << 16 | 150 << 8 | 200);
    float[] out = new Preprocessor(4, 4, MEAN, STD).prepare(img).pixels();
    for (int i = 0; i < out.length; i += 3) {
      assertEquals((100 / 255f - MEAN[0]) / STD[0], out[i]);
      assertEquals((150 / 255f - MEAN[1]) / STD[1], out[i + 1]);
      assertEquals((200 / 255f - MEAN[2]) / STD[2], out[i + 2]);
    }
  }

  @Test
  void downscaleByTwoOfAGradientAveragesEachTwoByTwoBlock() {
    // 4x4 image, R = 10x, G = 10y, B = 10x + 40y. Output pixel (ox, oy) has its centre at source
    // coordinate (2ox + 0.5, 2oy + 0.5): halfway between source pixels 2ox and 2ox + 1, i.e. the
    // mean of a 2x2 block. (0,0): R = 5, G = 5, B = 5 + 20 = 25. (1,0): R = 25, G = 5, B = 45.
    // (0,1): R = 5, G = 25, B = 105. (1,1): R = 25, G = 25, B = 125.
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        img.setRGB(x, y, (10 * x) << 16 | (10 * y) << 8 | (10 * x + 40 * y));
      }
    }
    float[] mean = {0.5f, 0.5f, 0.5f};
    float[] std = {0.25f, 0.25f, 0.25f};
    float[] out = new Preprocessor(2, 2, mean, std).prepare(img).pixels();
    float[] expectedRgb = {5, 5, 25, 25, 5, 45, 5, 25, 105, 25, 25, 125};
    float[] expected = new float[12];
    for (int i = 0; i < 12; i++) {
      expected[i] = (expectedRgb[i] / 255f - 0.5f) / 0.25f;
    }
    assertArrayEquals(expected, out);
  }

  @Test
  void upscaleInterpolatesWithHalfPixelCentres() {
    // 2x1 image R = {0, 200} to 4x2 (scale 2). Output column ox samples source x = (ox + 0.5) / 2
    // - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1): R = 0, 50, 150, 200.
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0);
    img.setRGB(1, 0, 200 << 16);
    float[] out = new Preprocessor(4, 2, new float[3], new float[] {1, 1, 1}).prepare(img).pixels();
    float[] expectedR = {0, 50 / 255f, 150 / 255f, 200 / 255f};
    for (int row = 0; row < 2; row++) {
      for (int ox = 0; ox < 4; ox++) {
        assertEquals(expectedR[ox], out[(row * 4 + ox) * 3], 1e-7f, "row " + row + " col " + ox);
        assertEquals(0f, out[(row * 4 + ox) * 3 + 1]);
      }
    }
  }

  @Test
  void letterboxPadsWithZeroAndKeepsTheContentExact() {
    // 4x2 into 4x4: scale 1, padY = 1. Rows 0 and 3 are padding (0 = the normalized mean); rows 1
    // and 2 sample source rows 0 and 1 at integer coordinates, so they equal plain normalization.
    BufferedImage img = random(4, 2, 2);
    PreparedImage prepared = new Preprocessor(4, 4, MEAN, STD).prepare(img);
    assertEquals(Letterbox.fit(4, 2, 4, 4), prepared.letterbox());
    float[] out = prepared.pixels();
    for (int x = 0; x < 12; x++) {
      assertEquals(0f, out[x]);
      assertEquals(0f, out[3 * 12 + x]);
    }
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 4; x++) {
        int rgb = img.getRGB(x, y);
        int i = ((y + 1) * 4 + x) * 3;
        assertEquals(((rgb >> 16 & 0xFF) / 255f - MEAN[0]) / STD[0], out[i]);
        assertEquals(((rgb >> 8 & 0xFF) / 255f - MEAN[1]) / STD[1], out[i + 1]);
        assertEquals(((rgb & 0xFF) / 255f - MEAN[2]) / STD[2], out[i + 2]);
      }
    }
  }

  @Test
  void portraitLetterboxPadsLeftAndRight() {
    // 2x8 into 4x4: scale 0.5, content 1x4, padX = 1.5. Column centres 0.5, 3.5 are outside
    // [1.5, 2.5); 1.5 and 2.5 fall on its edges: 1.5 is inside, 2.5 is not.
    BufferedImage img = filled(2, 8, 0x808080);
    float[] out = new Preprocessor(4, 4, MEAN, STD).prepare(img).pixels();
    for (int y = 0; y < 4; y++) {
      assertEquals(0f, out[(y * 4) * 3]);
      assertEquals((128 / 255f - MEAN[0]) / STD[0], out[(y * 4 + 1) * 3]);
      assertEquals(0f, out[(y * 4 + 2) * 3]);
      assertEquals(0f, out[(y * 4 + 3) * 3]);
    }
  }

  @Test
  void prepareIntoWritesOneBatchSlotOnly() {
    Preprocessor pre = new Preprocessor(5, 3, MEAN, STD);
    BufferedImage a = random(9, 7, 3);
    BufferedImage b = random(4, 11, 4);
    float[] batch = new float[2 * pre.floatsPerImage() + 2];
    Arrays.fill(batch, Float.NaN);
    pre.prepareInto(a, batch, 1);
    Letterbox lb = pre.prepareInto(b, batch, 1 + pre.floatsPerImage());
    assertEquals(Letterbox.fit(4, 11, 5, 3), lb);
    assertEquals(Float.NaN, batch[0]);
    assertEquals(Float.NaN, batch[batch.length - 1]);
    assertArrayEquals(pre.prepare(a).pixels(), Arrays.copyOfRange(batch, 1, 1 + 45));
    assertArrayEquals(pre.prepare(b).pixels(), Arrays.copyOfRange(batch, 46, 91));
    assertThrows(IllegalArgumentException.class, () -> pre.prepareInto(a, batch, 48));
  }

  @Test
  void otherImageLayoutsGiveTheSameResult() {
    BufferedImage rgb = random(13, 9, 5);
    BufferedImage bgr = new BufferedImage(13, 9, BufferedImage.TYPE_3BYTE_BGR);
    bgr.getGraphics().drawImage(rgb, 0, 0, null);
    Preprocessor pre = new Preprocessor(8, 8, MEAN, STD);
    assertArrayEquals(pre.prepare(rgb).pixels(), pre.prepare(bgr).pixels());
    // A sub-image shares the parent's buffer with an offset and a wider stride.
    BufferedImage big = random(20, 20, 6);
    BufferedImage sub = big.getSubimage(3, 5, 13, 9);
    BufferedImage copy = new BufferedImage(13, 9, BufferedImage.TYPE_INT_RGB);
    copy.getGraphics().drawImage(sub, 0, 0, null);
    assertArrayEquals(pre.prepare(copy).pixels(), pre.prepare(sub).pixels());
  }

  @Test
  void forCardTakesSizeAndNormalizationFromTheCard() {
    BackboneCard card =
        BackboneCard.newBuilder()
            .setInputWidth(6)
            .setInputHeight(4)
            .setNormalization(
                Normalization.newBuilder()
                    .addMean(0.5f)
                    .addMean(0.5f)
                    .addMean(0.5f)
                    .addStd(0.5f)
                    .addStd(0.5f)
                    .addStd(0.5f))
            .build();
    Preprocessor pre = Preprocessor.forCard(card);
    assertEquals(6, pre.width());
    assertEquals(4, pre.height());
    float[] out = pre.prepare(filled(6, 4, 0xFFFFFF)).pixels();
    assertEquals((1f - 0.5f) / 0.5f, out[0]);
    assertThrows(
        IllegalArgumentException.class,
        () -> Preprocessor.forCard(card.toBuilder().clearNormalization().build()));
  }

  @Test
  void badNormalizationIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Preprocessor(4, 4, new float[2], STD));
    assertThrows(
        IllegalArgumentException.class, () -> new Preprocessor(4, 4, MEAN, new float[] {1, 0, 1}));
  }

  private static BufferedImage filled(int w, int h, int rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  private static BufferedImage random(int w, int h, long seed) {
    Random random = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return img;
  }
}
