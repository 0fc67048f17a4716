/** The site-level decisions without a server: which refusal, and what a list covers. */
import { describe, expect, it } from 'vitest';
import { authorizeOnSite, sitesInScope } from './access.js';
import type { OperatorActor } from './actors.js';
import { OPERATOR_RULES } from './rules.js';

const actor = (role: OperatorActor['role']): OperatorActor => ({
  kind: 'operator',
  operatorId: 'o1',
  role,
  siteIds: ['site-a', 'site-b'],
});

describe('authorizeOnSite', () => {
  it('answers "not found" for a site the operator does not work on, whatever the role', () => {
    expect(() => authorizeOnSite(actor('owner'), 'site.view', 'site-x')).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(() => authorizeOnSite(actor('owner'), 'visitor.view', 'site-x', 'Visitor')).toThrow(
      'Visitor not found',
    );
  });

  it("answers 'forbidden' with the rule's sentence when the role may not, on the operator's own site", () => {
    expect(() => authorizeOnSite(actor('operator'), 'site.configure', 'site-a')).toThrow(
      expect.objectContaining({ code: 'forbidden', message: OPERATOR_RULES['site.configure'].refusal }),
    );
    expect(() => authorizeOnSite(actor('admin'), 'site.configure', 'site-a')).not.toThrow();
  });
});

describe('sitesInScope', () => {
  it("covers all the operator's sites, or the one asked for if it is theirs", () => {
    expect(sitesInScope(actor('operator'), 'conversation.view')).toEqual(['site-a', 'site-b']);
    expect(sitesInScope(actor('operator'), 'conversation.view', 'site-b')).toEqual(['site-b']);
    expect(() => sitesInScope(actor('operator'), 'conversation.view', 'site-x')).toThrow('Site not found');
  });

  it('covers nothing when the role may not do the action anywhere', () => {
    expect(sitesInScope(actor('operator'), 'site.configure')).toEqual([]);
  });
});
