package dev.promptedge.tools.data;

/**
 * The pixels of one object instance, as COCO stores them: polygons ({@link PolygonMask}) or a
 * run-length encoding ({@link Rle}). Immutable.
 */
public sealed interface InstanceMask permits PolygonMask, Rle {

  /** Width of the image the mask belongs to. */
  int width();

  /** Height of the image the mask belongs to. */
  int height();

  /** The mask as a run-length encoding (rasterizing polygons). */
  Rle toRle();
}
