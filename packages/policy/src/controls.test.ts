import { describe, expect, it } from 'vitest';
import { CONTROLS, resolveControls } from './controls.js';
import { validateTenantPolicy } from './TenantPolicy.js';

describe('resolveControls', () => {
  it('gives the seeds’ defaults: a 24 h admin cool-down, one export an hour, notices', () => {
    expect(resolveControls('admin_role_grant')).toMatchObject({
      cooldownSeconds: 86_400,
      notify: ['account', 'security_contacts'],
    });
    expect(resolveControls('admin_role_grant').cooldownCheckpoints).toEqual(
      expect.arrayContaining(['billing_change', 'api_key_create', 'data_export']),
    );
    expect(resolveControls('billing_change').notify).toEqual(['billing_admins']);
    expect(resolveControls('api_key_create').notify).toEqual(['account', 'security_contacts']);
    expect(resolveControls('data_export')).toMatchObject({
      minIntervalSeconds: 3600,
      notify: ['account', 'security_contacts'],
    });
  });

  it('gives no controls to a checkpoint without built-in ones', () => {
    expect(resolveControls('login')).toEqual({
      cooldownSeconds: 0,
      cooldownCheckpoints: [],
      minIntervalSeconds: 0,
      notify: [],
    });
    expect(resolveControls('refund', { id: 'acme' }).notify).toEqual([]);
  });

  it('merges a tenant’s override field by field, keeping the other defaults', () => {
    const tenant = {
      id: 'acme',
      controls: { admin_role_grant: { cooldownSeconds: 3600 }, refund: { notify: ['account'] } },
    } as const;
    expect(resolveControls('admin_role_grant', tenant)).toEqual({
      ...CONTROLS.admin_role_grant,
      cooldownSeconds: 3600,
    });
    expect(resolveControls('refund', tenant).notify).toEqual(['account']);
    expect(resolveControls('data_export', tenant)).toEqual(CONTROLS.data_export);
  });

  it('turns a control off with 0 or an empty list', () => {
    const tenant = { id: 'acme', controls: { data_export: { minIntervalSeconds: 0, notify: [] } } };
    expect(resolveControls('data_export', tenant)).toMatchObject({
      minIntervalSeconds: 0,
      notify: [],
    });
  });

  it('keeps its defaults frozen', () => {
    expect(Object.isFrozen(CONTROLS.data_export)).toBe(true);
    expect(Object.isFrozen(CONTROLS.data_export.notify)).toBe(true);
  });
});

describe('validateTenantPolicy(controls)', () => {
  it.each([
    [{ data_export: 3600 }, 'tenant.controls.data_export must be an object'],
    [{ data_export: { minIntervalSeconds: -1 } }, 'minIntervalSeconds must be whole seconds'],
    [{ admin_role_grant: { cooldownSeconds: 1.5 } }, 'cooldownSeconds must be whole seconds'],
    [{ billing_change: { notify: ['everyone'] } }, 'notify must be a list of'],
    [{ billing_change: { notifyAll: true } }, 'notifyAll is not a control'],
    [{ admin_role_grant: { cooldownCheckpoints: 'data_export' } }, 'cooldownCheckpoints must be'],
    [{ 'bad name!': {} }, 'a tenant.controls key must be a checkpoint name'],
  ])('refuses %j, saying what to pass', (controls, message) => {
    expect(() => validateTenantPolicy({ id: 'acme', controls })).toThrow(message);
  });

  it('refuses a controls value that is not an object', () => {
    expect(() => validateTenantPolicy({ id: 'acme', controls: [] })).toThrow(
      'tenant.controls must be an object',
    );
  });

  it('accepts a valid override', () => {
    const tenant = { id: 'acme', controls: { data_export: { minIntervalSeconds: 600 } } };
    expect(validateTenantPolicy(tenant)).toBe(tenant);
  });
});
