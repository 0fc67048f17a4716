/**
 * What the command line does for whoever runs the server and is locked out:
 * create an owner, or reset someone's password — either as a one-time link
 * printed to the terminal (the same links the console makes, valid a week),
 * or with a password given on stdin. Functions of a database, so tests run
 * them without a process; `parley.ts` is the thin command around them.
 */
import { LIMITS } from '@parley/protocol';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { DomainContext } from '../modules/context.js';
import { hashPassword } from '../modules/operators/passwords.js';
import { findOperatorByEmail } from '../modules/operators/queries.js';
import { announceSessionsEnded, otherSessionsDeleter } from '../modules/operators/sessions.js';
import { resetLinkWriter } from '../modules/team/commands.js';
import { linkUrl, linkWriter } from '../modules/team/links.js';

/** A refusal the command prints and exits 1 with. */
export class CliError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkPassword(password: string): void {
  if (password.length < LIMITS.password.min)
    throw new CliError(`A password has at least ${LIMITS.password.min} characters`);
  if (password.length > LIMITS.password.max) throw new CliError('That password is too long');
}

async function allSiteIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('sites').select('id').execute()).map((s) => s.id);
}

/**
 * A new owner for `email`, working on every site: with `password`, created at
 * once (named after the email); without, an owner invitation whose link is returned.
 */
export async function createOwner(
  db: Db,
  baseUrl: string,
  email: string,
  password?: string,
): Promise<string> {
  if (!EMAIL.test(email)) throw new CliError(`Not an email address: ${email}`);
  if (await findOperatorByEmail(db, email))
    throw new CliError(`${email} is already on the team; use reset-password instead`);
  const siteIds = await allSiteIds(db);
  if (password === undefined) {
    return db.transaction().execute(async (tx) => {
      // An earlier invitation to this address gives way, as a new one from the console would not allow.
      await tx
        .updateTable('team_links')
        .set({ revoked_at: new Date() })
        .where(sql<string>`lower(email)`, '=', email.toLowerCase())
        .where('kind', '=', 'invitation')
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .execute();
      const { row, token } = await linkWriter(tx, {
        kind: 'invitation',
        email,
        role: 'owner',
        siteIds,
        createdBy: null,
      });
      return `Open this link within a week to set the owner's name and password:\n\n  ${linkUrl(baseUrl, row.kind, token)}\n`;
    });
  }
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    const owner = await tx
      .insertInto('operators')
      .values({
        email,
        password_hash: passwordHash,
        display_name: email.split('@')[0] ?? email,
        avatar_url: null,
        role: 'owner',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (siteIds.length > 0)
      await tx
        .insertInto('site_operators')
        .values(siteIds.map((site_id) => ({ site_id, operator_id: owner.id })))
        .execute();
  });
  return `Owner ${email} created; log in with that password.\n`;
}

/**
 * Resets `email`'s password: with `password`, set at once and every session
 * of theirs ended; without, a one-time link to set it is returned.
 */
export async function resetPassword(
  ctx: Pick<DomainContext, 'db' | 'bus'>,
  baseUrl: string,
  email: string,
  password?: string,
): Promise<string> {
  const operator = await findOperatorByEmail(ctx.db, email);
  if (!operator) throw new CliError(`Nobody on the team has the email ${email}`);
  if (operator.deactivated_at)
    throw new CliError(
      `${email} is deactivated; an owner or admin can reactivate them (or run create-owner)`,
    );
  if (password === undefined) {
    const url = await ctx.db.transaction().execute(async (tx) => {
      const { row, token } = await resetLinkWriter(tx, operator, null);
      return linkUrl(baseUrl, row.kind, token);
    });
    return `Open this link within a week to set a new password for ${operator.email}:\n\n  ${url}\n`;
  }
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  const ended = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('operators')
      .set({ password_hash: passwordHash })
      .where('id', '=', operator.id)
      .execute();
    return otherSessionsDeleter(tx, operator.id, null);
  });
  await announceSessionsEnded(ctx as DomainContext, operator.id, ended);
  return `Password of ${operator.email} set; ${ended.length} session(s) ended.\n`;
}
