import { type ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from '../../../src-shared/schemas/records.js';

export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** The same three signatures the main side checks; the file name and the browser's guess are not trusted. */
export function sniffType(bytes: Uint8Array): AttachmentType | null {
  const starts = (signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return null;
}

export const ACCEPTED_FILES = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf';

export interface PreparedFile {
  /** Tells two files of the same name apart in a list. */
  key: string;
  fileName: string;
  sizeBytes: number;
  mimeType: AttachmentType;
  contentBase64: string;
}

export class FileRefusal extends Error {}

let nextKey = 0;

/** "1.2 MB", "340 KB", "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let index = 0; index < bytes.length; index += chunk) {
    binary += String.fromCharCode(...bytes.subarray(index, index + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Checks size and content before anything is sent, so a wrong file is refused at once and in words. */
export async function prepareFile(file: File): Promise<PreparedFile> {
  if (file.size === 0) throw new FileRefusal(`${file.name} is empty.`);
  if (file.size > MAX_ATTACHMENT_BYTES) throw new FileRefusal(`${file.name} is ${formatBytes(file.size)}; a file can be at most 20 MB.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mimeType = sniffType(bytes);
  if (!mimeType) throw new FileRefusal(`${file.name} is not a JPEG, PNG or PDF file.`);
  nextKey += 1;
  return { key: `file-${nextKey}`, fileName: file.name, sizeBytes: file.size, mimeType, contentBase64: bytesToBase64(bytes) };
}

/** A blob URL for stored content; the caller revokes it. */
export function blobUrl(base64: string, mimeType: string): string {
  return URL.createObjectURL(new Blob([base64ToBytes(base64)], { type: mimeType }));
}

/** Saves stored content through the browser's download (Electron's window and the browser host alike). */
export function downloadBase64(fileName: string, base64: string, mimeType: string): void {
  const url = blobUrl(base64, mimeType);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Opens a PDF in the browser's own viewer (a new tab, where printing is one click). Where no
 * window may open (the desktop app blocks new windows), the file is downloaded instead; the
 * return value says which happened.
 */
export function openPdf(fileName: string, base64: string): 'opened' | 'downloaded' {
  const url = blobUrl(base64, 'application/pdf');
  const opened = window.open(url, '_blank');
  if (opened) {
    // The new tab has its own reference to the blob; this one can go once it has loaded.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return 'opened';
  }
  URL.revokeObjectURL(url);
  downloadBase64(fileName, base64, 'application/pdf');
  return 'downloaded';
}
