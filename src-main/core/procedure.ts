import type { Kysely } from 'kysely';
import type { OutputOf, ParsedInputOf, ProcedureName } from '../../src-shared/contract/index.js';
import type { AppError } from '../../src-shared/errors.js';
import type { SessionInfo } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { DB } from './db/schema.js';
import type { Store } from './store.js';

/** What the router's automatic audit row says about the entity a handler touched. */
export interface AuditNote {
  entity?: string;
  entityId?: string;
  details?: Record<string, unknown>;
  /** Set by a query that read a clinical record, which is audited like a change. */
  recordRead?: boolean;
  /** 'high' puts the row in front of an administrator (emergency access). */
  severity?: 'normal' | 'high';
}

/** What the core loads once at start and hands to every handler. */
export interface CoreServices {
  /** Lower-cased; a new password in this set is refused. */
  commonPasswords: ReadonlySet<string>;
}

/**
 * Thrown by a handler whose refusal must still keep its writes (a failed sign-in's count): the
 * router commits them, adds a 'denied' audit row, and answers with the error.
 */
export class CommittedRefusal extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'CommittedRefusal';
  }
}

export interface HandlerContext {
  /** The request's transaction: everything a handler writes commits or rolls back together. */
  db: Kysely<DB>;
  store: Store;
  clock: Clock;
  /** One instant for the whole request, so every row it writes agrees. */
  now: Date;
  nowIso: string;
  workstation: string;
  session: SessionInfo | null;
  services: CoreServices;
  /** The signed-in user; procedures whose access is not public can rely on it. */
  user(): SessionInfo;
  audit: AuditNote;
  /** Ends this caller's current session, if any, and starts a new one for the user. */
  startSession(userId: string): Promise<void>;
  endSession(reason: string): Promise<void>;
}

/** For the first-run and unlock procedures, which run before there is an open database. */
export interface StorelessContext {
  store: Store;
  services: CoreServices;
  clock: Clock;
  workstation: string;
}

export type Handler<N extends ProcedureName> = (input: ParsedInputOf<N>, ctx: HandlerContext) => Promise<OutputOf<N>>;
export type StorelessHandler<N extends ProcedureName> = {
  withoutStore: true;
  run: (input: ParsedInputOf<N>, ctx: StorelessContext) => Promise<OutputOf<N>>;
};
export type HandlerEntry<N extends ProcedureName> = Handler<N> | StorelessHandler<N>;

/** A module's handlers: exactly one per procedure of its contract file. */
export type Handlers<N extends ProcedureName> = { [K in N]: HandlerEntry<K> };
