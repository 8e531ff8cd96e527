/**
 * What a device trusts and how outside bytes prove it: Ed25519 keys ({@link
 * dev.promptedge.runtime.trust.Ed25519Keys}), how signatures count against trusted keys ({@link
 * dev.promptedge.runtime.trust.SignatureTally}, for bundles and update metadata alike), bundle
 * signatures ({@link dev.promptedge.runtime.trust.BundleSignatures}) and the profile's rule for
 * uploads ({@link dev.promptedge.runtime.trust.UploadTrust}).
 *
 * <p>Every bundle takes one path, whatever brought it: first the proof of where it came from, on
 * the raw bytes — a {@link dev.promptedge.runtime.trust.BundleVerifier} for an upload, the length
 * and SHA-256 of its signed targets entry for an update, the store's digest when the store is
 * reloaded — then {@link dev.promptedge.runtime.bundle.BundleReader} (size, format versions, the
 * backbone card), the install rules of the task engine, the head's flatbuffer check before an
 * interpreter opens it ({@link dev.promptedge.runtime.bundle.HeadModel}) and the self-test. This
 * package depends on no update code: the update repository's keys come in as a supplier.
 */
package dev.promptedge.runtime.trust;
