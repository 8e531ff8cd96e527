/**
 * Camera results pushed to an MQTT broker: per source and task a JSON state topic, availability
 * with a last will, and Home Assistant discovery messages, from the daemon's results hub.
 */
package dev.promptedge.runtime.mqtt;
