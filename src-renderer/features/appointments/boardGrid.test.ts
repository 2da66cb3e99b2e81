import { describe, expect, it } from 'vitest';
import type { AppointmentOut, DoctorOut } from '../../../src-shared/contract/appointments.js';
import { type BoardColumnInput, buildBoardGrid, moveFocus, segmentAt } from './boardGrid.js';

const doctor = (userId: string, slotMinutes: number): DoctorOut => ({
  userId,
  name: `Dr ${userId}`,
  departmentId: 'd',
  departmentName: 'General',
  specialization: '',
  consultationFeeMinor: 0,
  slotMinutes,
  active: true,
  version: 1,
});
const at = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;
const slot = (start: string, end: string) => ({ startAt: at(start), endAt: at(end), label: start });
const appointment = (id: string, start: string, end: string, status: AppointmentOut['status'] = 'booked'): AppointmentOut => ({
  id,
  patient: { id: 'p', name: 'Pat', mrn: 'P-1', phone: null },
  doctor: { id: 'a', name: 'Dr a' },
  departmentName: 'General',
  startAt: at(start),
  endAt: at(end),
  reason: 'Check',
  notes: '',
  status,
  cancelReason: null,
  checkedInAt: null,
  completedAt: null,
  encounterId: null,
  version: 1,
});
const earlier = new Date('2026-11-23T00:00:00.000Z');

describe('buildBoardGrid', () => {
  const input: BoardColumnInput[] = [
    {
      doctor: doctor('a', 15),
      day: {
        date: '2026-11-24',
        closedReason: null,
        blocks: [{ startAt: at('09:00'), endAt: at('10:00') }],
        slots: [slot('09:15', '09:30'), slot('09:30', '09:45'), slot('09:45', '10:00')],
      },
      appointments: [appointment('x', '09:00', '09:15'), appointment('c', '09:30', '09:45', 'cancelled')],
    },
    {
      doctor: doctor('b', 30),
      day: {
        date: '2026-11-24',
        closedReason: null,
        blocks: [{ startAt: at('09:30'), endAt: at('10:30') }],
        slots: [slot('09:30', '10:00'), slot('10:00', '10:30')],
      },
      appointments: [],
    },
    { doctor: doctor('off', 15), day: { date: '2026-11-24', closedReason: 'No working hours', blocks: [], slots: [] }, appointments: [] },
    {
      doctor: doctor('leave', 15),
      day: { date: '2026-11-24', closedReason: 'On leave: course', blocks: [{ startAt: at('09:00'), endAt: at('10:00') }], slots: [] },
      appointments: [],
    },
  ];
  const model = buildBoardGrid(input, earlier);

  it('makes a row wherever something starts and lists doctors off that day apart', () => {
    expect(model.rows).toEqual([at('09:00'), at('09:15'), at('09:30'), at('09:45'), at('10:00')]);
    expect(model.endAt).toBe(at('10:30'));
    expect(model.columns.map((column) => column.doctor.userId)).toEqual(['a', 'b', 'leave']);
    expect(model.offToday.map((entry) => entry.doctor.userId)).toEqual(['off']);
  });

  it('spans cells over rows and notes a cancelled appointment under the free slot', () => {
    const [a, b, leave] = model.columns;
    expect(a?.segments.map((segment) => [segment.kind, segment.startRow, segment.endRow])).toEqual([
      ['appointment', 0, 1],
      ['free', 1, 2],
      ['free', 2, 3],
      ['free', 3, 4],
      ['outside', 4, 5],
    ]);
    const free = segmentAt(a, 2);
    expect(free?.kind === 'free' && free.cancelled.map((item) => item.id)).toEqual(['c']);
    expect(b?.segments.map((segment) => [segment.kind, segment.startRow, segment.endRow])).toEqual([
      ['outside', 0, 2],
      ['free', 2, 4],
      ['free', 4, 5],
    ]);
    expect(leave?.segments).toEqual([expect.objectContaining({ kind: 'closed', reason: 'On leave: course', startRow: 0, endRow: 5 })]);
  });

  it('marks working time already begun as past', () => {
    const later = buildBoardGrid(
      [{ ...(input[0] as BoardColumnInput), appointments: [], day: { ...(input[0] as BoardColumnInput).day, slots: [slot('09:45', '10:00')] } }],
      new Date(at('09:40')),
    );
    expect(later.columns[0]?.segments.map((segment) => segment.kind)).toEqual(['past', 'free']);
  });

  it('moves the focus cell to cell down a column and by time across columns', () => {
    expect(moveFocus(model, { column: 1, row: 0 }, 'ArrowDown', false)).toEqual({ column: 1, row: 2 });
    expect(moveFocus(model, { column: 1, row: 3 }, 'ArrowUp', false)).toEqual({ column: 1, row: 0 });
    expect(moveFocus(model, { column: 0, row: 3 }, 'ArrowRight', false)).toEqual({ column: 1, row: 3 });
    expect(moveFocus(model, { column: 2, row: 3 }, 'ArrowRight', false)).toBeNull();
    expect(moveFocus(model, { column: 0, row: 4 }, 'ArrowDown', false)).toBeNull();
    expect(moveFocus(model, { column: 2, row: 2 }, 'Home', true)).toEqual({ column: 0, row: 0 });
  });
});
