package dev.promptedge.runtime.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/** Converts whatever an ImageIO reader returned into {@code TYPE_INT_RGB}, alpha dropped. */
final class IntRgbConversion {

  private IntRgbConversion() {}

  static BufferedImage toIntRgb(BufferedImage src) {
    if (src.getType() == BufferedImage.TYPE_INT_RGB) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    ColorModel cm = src.getColorModel();
    if (isInterleavedSrgb8(src)) {
      copyInterleaved(src.getRaster(), dst, w, h);
    } else if (!(cm instanceof IndexColorModel)
        && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      copyGrey(src.getRaster(), dst, w, h);
    } else {
      // Palette images, other colour spaces (ICC profiles), 16-bit RGB: let the colour model
      // convert to sRGB; getRGB reuses one pixel buffer for the whole call.
      src.getRGB(0, 0, w, h, dst, 0, w);
      for (int i = 0; i < dst.length; i++) {
        dst[i] &= 0xFFFFFF;
      }
    }
    return out;
  }

  /**
   * 8-bit sRGB (optionally with alpha) interleaved bytes in one bank, e.g. 3BYTE_BGR, 4BYTE_ABGR.
   */
  private static boolean isInterleavedSrgb8(BufferedImage src) {
    ColorModel cm = src.getColorModel();
    SampleModel sm = src.getSampleModel();
    if (!(cm instanceof ComponentColorModel)
        || !cm.getColorSpace().isCS_sRGB()
        || !(sm instanceof ComponentSampleModel)
        || !(src.getRaster().getDataBuffer() instanceof DataBufferByte)
        || src.getRaster().getDataBuffer().getNumBanks() != 1
        || cm.getNumColorComponents() != 3) {
      return false;
    }
    for (int b = 0; b < 3; b++) {
      if (cm.getComponentSize(b) != 8) {
        return false;
      }
    }
    return true;
  }

  private static void copyInterleaved(Raster raster, int[] dst, int w, int h) {
    ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
    DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
    byte[] data = buffer.getData();
    int[] bandOffsets = sm.getBandOffsets();
    int pixelStride = sm.getPixelStride();
    int scanline = sm.getScanlineStride();
    int originX = raster.getMinX() - raster.getSampleModelTranslateX();
    int originY = raster.getMinY() - raster.getSampleModelTranslateY();
    int base = buffer.getOffset() + originY * scanline + originX * pixelStride;
    int ro = bandOffsets[0];
    int go = bandOffsets[1];
    int bo = bandOffsets[2];
    for (int y = 0; y < h; y++) {
      int p = base + y * scanline;
      int o = y * w;
      for (int x = 0; x < w; x++, p += pixelStride) {
        dst[o + x] =
            (data[p + ro] & 0xFF) << 16 | (data[p + go] & 0xFF) << 8 | (data[p + bo] & 0xFF);
      }
    }
  }

  /** Grey (with or without alpha) at any bit depth: band 0 scaled to 8 bits, copied to R, G, B. */
  private static void copyGrey(Raster raster, int[] dst, int w, int h) {
    int bits = raster.getSampleModel().getSampleSize(0);
    int max = (1 << bits) - 1;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int v = bits == 8 ? row[x] : (row[x] * 255 + max / 2) / max;
        dst[o + x] = v << 16 | v << 8 | v;
      }
    }
  }
}
