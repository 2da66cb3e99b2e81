import type { z } from 'zod';
import { appointmentsContract } from './appointments.js';
import { auditContract } from './audit.js';
import { authContract } from './auth.js';
import type { ProcedureDef } from './define.js';
import { emergencyContract } from './emergency.js';
import { patientsContract } from './patients.js';
import { recordsContract } from './records.js';
import { settingsContract } from './settings.js';
import { setupContract } from './setup.js';
import { usersContract } from './users.js';

type Merged<T extends readonly object[]> = T extends readonly [infer Head, ...infer Rest extends readonly object[]] ? Head & Merged<Rest> : unknown;

/** Joins the domain files, refusing a name that two of them define (a spread would hide it). */
export function mergeContracts<T extends readonly Record<string, ProcedureDef>[]>(...parts: T): Merged<T> {
  const merged: Record<string, ProcedureDef> = {};
  for (const part of parts) {
    for (const [name, def] of Object.entries(part)) {
      if (Object.hasOwn(merged, name)) throw new Error(`Procedure ${name} is defined twice in the contract`);
      merged[name] = def;
    }
  }
  return merged as Merged<T>;
}

/** One line per domain file. */
export const contract = mergeContracts(
  setupContract,
  authContract,
  settingsContract,
  usersContract,
  auditContract,
  patientsContract,
  emergencyContract,
  recordsContract,
  appointmentsContract,
);

export type Contract = typeof contract;
export type ProcedureName = keyof Contract & string;
export type InputOf<N extends ProcedureName> = z.input<Contract[N]['input']>;
export type ParsedInputOf<N extends ProcedureName> = z.output<Contract[N]['input']>;
export type OutputOf<N extends ProcedureName> = z.output<Contract[N]['output']>;

export const PROCEDURE_NAMES = Object.keys(contract) as ProcedureName[];

export function procedureDef(name: ProcedureName): ProcedureDef {
  return (contract as Record<string, ProcedureDef>)[name] as ProcedureDef;
}
