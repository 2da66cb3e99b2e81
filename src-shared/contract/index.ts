import type { z } from 'zod';
import { authContract } from './auth.js';
import type { ProcedureDef } from './define.js';
import { settingsContract } from './settings.js';
import { setupContract } from './setup.js';

export const contract = {
  ...setupContract,
  ...authContract,
  ...settingsContract,
} satisfies Record<string, ProcedureDef>;

export type Contract = typeof contract;
export type ProcedureName = keyof Contract;
export type InputOf<N extends ProcedureName> = z.input<Contract[N]['input']>;
export type ParsedInputOf<N extends ProcedureName> = z.output<Contract[N]['input']>;
export type OutputOf<N extends ProcedureName> = z.output<Contract[N]['output']>;

export const PROCEDURE_NAMES = Object.keys(contract) as ProcedureName[];
