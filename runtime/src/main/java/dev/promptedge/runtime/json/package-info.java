/**
 * The proto3 JSON mapping of the format messages ({@link dev.promptedge.runtime.json.ProtoJson}),
 * shared by the daemon's HTTP API and the MQTT publisher.
 */
package dev.promptedge.runtime.json;
