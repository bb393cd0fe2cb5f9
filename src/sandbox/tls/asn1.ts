// A minimal DER writer: just the ASN.1 types an X.509 v3 certificate needs (node:crypto signs and reads
// certificates but cannot build one). Every function returns the complete encoding of one value.

/** Tag-length-value with a DER (definite, minimal) length. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    length = [0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/** SEQUENCE of already-encoded values. */
export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** SET of already-encoded values (callers pass one item, so no DER sorting is needed). */
export function set(...items: Uint8Array[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

/** A non-negative INTEGER from big-endian bytes: leading zeros dropped, a 0x00 added when the top bit is set. */
export function integer(bytes: Uint8Array | number): Buffer {
  let b = typeof bytes === 'number' ? Buffer.from([bytes]) : Buffer.from(bytes);
  let start = 0;
  while (start < b.length - 1 && b[start] === 0) start++;
  b = b.subarray(start);
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

/** BOOLEAN TRUE (DER has no need for FALSE here: defaults are omitted). */
export function booleanTrue(): Buffer {
  return tlv(0x01, Buffer.from([0xff]));
}

/** OBJECT IDENTIFIER from dotted text (`1.2.840.10045.4.3.2`). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTF8String. */
export function utf8(text: string): Buffer {
  return tlv(0x0c, Buffer.from(text, 'utf8'));
}

/** OCTET STRING. */
export function octets(content: Uint8Array): Buffer {
  return tlv(0x04, content);
}

/** BIT STRING of whole bytes, or of named bits (`unusedBits` trailing bits of the last byte unused). */
export function bitString(content: Uint8Array, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5), with second precision. */
export function time(ms: number): Buffer {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString(); // 2026-11-28T18:54:37.000Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = Number(iso.slice(0, 4));
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

/** A context-specific tag: explicit (constructed, wraps encoded values) or implicit (primitive bytes). */
export function context(tagNumber: number, content: Uint8Array, constructed: boolean): Buffer {
  return tlv((constructed ? 0xa0 : 0x80) | tagNumber, content);
}
