/**
 * The device's buttons and LEDs: a debounced task button and per-task LEDs on Pi4J, or no panel on
 * machines without GPIO.
 */
package dev.promptedge.runtime.daemon.gpio;
