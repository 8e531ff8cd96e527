package dev.promptedge.runtime.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Optional;

/**
 * MJPEG over HTTP: a multipart/x-mixed-replace response, or a bare JPEG sequence without a
 * boundary.
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
    HttpURLConnection c = (HttpURLConnection) URI.create(spec.url()).toURL().openConnection();
    c.setConnectTimeout(timeouts.connectMillis());
    c.setReadTimeout(timeouts.readMillis());
    c.setUseCaches(false);
    int code = c.getResponseCode();
    if (code != 200) {
      c.disconnect();
      throw new IOException("GET " + spec.url() + " answered HTTP " + code);
    }
    InputStream body = new BufferedInputStream(c.getInputStream(), 64 * 1024);
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
    try {
      body.close();
    } catch (IOException ignored) {
      // the connection is dropped below either way
    }
    connection.disconnect();
  }
}
