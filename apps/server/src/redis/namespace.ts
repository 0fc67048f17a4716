/**
 * Every Redis key and channel of one Parley installation starts with its
 * namespace, so installations (and test files) sharing one Redis never see
 * each other's events, presence or rate-limit counts. Nodes of one
 * installation share its database and so its installation id, hence its
 * namespace; nothing has to be configured.
 */
export type RedisNamespace = `parley:${string}`;

export function redisNamespace(installationId: string): RedisNamespace {
  return `parley:${installationId.slice(0, 12)}`;
}
