/**
 * Departments of a site (Sales, Support…), who belongs to each, and each
 * operator's concurrent-chat limit: what the routing settings page edits.
 */
import {
  type CreateDepartmentRequest,
  type DepartmentDTO,
  ROUTING_LIMITS,
  type RoutingOperatorDTO,
  type UpdateDepartmentRequest,
} from '@parley/protocol';
import type { Db, Queryable, Tx } from '../../db/database.js';
import type { DomainContext } from '../context.js';
import { conflict, isUniqueViolation, notFound } from '../errors.js';
import { presentPublicOperator } from '../operators/presenter.js';
import { listSiteIdsOfOperator, worksOnSite } from '../sites/queries.js';
import { routeSiteQuietly } from './assigner.js';

export async function listDepartments(db: Queryable, siteId: string): Promise<DepartmentDTO[]> {
  const [departments, members] = await Promise.all([
    db.selectFrom('departments').selectAll().where('site_id', '=', siteId).orderBy('name').execute(),
    db
      .selectFrom('department_operators')
      .innerJoin('departments', 'departments.id', 'department_operators.department_id')
      .select(['department_operators.department_id', 'department_operators.operator_id'])
      .where('departments.site_id', '=', siteId)
      .execute(),
  ]);
  return departments.map((d) => ({
    id: d.id,
    siteId: d.site_id,
    name: d.name,
    operatorIds: members.filter((m) => m.department_id === d.id).map((m) => m.operator_id),
  }));
}

export async function listRoutingOperators(db: Queryable, siteId: string): Promise<RoutingOperatorDTO[]> {
  const [operators, memberships] = await Promise.all([
    db
      .selectFrom('operators')
      .selectAll('operators')
      .where(worksOnSite(siteId))
      .where('operators.deactivated_at', 'is', null)
      .orderBy('operators.display_name')
      .execute(),
    db
      .selectFrom('department_operators')
      .innerJoin('departments', 'departments.id', 'department_operators.department_id')
      .select(['department_operators.department_id', 'department_operators.operator_id'])
      .where('departments.site_id', '=', siteId)
      .execute(),
  ]);
  return operators.map((o) => ({
    ...presentPublicOperator(o),
    chatLimit: o.chat_limit,
    departmentIds: memberships.filter((m) => m.operator_id === o.id).map((m) => m.department_id),
  }));
}

/** Members must work on the department's site: another site's operator is "not found". */
async function setMembers(tx: Tx, siteId: string, departmentId: string, operatorIds: readonly string[]) {
  const unique = [...new Set(operatorIds)];
  if (unique.length > 0) {
    const found = await tx
      .selectFrom('operators')
      .select('operators.id')
      .where(worksOnSite(siteId))
      .where('operators.id', 'in', unique)
      .execute();
    if (found.length !== unique.length) throw notFound('Operator');
  }
  await tx.deleteFrom('department_operators').where('department_id', '=', departmentId).execute();
  if (unique.length > 0)
    await tx
      .insertInto('department_operators')
      .values(unique.map((operator_id) => ({ department_id: departmentId, operator_id })))
      .execute();
}

const duplicateName = (error: unknown) =>
  isUniqueViolation(error, 'departments_site_name') ? conflict('A department with this name exists') : error;

async function presentOne(db: Queryable, siteId: string, id: string): Promise<DepartmentDTO> {
  const department = (await listDepartments(db, siteId)).find((d) => d.id === id);
  if (!department) throw notFound('Department');
  return department;
}

export async function departmentCreator(
  db: Db,
  siteId: string,
  props: CreateDepartmentRequest,
): Promise<DepartmentDTO> {
  try {
    return await db.transaction().execute(async (tx) => {
      const { n } = await tx
        .selectFrom('departments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('site_id', '=', siteId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= ROUTING_LIMITS.departmentsPerSite)
        throw conflict('This site has as many departments as it may');
      const created = await tx
        .insertInto('departments')
        .values({ site_id: siteId, name: props.name })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setMembers(tx, siteId, created.id, props.operatorIds ?? []);
      return presentOne(tx, siteId, created.id);
    });
  } catch (error) {
    throw duplicateName(error);
  }
}

export async function findDepartment(db: Queryable, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function departmentUpdater(
  ctx: DomainContext,
  department: { id: string; site_id: string },
  changes: UpdateDepartmentRequest,
): Promise<DepartmentDTO> {
  try {
    const updated = await ctx.db.transaction().execute(async (tx) => {
      if (changes.name !== undefined)
        await tx
          .updateTable('departments')
          .set({ name: changes.name })
          .where('id', '=', department.id)
          .execute();
      if (changes.operatorIds) await setMembers(tx, department.site_id, department.id, changes.operatorIds);
      return presentOne(tx, department.site_id, department.id);
    });
    // New members may take the department's waiting chats.
    if (changes.operatorIds) await routeSiteQuietly(ctx, department.site_id);
    return updated;
  } catch (error) {
    throw duplicateName(error);
  }
}

/** Deletes a department; its chats keep going, routed like chats of no department. */
export async function departmentDeleter(ctx: DomainContext, department: { id: string; site_id: string }) {
  await ctx.db.deleteFrom('departments').where('id', '=', department.id).execute();
  await routeSiteQuietly(ctx, department.site_id);
}

/** Sets an operator's concurrent-chat limit; a raised limit takes waiting chats at once. */
export async function chatLimitUpdater(
  ctx: DomainContext,
  siteId: string,
  operatorId: string,
  chatLimit: number,
): Promise<void> {
  const member = await ctx.db
    .selectFrom('operators')
    .select('operators.id')
    .where(worksOnSite(siteId))
    .where('operators.id', '=', operatorId)
    .executeTakeFirst();
  if (!member) throw notFound('Operator');
  await ctx.db.updateTable('operators').set({ chat_limit: chatLimit }).where('id', '=', operatorId).execute();
  for (const id of await listSiteIdsOfOperator(ctx.db, operatorId)) await routeSiteQuietly(ctx, id);
}
