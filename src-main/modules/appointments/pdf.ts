import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { AppointmentOut, DoctorOut } from '../../../src-shared/contract/appointments.js';
import { STATUS_LABELS } from '../../../src-shared/schemas/appointments.js';
import { clinicLocalTimeUnambiguous } from '../../../src-shared/time.js';
import { wrap } from '../records/pdf.js';

export interface DayListPrint {
  clinicName: string;
  doctor: DoctorOut;
  date: string;
  timeZone: string;
  appointments: readonly AppointmentOut[];
}

/** An A4 list of one doctor's day: time, patient, MRN, phone, reason, status; cancelled ones last. */
export async function dayListPdf(print: DayListPrint): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Day list ${print.doctor.name} ${print.date}`);
  pdf.setProducer('Asclepia');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const [width, height] = [595.28, 841.89];
  const margin = 40;
  let page = pdf.addPage([width, height]);
  let y = height - margin;
  const columns = [
    { header: 'Time', x: 0, width: 70 },
    { header: 'Patient', x: 70, width: 150 },
    { header: 'MRN', x: 220, width: 70 },
    { header: 'Phone', x: 290, width: 85 },
    { header: 'Reason', x: 375, width: 80 },
    { header: 'Status', x: 455, width: 60 },
  ];
  const line = (cells: string[], font = regular, size = 9) => {
    const wrapped = cells.map((cell, index) => wrap(cell, font, size, (columns[index]?.width ?? 60) - 6));
    const rows = Math.max(...wrapped.map((lines) => lines.length));
    if (y - rows * (size + 3) < margin) {
      page = pdf.addPage([width, height]);
      y = height - margin;
    }
    wrapped.forEach((lines, index) => {
      for (const [row, text] of lines.entries()) page.drawText(text, { x: margin + (columns[index]?.x ?? 0), y: y - row * (size + 3), size, font });
    });
    y -= rows * (size + 3) + 4;
  };
  page.drawText(wrap(print.clinicName, bold, 14, width - 2 * margin)[0] ?? '', { x: margin, y, size: 14, font: bold });
  y -= 20;
  page.drawText(wrap(`${print.doctor.name} — ${print.doctor.departmentName} — ${print.date}`, regular, 11, width - 2 * margin)[0] ?? '', {
    x: margin,
    y,
    size: 11,
    font: regular,
  });
  y -= 24;
  line(
    columns.map((column) => column.header),
    bold,
  );
  const ordered = [...print.appointments].sort(
    (a, b) => Number(a.status === 'cancelled') - Number(b.status === 'cancelled') || a.startAt.localeCompare(b.startAt),
  );
  if (ordered.length === 0) line(['No appointments booked.']);
  for (const appointment of ordered) {
    line([
      `${clinicLocalTimeUnambiguous(new Date(appointment.startAt), print.timeZone)}–${clinicLocalTimeUnambiguous(new Date(appointment.endAt), print.timeZone)}`,
      appointment.patient.name,
      appointment.patient.mrn,
      appointment.patient.phone ?? '',
      appointment.reason,
      STATUS_LABELS[appointment.status],
    ]);
  }
  return pdf.save();
}
