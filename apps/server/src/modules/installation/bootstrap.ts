/**
 * Every start: the first owner (once), and the demo site while `PARLEY_DEMO`
 * is on. The key `demo` belongs to the demo site alone and lives only as long
 * as the demo does: started with the demo off, Parley removes the demo site,
 * or, if people have chatted on it (it was once the only site), keeps its
 * conversations as an ordinary site under a fresh unguessable key. Runs under
 * an advisory lock so two nodes starting together do it once.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Queryable } from '../../db/database.js';
import { seedDemoCannedReplies } from '../canned-replies/seed.js';
import { createOperator } from '../operators/commands.js';
import { createSite, newSiteKey } from '../sites/commands.js';
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
  /** What became of a demo site found with the demo off: removed, or kept under a new key (named). */
  retiredDemo: { kept: null } | { kept: { name: string; publicKey: string } } | null;
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
    const demo = await findSiteByPublicKey(tx, DEMO_SITE_KEY);
    if (options.demo) {
      // Owners and admins work on every site by their role: no grant needed.
      let site = demo;
      if (!site) {
        site = await createSite(tx, { name: 'Demo shop', allowedOrigins: [], publicKey: DEMO_SITE_KEY });
        // Once, with the site: a reply the admin deletes later stays deleted.
        await seedDemoCannedReplies(tx, site.id);
      }
      return { createdAdmin, demoSiteId: site.id, retiredDemo: null };
    }
    return { createdAdmin, demoSiteId: null, retiredDemo: demo ? await retireDemoSite(tx, demo.id) : null };
  });
}

async function retireDemoSite(tx: Queryable, siteId: string): Promise<BootstrapResult['retiredDemo']> {
  const used = await tx
    .selectFrom('conversations')
    .select('id')
    .where('site_id', '=', siteId)
    .limit(1)
    .executeTakeFirst();
  if (!used) {
    await tx.deleteFrom('sites').where('id', '=', siteId).execute();
    return { kept: null };
  }
  const kept = await tx
    .updateTable('sites')
    .set({ public_key: newSiteKey() })
    .where('id', '=', siteId)
    .returning(['name', 'public_key'])
    .executeTakeFirstOrThrow();
  return { kept: { name: kept.name, publicKey: kept.public_key } };
}
