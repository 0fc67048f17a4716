/**
 * First start: the admin operator and the demo site. Runs under an advisory
 * lock so two nodes starting together create them once.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { seedDemoCannedReplies } from '../canned-replies/seed.js';
import { createOperator } from '../operators/commands.js';
import { addOperatorToSite, createSite } from '../sites/commands.js';
import { findSiteByPublicKey } from '../sites/queries.js';

export const DEMO_SITE_KEY = 'demo';
const BOOTSTRAP_LOCK = 7_220_012;

export interface BootstrapOptions {
  adminEmail?: string;
  adminPassword?: string;
  demo: boolean;
}

export interface BootstrapResult {
  /** Set only when the admin was created just now; the password is shown this once. */
  createdAdmin: { email: string; password: string; generated: boolean } | null;
  demoSiteId: string | null;
}

export async function bootstrapInstallation(db: Db, options: BootstrapOptions): Promise<BootstrapResult> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(tx);
    let createdAdmin: BootstrapResult['createdAdmin'] = null;
    const anyOperator = await tx.selectFrom('operators').select('id').limit(1).executeTakeFirst();
    if (!anyOperator) {
      const email = options.adminEmail ?? 'admin@parley.local';
      const generated = !options.adminPassword;
      const password = options.adminPassword ?? randomBytes(12).toString('base64url');
      await createOperator(tx, { email, password, displayName: 'Admin', role: 'owner' });
      createdAdmin = { email, password, generated };
    }
    let demoSiteId: string | null = null;
    if (options.demo) {
      let site = await findSiteByPublicKey(tx, DEMO_SITE_KEY);
      if (!site) {
        site = await createSite(tx, { name: 'Demo shop', allowedOrigins: [], publicKey: DEMO_SITE_KEY });
        // Once, with the site: a reply the admin deletes later stays deleted.
        await seedDemoCannedReplies(tx, site.id);
      }
      demoSiteId = site.id;
      // Owners and admins work on every site, the demo one included.
      const leads = await tx
        .selectFrom('operators')
        .select('id')
        .where('role', 'in', ['owner', 'admin'])
        .execute();
      for (const lead of leads) await addOperatorToSite(tx, site.id, lead.id);
    }
    return { createdAdmin, demoSiteId };
  });
}
