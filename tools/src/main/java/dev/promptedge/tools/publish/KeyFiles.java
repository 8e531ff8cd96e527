package dev.promptedge.tools.publish;

import dev.promptedge.runtime.trust.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 key files: the private key as PKCS#8 (PEM, or DER when read), readable by its owner only
 * (mode 0600), and the public key as X.509 PEM. Stateless.
 */
public final class KeyFiles {

  static final String PRIVATE_SUFFIX = ".key";
  static final String PUBLIC_SUFFIX = ".pub";
  private static final String PRIVATE_PEM = "PRIVATE KEY";
  private static final String PUBLIC_PEM = "PUBLIC KEY";

  private KeyFiles() {}

  /**
   * Generates a key pair and writes {@code dir/NAME.key} (mode 0600) and {@code dir/NAME.pub}.
   *
   * @throws FileAlreadyExistsException when either file exists; nothing is overwritten
   */
  public static SigningKey generate(Path dir, String name) throws IOException {
    Path privateFile = dir.resolve(name + PRIVATE_SUFFIX);
    Path publicFile = dir.resolve(name + PUBLIC_SUFFIX);
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(
            file.toString(), null, "refusing to overwrite a key file: choose another --name");
      }
    }
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance(Ed25519Keys.ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519: " + e, e);
    }
    Files.createDirectories(dir);
    Files.createFile(
        privateFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        privateFile,
        pem(PRIVATE_PEM, pair.getPrivate().getEncoded()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.WRITE);
    Files.writeString(
        publicFile,
        pem(PUBLIC_PEM, pair.getPublic().getEncoded()),
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    return new SigningKey(pair.getPrivate(), pair.getPublic());
  }

  /**
   * Reads a private key file (PKCS#8, PEM or DER) and its public key from the {@code .pub} file
   * beside it ({@code NAME.key} pairs with {@code NAME.pub}).
   *
   * @throws IllegalArgumentException when the file is not an Ed25519 private key, or the public key
   *     file is missing, unreadable as a key, or does not belong to the private key
   */
  public static SigningKey read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    byte[] der =
        text.contains("-----BEGIN " + PRIVATE_PEM) ? unpem(text, PRIVATE_PEM, file) : bytes;
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance(Ed25519Keys.ALGORITHM)
              .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          file
              + " is not an Ed25519 private key in PKCS#8 (PEM or DER): make one with"
              + " promptedge keys generate");
    }
    PublicKey publicKey = readPublic(publicFileOf(file));
    requirePair(key, publicKey, file);
    return new SigningKey(key, publicKey);
  }

  /**
   * The public key file written beside {@code privateFile}: {@code NAME.key} → {@code NAME.pub}.
   */
  static Path publicFileOf(Path privateFile) {
    String name = privateFile.getFileName().toString();
    String base =
        name.endsWith(PRIVATE_SUFFIX)
            ? name.substring(0, name.length() - PRIVATE_SUFFIX.length())
            : name;
    return privateFile.resolveSibling(base + PUBLIC_SUFFIX);
  }

  private static PublicKey readPublic(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "missing public key file "
              + file
              + ": keep the .pub written by promptedge keys generate beside the private key");
    }
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    byte[] der = text.contains("-----BEGIN " + PUBLIC_PEM) ? unpem(text, PUBLIC_PEM, file) : bytes;
    try {
      return Ed25519Keys.publicKey(der);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + " is not an Ed25519 public key in X.509 (PEM or DER)", e);
    }
  }

  private static void requirePair(PrivateKey key, PublicKey publicKey, Path file) {
    byte[] probe = "promptedge key pair check".getBytes(StandardCharsets.US_ASCII);
    byte[] signature;
    try {
      Signature signer = Signature.getInstance(Ed25519Keys.ALGORITHM);
      signer.initSign(key);
      signer.update(probe);
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519: " + e, e);
    }
    if (!Ed25519Keys.verify(publicKey, probe, signature)) {
      throw new IllegalArgumentException(
          publicFileOf(file)
              + " does not match the private key "
              + file
              + ": restore the .pub generated with it");
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] unpem(String text, String type, Path file) {
    int begin = text.indexOf("-----BEGIN " + type + "-----");
    int end = text.indexOf("-----END " + type + "-----");
    if (end < begin) {
      throw new IllegalArgumentException(file + " has a PEM header but no END line");
    }
    String body = text.substring(begin + ("-----BEGIN " + type + "-----").length(), end);
    return Base64.getMimeDecoder().decode(body);
  }
}
