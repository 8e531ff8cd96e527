/**
 * Frame sources the daemon runs all the time: MJPEG over HTTP(S), a command's MJPEG stdout and
 * watched directories, each reconnected with backoff, keeping only its newest frame, running its
 * tasks on each frame in one batched backbone call and publishing to a {@link
 * dev.promptedge.runtime.source.ResultsHub}. Start with {@link
 * dev.promptedge.runtime.source.SourceManager}.
 */
package dev.promptedge.runtime.source;
