// Deferred PUBACK: acknowledge a QoS 1 message only after its readings are stored.
//
// Why not mqtt.js's own hooks: `customHandleAcks` (MQTT 5 only) and `handleMessage` both delay the
// PUBACK, but mqtt.js also waits for them before it reads the next packet ("one at a time"), so
// a batch of N messages per store write could never form. Instead the ingester lets mqtt.js go on
// (handleMessage's callback gets an error, and mqtt.js then sends no PUBACK: client.js
// handlePublish) and writes the PUBACK itself, on the very connection the message came in on.
// A message from a connection that has since closed is never acknowledged: the broker redelivers
// it on the new connection (same packet id), and the store's writes are idempotent.

/** Minimal stream surface used to write the PUBACK (mqtt.js's client.stream is a net.Socket). */
export interface AckStream {
  write(chunk: Uint8Array): boolean;
  readonly destroyed?: boolean;
  readonly writable?: boolean;
}

/**
 * PUBACK with success: fixed header 0x40, remaining length 2, packet identifier.
 * MQTT 3.1.1 §3.4; in MQTT 5 (§3.4.2.1) a remaining length of 2 means reason code 0x00 (Success)
 * and no properties, so the same 4 bytes serve both versions.
 */
export function pubackPacket(messageId: number): Buffer {
  if (!Number.isInteger(messageId) || messageId < 1 || messageId > 0xffff) throw new RangeError(`packet identifier must be 1..65535, got ${messageId}`);
  return Buffer.from([0x40, 0x02, messageId >> 8, messageId & 0xff]);
}

/** Writes the PUBACK; false when the connection is gone (the broker will redeliver). */
export function writePuback(stream: AckStream, messageId: number): boolean {
  if (stream.destroyed || stream.writable === false) return false;
  stream.write(pubackPacket(messageId));
  return true;
}
