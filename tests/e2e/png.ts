// Checks that bytes are a PNG: the signature, an IHDR chunk with a sane size, and an IEND chunk.
export function pngInfo(buf: Buffer): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (buf.length < 33 || !signature.every((b, i) => buf[i] === b)) throw new Error('not a PNG (bad signature)');
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG without IHDR');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (!(width > 0 && height > 0 && width < 20000 && height < 20000)) throw new Error(`PNG with odd size ${width}×${height}`);
  if (buf.toString('latin1', buf.length - 8, buf.length - 4) !== 'IEND') throw new Error('PNG without IEND (truncated?)');
  return { width, height };
}
