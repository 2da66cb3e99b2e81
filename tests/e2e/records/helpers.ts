import { deflateSync } from 'node:zlib';
import { expect, type Page } from '@playwright/test';
import { hostApi, hostUrl } from '../host.js';

export { signInDemo as signIn } from '../host.js';

/** This group's host: the demo clinic. */
export const BASE_URL = hostUrl('records');

export const { callOk, apiSession } = hostApi(BASE_URL);

/** The id behind an MRN, looked up with the signed-in page's own session. */
export async function patientIdByMrn(page: Page, mrn: string): Promise<string> {
  const found = await callOk<{ id: string; mrn: string }[]>(page.request, 'patients.search', { query: mrn });
  const patient = found.find((entry) => entry.mrn === mrn);
  if (!patient) throw new Error(`No patient ${mrn}`);
  return patient.id;
}

/** Opens a patient's page, where the chart sits under the demographics. */
export async function openChart(page: Page, patientId: string): Promise<void> {
  await page.goto(`/#/patients/${patientId}`);
  await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
}

export function timelineEntries(page: Page) {
  return page.getByRole('list', { name: 'Timeline entries' }).getByRole('listitem');
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small valid PNG (an RGB gradient), made here so the journey needs no fixture file. */
export function tinyPng(width = 24, height = 16): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      rows[at] = 180;
      rows[at + 1] = (x * 10) & 0xff;
      rows[at + 2] = (y * 15) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
