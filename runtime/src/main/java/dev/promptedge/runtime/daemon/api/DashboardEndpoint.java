package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@code GET /} (the dashboard page) and {@code GET /dashboard/FILE}: the static files of the
 * dashboard from the runtime jar, with an ETag (304 when it matches) and a Content-Security-Policy
 * that keeps every script, style and connection on the daemon's own origin. The files hold no
 * secrets, so they need no token; the page asks for it when the API answers 401.
 */
final class DashboardEndpoint extends Endpoint {

  /**
   * Content-Security-Policy of every dashboard file: nothing from another origin, nothing inline.
   */
  static final String CSP = "default-src 'self'";

  /** A file name in the dashboard folder: no path separators, no dot files, a known extension. */
  static final Pattern FILE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}\\.(html|css|js|svg|png)");

  private static final String FOLDER = "dashboard/";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  /** A file of the dashboard as it is served. */
  record Asset(byte[] bytes, String contentType, String etag) {}

  private final Map<String, Asset> assets = new ConcurrentHashMap<>();

  DashboardEndpoint(ApiServices api, AtomicInteger inFlight) {
    super(api, inFlight);
  }

  /** Whether {@code path} is one this endpoint answers (the others go to the API's endpoints). */
  static boolean serves(String path) {
    return path.equals("/") || path.startsWith("/dashboard/");
  }

  @Override
  boolean needsToken() {
    return false;
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    String name = path.equals("/") ? "index.html" : path.substring("/dashboard/".length());
    Asset asset =
        (FILE_NAME.matcher(name).matches() ? load(name) : Optional.<Asset>empty())
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "not_found",
                        "the dashboard has no file " + path + ": open / for the dashboard page"));
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw methodNotAllowed(method, path, "GET");
    }
    exchange
        .response()
        .header("ETag", asset.etag())
        .header("Cache-Control", "no-cache")
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        // Not framed by another site (the Switch and Uninstall buttons must not be clickjacked).
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer");
    if (matches(exchange.header("If-None-Match"), asset.etag())) {
      exchange.response().sendEmpty(304);
      return;
    }
    Exchanges.send(exchange, 200, asset.contentType(), asset.bytes());
  }

  /** Whether an {@code If-None-Match} header names {@code etag} (weak comparison, RFC 9110). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private Optional<Asset> load(String name) {
    Asset cached = assets.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    try (InputStream in = DashboardEndpoint.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
      Asset asset = new Asset(bytes, type, etag(bytes));
      assets.put(name, asset);
      return Optional.of(asset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard file " + name + " from the jar", e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
