import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';

/**
 * What an uploaded identity document may be (security.md, Identity documents): a JPEG, PNG
 * or PDF by its magic bytes (never its name or declared type), at most 10 MB, complete
 * (a truncated upload is refused, not stored), and for images pixel dimensions read from the
 * header without decoding, so a small file that would expand to gigabytes of pixels (a
 * decompression bomb) is refused before anything decodes it.
 */
export const DOCUMENT_FILE_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  /** Larger than any phone camera or 600 dpi A4 scan (7,016 × 4,961). */
  maxSide: 12_000,
  maxPixels: 64_000_000,
} as const;

const DOCUMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;

export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

export type DocumentFileProblem = 'empty' | 'too-large' | 'type' | 'truncated' | 'dimensions';

export type DocumentFileInspection =
  | { ok: true; contentType: DocumentContentType; width: number | null; height: number | null }
  | { ok: false; problem: DocumentFileProblem };

export async function inspectDocumentFile(bytes: Buffer): Promise<DocumentFileInspection> {
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  if (bytes.length > DOCUMENT_FILE_LIMITS.maxBytes) return { ok: false, problem: 'too-large' };
  const detected = await fileTypeFromBuffer(bytes);
  const contentType = DOCUMENT_CONTENT_TYPES.find((type) => type === detected?.mime);
  if (contentType === undefined) return { ok: false, problem: 'type' };
  if (!isComplete(contentType, bytes)) return { ok: false, problem: 'truncated' };
  if (contentType === 'application/pdf') return { ok: true, contentType, width: null, height: null };
  let size: { width: number; height: number };
  try {
    size = imageSize(bytes);
  } catch {
    return { ok: false, problem: 'truncated' };
  }
  const { width, height } = size;
  if (
    !(width > 0 && height > 0) ||
    width > DOCUMENT_FILE_LIMITS.maxSide ||
    height > DOCUMENT_FILE_LIMITS.maxSide ||
    width * height > DOCUMENT_FILE_LIMITS.maxPixels
  ) {
    return { ok: false, problem: 'dimensions' };
  }
  return { ok: true, contentType, width, height };
}

/**
 * The format's own end marker is where it should be: PNG's IEND chunk, JPEG's EOI (after
 * any zero padding), PDF's %%EOF in the last kilobyte. The header parsers above read only
 * the start of a file, so without this a cut-off upload would pass.
 */
function isComplete(contentType: DocumentContentType, bytes: Buffer): boolean {
  switch (contentType) {
    case 'image/png':
      return (
        bytes.length >= 12 && bytes.subarray(bytes.length - 8, bytes.length - 4).toString('latin1') === 'IEND'
      );
    case 'image/jpeg': {
      let end = bytes.length;
      while (end > 0 && bytes[end - 1] === 0) end -= 1;
      return end >= 4 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
    }
    case 'application/pdf':
      return bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF', 0, 'latin1');
  }
}
