import { describe, expect, it } from 'vitest';
import {
  executableFile,
  jpegFile,
  oversizedFile,
  pdfFile,
  pngBomb,
  pngFile,
  truncatedPng,
} from '../../../test/support/document-files.js';
import { inspectDocumentFile } from './inspection.js';

describe('identity document file checks', () => {
  it('accepts a JPEG, PNG and PDF by content, with the image dimensions from the header', async () => {
    expect(await inspectDocumentFile(jpegFile())).toEqual({
      ok: true,
      contentType: 'image/jpeg',
      width: 96,
      height: 64,
    });
    expect(await inspectDocumentFile(pngFile(120, 80))).toEqual({
      ok: true,
      contentType: 'image/png',
      width: 120,
      height: 80,
    });
    expect(await inspectDocumentFile(pdfFile())).toEqual({
      ok: true,
      contentType: 'application/pdf',
      width: null,
      height: null,
    });
  });

  it('refuses what is not a JPEG, PNG or PDF whatever it is called', async () => {
    expect(await inspectDocumentFile(executableFile())).toEqual({ ok: false, problem: 'type' });
    expect(await inspectDocumentFile(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toEqual({
      ok: false,
      problem: 'type',
    });
  });

  it('refuses an empty file and one over 10 MB', async () => {
    expect(await inspectDocumentFile(Buffer.alloc(0))).toEqual({ ok: false, problem: 'empty' });
    expect(await inspectDocumentFile(oversizedFile())).toEqual({ ok: false, problem: 'too-large' });
  });

  it('refuses a decompression bomb from its header alone, in milliseconds', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(2_000);
    expect(await inspectDocumentFile(bomb)).toEqual({ ok: false, problem: 'dimensions' });
  });

  it('refuses a file cut off before its end marker', async () => {
    expect(await inspectDocumentFile(truncatedPng())).toEqual({ ok: false, problem: 'truncated' });
    const jpeg = jpegFile();
    expect(await inspectDocumentFile(jpeg.subarray(0, jpeg.length - 200))).toEqual({
      ok: false,
      problem: 'truncated',
    });
    const pdf = pdfFile();
    expect(await inspectDocumentFile(pdf.subarray(0, pdf.length - 40))).toEqual({
      ok: false,
      problem: 'truncated',
    });
  });
});
