package dev.promptedge.runtime.image;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.Normalization;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.Arrays;

/**
 * Turns an image into the backbone's input: letterboxed to the model size with bilinear
 * interpolation (half-pixel centres, edge pixels repeated; no anti-aliasing, so a downscale by k
 * samples rather than averages when k &gt; 2), then normalized per channel as {@code (rgb / 255 -
 * mean[c]) / std[c]}. Padding is 0, the normalized value of the mean. Immutable and thread-safe.
 */
public final class Preprocessor {

  /** Decoded pixels per model pixel that {@link #sampleStep} keeps at least. */
  static final int SAMPLES_PER_PIXEL = 2;

  private final int width;
  private final int height;
  private final float[] mean;
  private final float[] std;

  /**
   * A preprocessor for a model input of {@code width x height} with per-channel (R, G, B) {@code
   * mean} and {@code std} in units of rgb / 255.
   */
  public Preprocessor(int width, int height, float[] mean, float[] std) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "model input size must be positive: " + width + "x" + height);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "normalization needs 3 means and 3 stds (R, G, B), got "
              + mean.length
              + " and "
              + std.length);
    }
    for (int c = 0; c < 3; c++) {
      if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException(
            "normalization needs finite means and stds > 0, got mean "
                + Arrays.toString(mean)
                + ", std "
                + Arrays.toString(std));
      }
    }
    this.width = width;
    this.height = height;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** A preprocessor for the input size and normalization a backbone card declares. */
  public static Preprocessor forCard(BackboneCard card) {
    Normalization n = card.getNormalization();
    float[] mean = new float[n.getMeanCount()];
    float[] std = new float[n.getStdCount()];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = n.getMean(i);
    }
    for (int i = 0; i < std.length; i++) {
      std[i] = n.getStd(i);
    }
    return new Preprocessor(card.getInputWidth(), card.getInputHeight(), mean, std);
  }

  /** Model input width, pixels. */
  public int width() {
    return width;
  }

  /** Model input height, pixels. */
  public int height() {
    return height;
  }

  /** Floats one prepared image occupies: {@code height * width * 3}. */
  public int floatsPerImage() {
    return height * width * 3;
  }

  /**
   * The decode step for a {@code sourceWidth x sourceHeight} image: decoding every step-th pixel
   * ({@link ImageDecoder#decode(byte[], int)}) still leaves at least {@value #SAMPLES_PER_PIXEL}
   * decoded pixels per model pixel, so bilinear sampling of the decoded image stays close to
   * sampling the full one, while the decoded image is at most about {@code 4 x} the model input on
   * each axis whatever the source size. 1 for images up to 4x the model input.
   */
  public int sampleStep(int sourceWidth, int sourceHeight) {
    double perModelPixel = Math.max((double) sourceWidth / width, (double) sourceHeight / height);
    return Math.max(1, (int) Math.floor(perModelPixel / SAMPLES_PER_PIXEL));
  }

  /** Decoded pixels of a {@code sourceWidth x sourceHeight} image at its {@link #sampleStep}. */
  public long sampledPixels(int sourceWidth, int sourceHeight) {
    int step = sampleStep(sourceWidth, sourceHeight);
    return (long) Subsampling.decodedSize(sourceWidth, step)
        * Subsampling.decodedSize(sourceHeight, step);
  }

  /** Letterboxes and normalizes {@code image} into a new array. */
  public PreparedImage prepare(BufferedImage image) {
    float[] pixels = new float[floatsPerImage()];
    Letterbox letterbox = prepareInto(image, pixels, 0);
    return new PreparedImage(pixels, letterbox);
  }

  /**
   * Letterboxes and normalizes {@code image} into {@code dst[offset .. offset + floatsPerImage())},
   * e.g. one slot of a batch buffer, and returns the letterbox used.
   */
  public Letterbox prepareInto(BufferedImage image, float[] dst, int offset) {
    return prepareInto(image, image.getWidth(), image.getHeight(), dst, offset);
  }

  /**
   * Like {@link #prepareInto(BufferedImage, float[], int)} for an image that is either the whole
   * {@code sourceWidth x sourceHeight} source or that source decoded at its {@link #sampleStep};
   * the letterbox (and so every result) is in source coordinates either way.
   *
   * @throws IllegalArgumentException when {@code image} is neither of the two sizes
   */
  public Letterbox prepareInto(
      BufferedImage image, int sourceWidth, int sourceHeight, float[] dst, int offset) {
    if (offset < 0 || (long) offset + floatsPerImage() > dst.length) {
      throw new IllegalArgumentException(
          "destination too small: "
              + dst.length
              + " floats, need "
              + floatsPerImage()
              + " from offset "
              + offset);
    }
    int srcW = sourceWidth;
    int srcH = sourceHeight;
    int step = 1;
    if (image.getWidth() != srcW || image.getHeight() != srcH) {
      step = sampleStep(srcW, srcH);
      if (step == 1
          || image.getWidth() != Subsampling.decodedSize(srcW, step)
          || image.getHeight() != Subsampling.decodedSize(srcH, step)) {
        throw new IllegalArgumentException(
            "a "
                + image.getWidth()
                + "x"
                + image.getHeight()
                + " image is neither the "
                + srcW
                + "x"
                + srcH
                + " source nor that source decoded at step "
                + step);
      }
    }
    Letterbox lb = Letterbox.fit(srcW, srcH, width, height);
    Axis xs = Axis.of(width, lb.padX(), lb.contentWidth(), lb.scale(), srcW, step);
    Axis ys = Axis.of(height, lb.padY(), lb.contentHeight(), lb.scale(), srcH, step);
    Source src = Source.of(image);
    int[] px = src.pixels;
    float m0 = mean[0];
    float m1 = mean[1];
    float m2 = mean[2];
    float s0 = std[0];
    float s1 = std[1];
    float s2 = std[2];
    int o = offset;
    for (int oy = 0; oy < height; oy++) {
      if (!ys.inside[oy]) {
        Arrays.fill(dst, o, o + width * 3, 0f);
        o += width * 3;
        continue;
      }
      int row0 = src.offset + ys.i0[oy] * src.stride;
      int row1 = src.offset + ys.i1[oy] * src.stride;
      float fy = ys.f[oy];
      for (int ox = 0; ox < width; ox++, o += 3) {
        if (!xs.inside[ox]) {
          dst[o] = 0f;
          dst[o + 1] = 0f;
          dst[o + 2] = 0f;
          continue;
        }
        int x0 = xs.i0[ox];
        int x1 = xs.i1[ox];
        float fx = xs.f[ox];
        int p00 = px[row0 + x0];
        int p01 = px[row0 + x1];
        int p10 = px[row1 + x0];
        int p11 = px[row1 + x1];
        float r =
            lerp2(p00 >> 16 & 0xFF, p01 >> 16 & 0xFF, p10 >> 16 & 0xFF, p11 >> 16 & 0xFF, fx, fy);
        float g = lerp2(p00 >> 8 & 0xFF, p01 >> 8 & 0xFF, p10 >> 8 & 0xFF, p11 >> 8 & 0xFF, fx, fy);
        float b = lerp2(p00 & 0xFF, p01 & 0xFF, p10 & 0xFF, p11 & 0xFF, fx, fy);
        dst[o] = (r / 255f - m0) / s0;
        dst[o + 1] = (g / 255f - m1) / s1;
        dst[o + 2] = (b / 255f - m2) / s2;
      }
    }
    return lb;
  }

  /** Bilinear blend of four samples; exact when {@code fx} and {@code fy} are 0. */
  private static float lerp2(int v00, int v01, int v10, int v11, float fx, float fy) {
    float top = v00 + fx * (v01 - v00);
    float bottom = v10 + fx * (v11 - v10);
    return top + fy * (bottom - top);
  }

  /** Per output column (or row): inside the content?, the two source indices and the weight. */
  private record Axis(boolean[] inside, int[] i0, int[] i1, float[] f) {
    static Axis of(int n, double pad, double content, double scale, int srcN, int step) {
      int offset = Subsampling.offset(srcN, step);
      int decodedN = Subsampling.decodedSize(srcN, step);
      boolean[] inside = new boolean[n];
      int[] i0 = new int[n];
      int[] i1 = new int[n];
      float[] f = new float[n];
      for (int o = 0; o < n; o++) {
        double u = o + 0.5 - pad;
        if (u < 0 || u >= content) {
          continue;
        }
        inside[o] = true;
        double s = Math.min(Math.max(u / scale - 0.5, 0), srcN - 1);
        if (step > 1) {
          // Source pixel j * step + offset is decoded pixel j.
          s = Math.min(Math.max((s - offset) / step, 0), decodedN - 1);
        }
        int a = (int) s;
        i0[o] = a;
        i1[o] = Math.min(a + 1, decodedN - 1);
        f[o] = (float) (s - a);
      }
      return new Axis(inside, i0, i1, f);
    }
  }

  /** The image's packed 0xRRGGBB pixels, read in place when the image already stores them so. */
  private record Source(int[] pixels, int offset, int stride) {
    static Source of(BufferedImage image) {
      int type = image.getType();
      Raster raster = image.getRaster();
      if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
          && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
          && raster.getDataBuffer() instanceof DataBufferInt buffer
          && buffer.getNumBanks() == 1) {
        int x = raster.getMinX() - raster.getSampleModelTranslateX();
        int y = raster.getMinY() - raster.getSampleModelTranslateY();
        int stride = sm.getScanlineStride();
        return new Source(buffer.getData(), buffer.getOffset() + y * stride + x, stride);
      }
      int w = image.getWidth();
      return new Source(image.getRGB(0, 0, w, image.getHeight(), null, 0, w), 0, w);
    }
  }
}
