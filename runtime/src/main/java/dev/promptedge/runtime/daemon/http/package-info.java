/**
 * The daemon's own small HTTP/1.1 server on plain sockets: kept-alive connections on a thread each,
 * fixed and chunked bodies, streamed answers for Server-Sent Events, and hard caps and timeouts on
 * every connection and request, whose refusals carry the API's error body.
 */
package dev.promptedge.runtime.daemon.http;
