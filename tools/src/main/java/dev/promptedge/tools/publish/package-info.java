/**
 * Publishing signed updates: Ed25519 key files, signing bundles and metadata, and writing and
 * serving the update repository the devices poll.
 */
package dev.promptedge.tools.publish;
