package dev.promptedge.runtime.daemon.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A client on a raw socket, to send what well-behaved clients never would and read answers. */
final class RawClient implements AutoCloseable {

  /** An answer: the status, the head as text and the body. */
  record Answer(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  final Socket socket;
  private final InputStream in;

  RawClient(InetSocketAddress server) throws IOException {
    this(server, null);
  }

  RawClient(InetSocketAddress server, String localAddress) throws IOException {
    socket = new Socket();
    if (localAddress != null) {
      socket.bind(new InetSocketAddress(localAddress, 0));
    }
    socket.connect(server, 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
  }

  RawClient send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one answer with a Content-Length body (or none). */
  Answer answer() throws IOException {
    return answer(true);
  }

  /** Reads one answer; its body only when {@code withBody} (not after a HEAD request). */
  Answer answer(boolean withBody) throws IOException {
    String head = line();
    String line;
    StringBuilder all = new StringBuilder(head).append("\r\n");
    long length = 0;
    while (!(line = line()).isEmpty()) {
      all.append(line).append("\r\n");
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
    byte[] body = withBody ? in.readNBytes((int) length) : new byte[0];
    return new Answer(
        Integer.parseInt(head.split(" ")[1]),
        all.toString(),
        new String(body, StandardCharsets.UTF_8));
  }

  String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("end of stream after '" + b + "'");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Whether the server closed the connection (end of stream or reset) within {@code millis}. */
  boolean closedWithin(long millis) throws IOException {
    socket.setSoTimeout((int) millis);
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
