package dev.promptedge.runtime.image;

/**
 * An axis-aligned box in continuous pixel coordinates ({@code xMax}, {@code yMax} are the right and
 * bottom edges, so a box covering pixel 0 only is {@code [0, 0, 1, 1]}). Immutable value.
 *
 * @param xMin left edge
 * @param yMin top edge
 * @param xMax right edge
 * @param yMax bottom edge
 */
public record Box(float xMin, float yMin, float xMax, float yMax) {

  /** Width, or 0 when the box is empty or inverted. */
  public float width() {
    return Math.max(0f, xMax - xMin);
  }

  /** Height, or 0 when the box is empty or inverted. */
  public float height() {
    return Math.max(0f, yMax - yMin);
  }

  /** Area, or 0 when the box is empty or inverted. */
  public float area() {
    return width() * height();
  }

  /** Intersection over union with {@code other}; 0 when either box is empty. */
  public float iou(Box other) {
    float iw = Math.min(xMax, other.xMax) - Math.max(xMin, other.xMin);
    float ih = Math.min(yMax, other.yMax) - Math.max(yMin, other.yMin);
    if (!(iw > 0f) || !(ih > 0f)) {
      return 0f;
    }
    float inter = iw * ih;
    float union = area() + other.area() - inter;
    return union > 0f ? inter / union : 0f;
  }
}
