import type { z } from 'zod';
import { accessAllows } from '../../src-shared/contract/define.js';
import { contract, type ProcedureName } from '../../src-shared/contract/index.js';
import { AppError, type Envelope, type ErrorBody, type FieldErrors } from '../../src-shared/errors.js';
import { OPEN_BEFORE_ACCOUNT_READY, OPEN_WHILE_LOCKED } from '../modules/auth/rules.js';
import { writeAudit } from './audit/audit.js';
import { createSession, endSession, loadSession, type SessionInfo, touchSession } from './auth/sessions.js';
import { ChangeFeed, ChangeTracker } from './changes.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { describeError } from './log.js';
import { type AuditNote, CommittedRefusal, type CoreServices, type HandlerContext, type HandlerEntry } from './procedure.js';
import type { Store } from './store.js';

/** What a transport knows about its caller. */
export interface CallerContext {
  /** The bearer token the transport holds for this caller (cookie, or the window's slot in Electron). */
  sessionToken: string | null;
  workstation: string;
}

export type SessionChange = { kind: 'started'; token: string } | { kind: 'ended' };

export interface CallResult {
  envelope: Envelope<unknown>;
  /** The transport must store or forget the caller's token accordingly. */
  session?: SessionChange;
}

export function validationError(error: z.ZodError): AppError {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  const [first] = error.issues;
  const more = error.issues.length - 1;
  const message = `${first?.message ?? 'The request is not valid'}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`;
  return new AppError('VALIDATION', message, fields);
}

function isStoreless(entry: HandlerEntry<ProcedureName>): entry is Extract<HandlerEntry<ProcedureName>, { withoutStore: true }> {
  return typeof entry === 'object' && entry.withoutStore === true;
}

/**
 * The one door into the core: session -> permission -> strict input -> handler inside a
 * transaction with its audit row -> output check -> commit -> table-change event.
 */
