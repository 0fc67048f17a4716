/** Operators on the wire. Visitors get the public part only: never an email. */
import type { OperatorDTO, PublicOperatorDTO } from '@parley/protocol';
import type { OperatorRow } from '../../db/schema.js';

export function presentOperator(row: OperatorRow): OperatorDTO {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    role: row.role,
    status: row.status,
  };
}

export function presentPublicOperator(
  row: Pick<OperatorRow, 'id' | 'display_name' | 'avatar_url'>,
): PublicOperatorDTO {
  return { id: row.id, displayName: row.display_name, avatarUrl: row.avatar_url };
}
