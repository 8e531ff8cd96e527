package dev.promptedge.tools.data.scenes;

/**
 * How scenes look: canvas side and how many items a scene holds. Immutable value.
 *
 * @param size canvas width and height, pixels (at least 16)
 * @param maxItems most items per scene (at least 1); each scene has 1..maxItems
 */
public record SceneOptions(int size, int maxItems) {

  /** 64x64 canvases with up to 3 items. */
  public static final SceneOptions DEFAULT = new SceneOptions(64, 3);

  /** Checks the ranges. */
  public SceneOptions {
    if (size < 16 || size > 4096) {
      throw new IllegalArgumentException("scene size must be 16..4096 pixels, got " + size);
    }
    if (maxItems < 1 || maxItems > 20) {
      throw new IllegalArgumentException("maxItems must be 1..20, got " + maxItems);
    }
  }
}
