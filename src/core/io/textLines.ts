import { RedundancyLabError } from '../errors.ts';
import { readRange } from './byteRange.ts';
import { CHUNK_BYTES } from './limits.ts';
import type { ByteSource } from './types.ts';

/** One line longer than this is not a row of numbers; stop instead of growing a string without bound. */
const MAX_LINE_CHARS = 64 * 2 ** 20;

export interface LineBatch {
  /** 1-based line number of `lines[0]` in the file */
  readonly firstLine: number;
  readonly lines: string[];
}

/**
 * Streams a text file as batches of lines: fixed-size byte chunks through a streaming
 * TextDecoder (so multi-byte characters split across chunks decode correctly), never the whole
 * file as one string. Trailing `\r` is dropped so CRLF files read like LF ones.
 */
export async function* textLines(source: ByteSource, chunkBytes = CHUNK_BYTES): AsyncGenerator<LineBatch> {
  const decoder = new TextDecoder('utf-8');
  let carry: string[] = [];
  let carryLength = 0;
  let lineNo = 1;
  for (let p = 0; p < source.byteLength; p += chunkBytes) {
    const end = Math.min(source.byteLength, p + chunkBytes);
    const text = decoder.decode(await readRange(source, p, end, 'text'), { stream: end < source.byteLength });
    const parts = text.split('\n');
    if (parts.length === 1) {
      carry.push(text);
      carryLength += text.length;
      if (carryLength > MAX_LINE_CHARS) {
        throw new RedundancyLabError('corrupt-file', `line ${lineNo} is longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters; this is not a delimited text matrix`, source.name);
      }
      continue;
    }
    parts[0] = carry.join('') + parts[0];
    carry = [parts.pop()!];
    carryLength = carry[0].length;
    for (let i = 0; i < parts.length; i++) if (parts[i].endsWith('\r')) parts[i] = parts[i].slice(0, -1);
    yield { firstLine: lineNo, lines: parts };
    lineNo += parts.length;
  }
  const last = carry.join('') + decoder.decode();
  if (last.length > 0) yield { firstLine: lineNo, lines: [last.endsWith('\r') ? last.slice(0, -1) : last] };
}
