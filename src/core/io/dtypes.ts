/**
 * The numeric element types we can turn into float32, with one decoder each.
 * Every reader maps its own dtype spelling (npy '<f4', safetensors 'F32', torch FloatStorage,
 * parquet FLOAT) to one of these, so conversion is written and tested once.
 */
export type NumericDType =
  | 'float16'
  | 'bfloat16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

export const ITEM_SIZE: Readonly<Record<NumericDType, number>> = {
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
};

export function isNumericDType(name: string): name is NumericDType {
  return Object.prototype.hasOwnProperty.call(ITEM_SIZE, name);
}

/** IEEE half → float (exact: every float16 is a float32). */
export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero / subnormal
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** bfloat16 is the top half of a float32, so widening is a shift. */
export function bfloat16ToFloat32(b: number): number {
  u32Scratch[0] = (b & 0xffff) << 16;
  return f32Scratch[0];
}

/**
 * Decodes `count` elements of `dtype` from `bytes` (starting at byte 0) into `out[outOffset…]`.
 * Float32Array assignment rounds float64/int64 to the nearest float32, as NumPy's astype does.
 */
export function decodeToFloat32(
  bytes: Uint8Array,
  dtype: NumericDType,
  littleEndian: boolean,
  count: number,
  out: Float32Array,
  outOffset = 0,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = littleEndian;
  switch (dtype) {
    case 'float32':
      // fast path: aligned little-endian data can be copied as a typed array view
      if (le && bytes.byteOffset % 4 === 0) {
        out.set(new Float32Array(bytes.buffer, bytes.byteOffset, count), outOffset);
      } else {
        for (let i = 0; i < count; i++) out[outOffset + i] = view.getFloat32(i * 4, le);
      }
      return;
    case 'float64':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getFloat64(i * 8, le);
      return;
    case 'float16':
      for (let i = 0; i < count; i++) out[outOffset + i] = float16ToFloat32(view.getUint16(i * 2, le));
      return;
    case 'bfloat16':
      for (let i = 0; i < count; i++) out[outOffset + i] = bfloat16ToFloat32(view.getUint16(i * 2, le));
      return;
    case 'int8':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getInt8(i);
      return;
    case 'uint8':
      for (let i = 0; i < count; i++) out[outOffset + i] = bytes[i];
      return;
    case 'bool':
      for (let i = 0; i < count; i++) out[outOffset + i] = bytes[i] ? 1 : 0;
      return;
    case 'int16':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getInt16(i * 2, le);
      return;
    case 'uint16':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getUint16(i * 2, le);
      return;
    case 'int32':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getInt32(i * 4, le);
      return;
    case 'uint32':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getUint32(i * 4, le);
      return;
    case 'int64':
      for (let i = 0; i < count; i++) out[outOffset + i] = Number(view.getBigInt64(i * 8, le));
      return;
    case 'uint64':
      for (let i = 0; i < count; i++) out[outOffset + i] = Number(view.getBigUint64(i * 8, le));
      return;
  }
}
