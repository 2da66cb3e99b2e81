import { PDFDocument, type PDFFont, StandardFonts } from 'pdf-lib';
import type { PrescriptionOut } from '../../../src-shared/contract/records.js';

export interface PrescriptionPrint {
  clinicName: string;
  patient: { name: string; mrn: string; birthDate: string; allergies: string[] };
  prescription: PrescriptionOut;
  /** Clinic-local date and time, already formatted. */
  prescribedAt: string;
}

/**
 * The standard fonts cover Latin-1 only; anything outside it (a name in another script) prints as
 * a question mark rather than breaking the document.
 */
export function printable(text: string): string {
  return text.normalize('NFC').replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}

export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  // Split before replacing what the font cannot print: a line break is one of those characters.
  for (const paragraph of text.split(/\r\n|\r|\n/).map(printable)) {
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) > width && line) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

/** An A5 prescription: clinic, patient with allergies, each drug with its directions, prescriber. */
export async function prescriptionPdf(print: PrescriptionPrint): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Prescription ${print.patient.mrn}`);
  pdf.setProducer('Asclepia');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const [width, height] = [419.53, 595.28];
  const margin = 36;
  let page = pdf.addPage([width, height]);
  let y = height - margin;
  const write = (text: string, options: { font?: PDFFont; size?: number; gap?: number } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 10;
    for (const line of wrap(text, font, size, width - 2 * margin)) {
      if (y < margin + size) {
        page = pdf.addPage([width, height]);
        y = height - margin;
      }
      page.drawText(line, { x: margin, y, size, font });
      y -= size + 4;
    }
    y -= options.gap ?? 0;
  };
  write(print.clinicName, { font: bold, size: 14, gap: 2 });
  write('Prescription', { size: 11, gap: 10 });
  write(`Patient: ${print.patient.name}   MRN: ${print.patient.mrn}   Born: ${print.patient.birthDate}`, { font: bold });
  write(`Allergies: ${print.patient.allergies.length > 0 ? print.patient.allergies.join(', ') : 'none recorded'}`, { gap: 6 });
  write(`Date: ${print.prescribedAt}`, { gap: 10 });
  print.prescription.items.forEach((item, index) => {
    write(`${index + 1}. ${item.drug} ${item.dose}`, { font: bold, size: 11 });
    write(`${item.route}, ${item.frequency}, for ${item.duration}. Quantity: ${item.quantity}`);
    if (item.instructions) write(item.instructions);
    y -= 6;
  });
  if (print.prescription.notes) write(`Notes: ${print.prescription.notes}`, { gap: 6 });
  y -= 20;
  write('_______________________________');
  write(`${print.prescription.prescriber.name}`, { font: bold });
  return pdf.save();
}
