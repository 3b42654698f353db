import { slack } from '../../src/messages/slack.js';
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Identity document files for upload tests: real, decodable images and a PDF, and the
 * files the upload must refuse. The JPEG was drawn and encoded by Chromium (a canvas) once.
 */
export function jpegFile(): Buffer {
  return readFileSync(new URL('../fixtures/documents/id-card.jpg', import.meta.url));
}

/** A real RGB PNG of the given size: a dark card on a light background. */
export function pngFile(width = 96, height = 64): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      const dark = x > 6 && x < 34 && y > 6 && y < 46;
      row.set(dark ? [0x20, 0x30, 0x40] : [0xdf, 0xe8, 0xf0], 1 + x * 3);
    }
    rows.push(row);
  }
  return png(width, height, deflateSync(Buffer.concat(rows)));
}

/**
 * A decompression bomb: the header claims 20,000 × 20,000 pixels (1.2 GB once decoded)
 * while the file is a few hundred bytes.
 */
export function pngBomb(): Buffer {
  return png(20_000, 20_000, deflateSync(Buffer.alloc(64 * 1024)));
}

export function pdfFile(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 120] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A Linux executable's header and some code: what a renamed `.jpg` really is. */
export function executableFile(): Buffer {
  const elf = Buffer.alloc(4096);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00], 0);
  elf.writeUInt16LE(2, 16);
  elf.writeUInt16LE(0x3e, 18);
  return elf;
}

/** More than the 10 MB limit, whatever it is. */
export function oversizedFile(): Buffer {
  const head = pdfFile();
  return Buffer.concat([head.subarray(0, 9), Buffer.alloc(11 * 1024 * 1024, 0x20), head.subarray(9)]);
}

/** The first half of a real PNG: the header parses, the image does not end. */
export function truncatedPng(): Buffer {
  const whole = pngFile();
  return whole.subarray(0, Math.floor(whole.length / 2));
}

function png(width: number, height: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** The individual identity form as a person fills it in Slack: a passport, with an uploaded file attached. */
export function passportForm(documentNumber: string, fileId: string): Record<string, string> {
  return {
    'Document type': slack.identity.documentTypes.passport,
    'Full legal name': 'Dana Example',
    'Document number': documentNumber,
    'Issuing country/region code': 'CN',
    [slack.identity.documentImage]: fileId,
  };
}
