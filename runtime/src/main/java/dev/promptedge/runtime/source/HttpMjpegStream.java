package dev.promptedge.runtime.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * MJPEG over HTTP(S): a multipart/x-mixed-replace response, or a bare JPEG sequence without a
 * boundary. Any answer but 200 is a failed connection.
 */
final class HttpMjpegStream implements FrameStream {
  private final HttpURLConnection connection;
  private final InputStream body;
  private final MjpegReader reader;

  private HttpMjpegStream(HttpURLConnection connection, InputStream body, MjpegReader reader) {
    this.connection = connection;
    this.body = body;
    this.reader = reader;
  }

  static HttpMjpegStream open(SourceSpec spec, Timeouts timeouts) throws IOException {
    URI uri = URI.create(spec.url()); // checked by SourceSpec
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    if (uri.getRawUserInfo() != null) {
      String user = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
      c.setRequestProperty(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    c.setConnectTimeout(timeouts.connectMillis());
    c.setReadTimeout(timeouts.readMillis());
    c.setUseCaches(false);
    int code = c.getResponseCode();
    if (code != 200) {
      c.disconnect();
      throw new IOException("GET " + spec.displayUrl() + " answered HTTP " + code);
    }
    InputStream body = c.getInputStream(); // MjpegReader buffers
    MjpegReader reader =
        new MjpegReader(body, MjpegReader.boundaryOf(c.getContentType()), spec.maxFrameBytes());
    return new HttpMjpegStream(c, body, reader);
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    return reader.next();
  }

  @Override
  public void close() {
    // disconnect first: it closes the socket, which ends a read blocked in another thread (the
    // body's own close may wait for that read)
    connection.disconnect();
    try {
      body.close();
    } catch (IOException ignored) {
      // the socket is closed already
    }
  }
}