export class Router {
  readonly changes = new ChangeFeed();
  private readonly handlers = new Map<ProcedureName, HandlerEntry<ProcedureName>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly services: CoreServices,
  ) {}

  register(handlers: Partial<Record<ProcedureName, unknown>>): void {
    for (const [name, entry] of Object.entries(handlers)) {
      if (!(name in contract)) throw new Error(`Handler ${name} has no procedure in the contract`);
      if (this.handlers.has(name as ProcedureName)) throw new Error(`Procedure ${name} is registered twice`);
      this.handlers.set(name as ProcedureName, entry as HandlerEntry<ProcedureName>);
    }
  }

  /** Refuses to start with a procedure in the contract that no module implements. */
  assertComplete(): void {
    const missing = (Object.keys(contract) as ProcedureName[]).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`No handler for: ${missing.join(', ')}`);
  }

  async call(name: string, rawInput: unknown, caller: CallerContext): Promise<CallResult> {
    const fail = (error: AppError): CallResult => ({ envelope: { ok: false, error: error.toBody() } });
    if (!Object.hasOwn(contract, name)) return fail(new AppError('NOT_FOUND', `There is no procedure called ${name}.`));
    const procedureName = name as ProcedureName;
    const def = contract[procedureName];
    const entry = this.handlers.get(procedureName);
    if (!entry) return fail(new AppError('NOT_FOUND', `The procedure ${name} is not available in this version.`));

    if (isStoreless(entry)) {
      const parsed = def.input.safeParse(rawInput);
      if (!parsed.success) return fail(validationError(parsed.error));
      try {
        const value = await entry.run(parsed.data as never, { store: this.store, clock: this.clock, services: this.services, workstation: caller.workstation });
        return { envelope: { ok: true, value: def.output.parse(value) } };
      } catch (error) {
        return fail(this.toAppError(error, name));
      }
    }

    if (this.store.state() !== 'ready') {
      return fail(new AppError('UNAUTHENTICATED', 'The clinic database is not open yet: finish setup or unlock it first.'));
    }
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const session = caller.sessionToken ? await loadSession(this.store.db, caller.sessionToken, now) : null;
    const restriction = session && def.access !== 'public' ? this.restriction(session, procedureName) : null;
    if (restriction) {
      if (session?.idleSinceLastCall) await touchSession(this.store.db, session, now);
      return fail(restriction);
    }

    if (!accessAllows(def.access, session ? session.permissions : null)) {
      const error = session
        ? new AppError('FORBIDDEN', 'Your role does not allow this. Ask an administrator if you need it.')
        : new AppError('UNAUTHENTICATED', caller.sessionToken ? 'Your session has ended. Please sign in again.' : 'Please sign in to continue.');
      if (session) await this.auditFailure(procedureName, session, caller, nowIso, error.toBody(), {});
      return fail(error);
    }

    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) return fail(validationError(parsed.error));

    const tracker = new ChangeTracker();
    const audit: AuditNote = {};
    let sessionChange: SessionChange | undefined;
    let refusal: AppError | null = null;
    // Who did it: the user a sign-in starts a session for, not whoever held the workstation before.
    let signedInUser: string | null = null;
    const actor = () => signedInUser ?? (def.access === 'public' ? null : (session?.userId ?? null));
    try {
      const value = await this.store.db.transaction().execute(async (trx) => {
        if (session) await touchSession(trx, session, now);
        const db = trx.withPlugin(tracker);
        let current: SessionInfo | null = session;
        const ctx: HandlerContext = {
          db,
          store: this.store,
          clock: this.clock,
          now,
          nowIso,
          workstation: caller.workstation,
          session,
          services: this.services,
          audit,
          user: () => {
            if (!current) throw new AppError('UNAUTHENTICATED', 'Please sign in to continue.');
            return current;
          },
          startSession: async (userId) => {
            if (current) await endSession(db, current.id, nowIso, 'replaced');
            sessionChange = { kind: 'started', token: await createSession(db, userId, caller.workstation, now) };
            signedInUser = userId;
            current = null;
          },
          endSession: async (reason) => {
            if (current) await endSession(db, current.id, nowIso, reason);
            sessionChange = { kind: 'ended' };
            current = null;
          },
        };
        const auditThis = (outcome: 'ok' | 'denied', details: Record<string, unknown> | undefined) =>
          writeAudit(db, {
            at: nowIso,
            userId: actor(),
            workstation: caller.workstation,
            procedure: name,
            entity: audit.entity,
            entityId: audit.entityId,
            outcome,
            severity: audit.severity,
            details,
          });
        let output: unknown;
        try {
          output = await entry(parsed.data as never, ctx);
        } catch (error) {
          if (!(error instanceof CommittedRefusal)) throw error;
          refusal = error.error;
          await auditThis('denied', { ...audit.details, code: refusal.code });
          return null;
        }
        const result = def.output.parse(output);
        if (def.kind === 'mutation' || audit.recordRead) await auditThis('ok', audit.details);
        return result;
      });
      this.changes.emit(tracker.tables);
      if (refusal) return fail(refusal);
      return { envelope: { ok: true, value }, session: sessionChange };
    } catch (error) {
      const appError = this.toAppError(error, name);
      if (appError.code !== 'VALIDATION')
        await this.auditFailure(procedureName, def.access === 'public' ? null : session, caller, nowIso, appError.toBody(), audit);
      return fail(appError);
    }
  }

  /** A locked workstation, or an account still on a temporary password, reaches only the procedures that resolve that. */
  private restriction(session: SessionInfo, name: ProcedureName): AppError | null {
    if (session.locked && !OPEN_WHILE_LOCKED.has(name)) {
      return new AppError('UNAUTHENTICATED', 'This workstation is locked. Enter your password to continue.', { _: 'locked' });
    }
    if (session.mustChangePassword && !OPEN_BEFORE_ACCOUNT_READY.has(name)) {
      return new AppError('FORBIDDEN', 'Choose a new password first: you signed in with a temporary one.');
    }
    if (session.mustEnrollTwoFactor && !OPEN_BEFORE_ACCOUNT_READY.has(name)) {
      return new AppError('FORBIDDEN', 'Set up two-factor sign-in first: the clinic requires it for administrators.');
    }
    return null;
  }

  /** A refused or failed attempt is recorded after the rollback, so the record of it survives. */
  private async auditFailure(
    name: ProcedureName,
    session: SessionInfo | null,
    caller: CallerContext,
    nowIso: string,
    error: ErrorBody,
    audit: AuditNote,
  ): Promise<void> {
    try {
      // Its own transaction: the chain's head is read and extended with no other write between.
      await this.store.db.transaction().execute((trx) =>
        writeAudit(trx, {
          at: nowIso,
          userId: session?.userId ?? null,
          workstation: caller.workstation,
          procedure: name,
          entity: audit.entity,
          entityId: audit.entityId,
          outcome: error.code === 'FORBIDDEN' || error.code === 'UNAUTHENTICATED' ? 'denied' : 'error',
          details: { ...audit.details, code: error.code },
        }),
      );
      this.changes.emit(['audit_log']);
    } catch (auditError) {
      console.error(`audit write failed for ${name}`, describeError(auditError));
    }
  }

  private toAppError(error: unknown, name: string): AppError {
    if (error instanceof AppError) return error;
    const reference = newId();
    // Logs carry ids and stack frames only; a message can hold what a user typed.
    console.error(`[${reference}] ${name} failed:`, describeError(error));
    return new AppError(
      'INTERNAL',
      `Something went wrong inside Asclepia and nothing was saved. Please try again; if it keeps happening, give this reference to your administrator: ${reference}.`,
    );
  }
}
