package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.image.ImageHeader;
import dev.promptedge.runtime.source.ResultsHub;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * {@code GET /v1/sources/NAME/snapshot.jpg}: the source's latest frame with its results drawn
 * ({@link ResultOverlay}) as a JPEG; 404 before its first frame. The frame number and time are in
 * the {@code X-Frame-Sequence} and {@code X-Frame-Unix-Ms} headers.
 */
final class SnapshotEndpoint extends Endpoint {

  static final String SUFFIX = "/snapshot.jpg";
  private static final float QUALITY = 0.85f;

  SnapshotEndpoint(ApiServices api, AtomicInteger inFlight) {
    super(api, inFlight);
  }

  /** Whether {@code path} is a snapshot's. */
  static boolean matches(String path) {
    return path.length() > SourcesEndpoint.PREFIX.length() + SUFFIX.length()
        && path.startsWith(SourcesEndpoint.PREFIX + "/")
        && path.endsWith(SUFFIX);
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    String name =
        path.substring(SourcesEndpoint.PREFIX.length() + 1, path.length() - SUFFIX.length());
    if (name.isEmpty() || name.contains("/")) {
      throw notFound(path);
    }
    if (!method.equals("GET")) {
      throw methodNotAllowed(method, path, "GET");
    }
    if (api.sources().spec(name).isEmpty()) {
      throw SourcesEndpoint.unknown(name);
    }
    ResultsHub.Latest latest =
        api.sources()
            .hub()
            .latest(name)
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "no_frame_yet",
                        "source '" + name + "' has not delivered a frame yet: retry in a moment"));
    ImageDecoder decoder = new ImageDecoder(api.images().maxPixels());
    ImageHeader header = decoder.header(latest.jpeg());
    // The decoded frame, the JPEG encoder's buffers and the answer.
    long cost = (long) header.width() * header.height() * 8 + 2L * latest.jpeg().length;
    if (!memory.tryGrow(cost)) {
      throw Exchanges.busy(memory, cost);
    }
    BufferedImage frame =
        ResultOverlay.draw(decoder.decode(latest.jpeg()), latest.results().results());
    exchange.response().header("X-Frame-Sequence", Long.toString(latest.results().sequence()));
    exchange.response().header("X-Frame-Unix-Ms", Long.toString(latest.results().arrivedMillis()));
    exchange.response().header("Cache-Control", "no-store");
    Exchanges.send(exchange, 200, "image/jpeg", jpeg(frame));
  }

  static byte[] jpeg(BufferedImage image) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this JRE has no JPEG writer (javax.imageio)");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
