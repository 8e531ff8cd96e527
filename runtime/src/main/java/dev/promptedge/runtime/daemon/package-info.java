/**
 * The on-device daemon {@code promptedged}: one resident backbone, the bundle store and task
 * engine, the batching inference queue, memory budgets, metrics, and the optional components (GPIO
 * panel, update client) that the HTTP API and the device drive.
 */
package dev.promptedge.runtime.daemon;
