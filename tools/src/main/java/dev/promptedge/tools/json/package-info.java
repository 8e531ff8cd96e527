/**
 * Strict JSON for the host tools: {@link dev.promptedge.tools.json.Json} parses RFC 8259 text into
 * plain Java maps and lists with line/column errors, {@link dev.promptedge.tools.json.JsonWriter}
 * writes them back deterministically. Used for COCO annotation files and metrics/results files.
 */
package dev.promptedge.tools.json;
